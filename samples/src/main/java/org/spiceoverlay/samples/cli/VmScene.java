package org.spiceoverlay.samples.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.spiceoverlay.samples.bench.ProcessCpu;

/**
 * A real virtual machine, {@code scripts/vm-scene.sh}: QEMU with its own Spice server, the guest's
 * X server on a QXL display, the overlay's virtio-serial port connecting to a Unix socket on this
 * machine, and a guest script run as root once the guest's X server is up. See the script for
 * the layout; ARCHITECTURE.md ("A real VM") for why it boots the host's own root filesystem.
 *
 * <p>Threads: one thread at a time. {@link #close()} stops QEMU; idempotent.
 */
public final class VmScene implements AutoCloseable {

    private final Path script;
    private final Path dir;
    private final Map<String, String> state;
    private boolean closed;

    private VmScene(Path script, Path dir, Map<String, String> state) {
        this.script = script;
        this.dir = dir;
        this.state = state;
    }

    /**
     * Boots the VM in {@code dir} and returns once the guest's X server is up.
     *
     * @param portSocket where the overlay port's chardev connects (the client's {@code mux+unix:})
     * @param accel {@code auto}, {@code kvm} or {@code tcg}
     * @throws IllegalStateException with the script's account of what failed
     */
    static VmScene start(
            Path dir, Path portSocket, String guestSize, String accel, Path guestScript, int timeoutSeconds)
            throws IOException, InterruptedException {
        Path script = script("vm-scene.sh");
        List<String> cmd = new ArrayList<>(List.of(
                script.toString(),
                "up",
                dir.toString(),
                "--port-socket",
                portSocket.toString(),
                "--guest-size",
                guestSize,
                "--accel",
                accel,
                "--guest-script",
                guestScript.toString(),
                "--timeout",
                Integer.toString(timeoutSeconds)));
        run(cmd, timeoutSeconds + 60L);
        return new VmScene(script, dir, readState(dir.resolve("vm.env")));
    }

    /** {@code scripts/NAME} in this or a parent directory. */
    static Path script(String name) {
        return repositoryFile("scripts/" + name);
    }

    /** A file of the repository, {@code relative} to its root: in this or a parent directory. */
    static Path repositoryFile(String relative) {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path s = d.resolve(relative);
            if (Files.exists(s)) {
                return s;
            }
        }
        throw new IllegalStateException(
                relative + " not found above " + Path.of("").toAbsolutePath());
    }

    private static String run(List<String> cmd, long timeoutSeconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out;
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(
                    cmd.get(0) + " " + cmd.get(1) + " did not finish within " + timeoutSeconds + " s");
        }
        out = p.getInputStream().readAllBytes();
        String text = new String(out, StandardCharsets.UTF_8).strip();
        if (p.exitValue() != 0) {
            throw new IllegalStateException(text);
        }
        return text;
    }

    private static Map<String, String> readState(Path file) throws IOException {
        Map<String, String> m = new HashMap<>();
        for (String line : Files.readAllLines(file)) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                m.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return m;
    }

    private String get(String key) {
        String v = state.get(key);
        if (v == null) {
            throw new IllegalStateException("the VM's state file has no " + key + ": " + state);
        }
        return v;
    }

    int spicePort() {
        return Integer.parseInt(get("SPICE_PORT"));
    }

    /** The accelerator that runs the guest: kvm or tcg. */
    String accel() {
        return get("ACCEL");
    }

    long qemuPid() {
        return Long.parseLong(get("QEMU_PID"));
    }

    /** From QEMU's start to the guest's X server answering. */
    long bootToXMillis() {
        return Long.parseLong(get("BOOT_TO_X_MS"));
    }

    /** The folder the guest sees as {@code /mnt/share} (writable both ways). */
    Path share() {
        return Path.of(get("SHARE_DIR"));
    }

    Path logDirectory() {
        return Path.of(get("LOG_DIR"));
    }

    /** Whether QEMU still runs (the guest powers off when its script ends). */
    boolean running() {
        return ProcessHandle.of(qemuPid()).map(ProcessHandle::isAlive).orElse(false);
    }

    /**
     * CPU seconds QEMU's vCPU threads used so far (threads named "CPU n/KVM" or "CPU n/TCG"), read
     * from /proc; NaN when QEMU is gone.
     */
    double vcpuSeconds() {
        return ProcessCpu.threadSeconds(qemuPid(), name -> name.startsWith("CPU "));
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (!closed) {
            closed = true;
            run(List.of(script.toString(), "down", dir.toString()), 30);
        }
    }
}
