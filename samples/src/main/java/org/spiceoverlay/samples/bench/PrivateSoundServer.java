package org.spiceoverlay.samples.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PulseAudio daemon of our own (never the user's): runtime, state and home under a fresh temp
 * directory, no default script, a null sink {@value #SINK} (48 kHz stereo S16LE) as the default
 * sink, and anonymous access on a Unix socket in that directory. Whatever plays into it can be
 * recorded from {@value #MONITOR}; {@link #environment()} is what a child process (GStreamer's
 * pulsesink, remote-viewer) needs to play into it. Works as root (PulseAudio only warns) and as a
 * normal user. The daemon's log goes to {@code pulseaudio.log} in its directory.
 *
 * <p>Started and closed by one owner thread; {@link #environment()} and {@link #serverAddress()}
 * may be read from any thread.
 */
public final class PrivateSoundServer implements AutoCloseable {

    /** The null sink everything plays into. */
    public static final String SINK = "bench";

    /** The sink's monitor source, which records what the sink plays. */
    public static final String MONITOR = SINK + ".monitor";

    private static final long START_TIMEOUT_MS = 10_000;

    private final Process process;
    private final Path dir;
    private final Path log;
    private final String server;
    private final Map<String, String> environment;
    private boolean closed;

    private PrivateSoundServer(Process process, Path dir, Path log, String server, Map<String, String> environment) {
        this.process = process;
        this.dir = dir;
        this.log = log;
        this.server = server;
        this.environment = environment;
    }

    /**
     * Starts the daemon and waits until it accepts connections (up to 10 s).
     *
     * @throws IllegalStateException naming the Debian package when pulseaudio is missing, or with
     *         the end of its log when it does not come up
     * @throws UncheckedIOException  when the temp directory cannot be written
     */
    public static PrivateSoundServer start() {
        Path dir;
        try {
            // createTempDirectory gives rwx------, which PulseAudio wants for its runtime dir.
            dir = Files.createTempDirectory("spice-overlay-pulse-");
            for (String sub : List.of("home", "runtime", "state")) {
                Files.createDirectory(dir.resolve(sub));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the sound server's directory", e);
        }
        Path socket = dir.resolve("native");
        Path script = dir.resolve("bench.pa");
        Path clientConf = dir.resolve("client.conf");
        Path log = dir.resolve("pulseaudio.log");
        String server = "unix:" + socket;
        try {
            Files.writeString(
                    script,
                    String.join(
                            "\n",
                            "load-module module-null-sink sink_name=" + SINK + " rate=48000 channels=2 format=s16le"
                                    + " sink_properties=device.description=spice-overlay-bench",
                            "set-default-sink " + SINK,
                            "set-default-source " + MONITOR,
                            // Last, so that once the socket exists the sink does too.
                            "load-module module-native-protocol-unix socket=" + socket + " auth-anonymous=1",
                            ""),
                    StandardCharsets.US_ASCII);
            Files.writeString(
                    clientConf, "autospawn = no\ndefault-server = " + server + "\n", StandardCharsets.US_ASCII);
        } catch (IOException e) {
            deleteTree(dir);
            throw new UncheckedIOException("cannot write the sound server's configuration in " + dir, e);
        }
        ProcessBuilder pb = new ProcessBuilder(
                        "pulseaudio",
                        "-n",
                        "-F",
                        script.toString(),
                        "--daemonize=no",
                        "--exit-idle-time=-1",
                        "--use-pid-file=no",
                        "--system=no",
                        "--disallow-exit",
                        "--log-target=stderr",
                        "--log-level=notice")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.put("HOME", dir.resolve("home").toString());
        env.put("XDG_RUNTIME_DIR", dir.resolve("runtime").toString());
        env.put("XDG_CONFIG_HOME", dir.resolve("home").toString());
        env.put("PULSE_RUNTIME_PATH", dir.resolve("runtime").toString());
        env.put("PULSE_STATE_PATH", dir.resolve("state").toString());
        env.remove("PULSE_SERVER");
        env.remove("DBUS_SESSION_BUS_ADDRESS");
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            deleteTree(dir);
            throw new IllegalStateException(
                    "cannot start pulseaudio (install the Debian package pulseaudio; " + "./overlay setup does): "
                            + e.getMessage(),
                    e);
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MS);
        while (!accepts(socket)) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                String why = p.isAlive()
                        ? "did not accept connections within " + START_TIMEOUT_MS + " ms"
                        : "exited with status " + p.exitValue();
                p.destroyForcibly();
                String tail = logTail(log);
                deleteTree(dir);
                throw new IllegalStateException("the private pulseaudio " + why + "; its log ends:\n" + tail);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
                deleteTree(dir);
                throw new IllegalStateException("interrupted while starting pulseaudio", e);
            }
        }
        Map<String, String> clientEnv = Map.of(
                "PULSE_SERVER", server,
                "PULSE_SINK", SINK,
                "PULSE_SOURCE", MONITOR,
                "PULSE_CLIENTCONFIG", clientConf.toString());
        return new PrivateSoundServer(p, dir, log, server, clientEnv);
    }

    private static boolean accepts(Path socket) {
        if (!Files.exists(socket)) {
            return false;
        }
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The sound server's process id (the client side's CPU includes it). */
    public long pid() {
        return process.pid();
    }

    /**
     * What a client process needs in its environment to play into this server:
     * {@code PULSE_SERVER=unix:DIR/native}, {@code PULSE_SINK=bench}, {@code PULSE_SOURCE=bench.monitor}
     * and {@code PULSE_CLIENTCONFIG} (a client.conf that turns autospawn off). Immutable.
     */
    public Map<String, String> environment() {
        return environment;
    }

    /** The server address for GStreamer's {@code pulsesink}/{@code pulsesrc} {@code server} property. */
    public String serverAddress() {
        return server;
    }

    /** The last lines of the daemon's log, for error messages. */
    public String logTail() {
        return logTail(log);
    }

    /** Stops the daemon (SIGTERM, then SIGKILL after 5 s) and deletes its directory. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        deleteTree(dir);
    }

    @Override
    public String toString() {
        return "PrivateSoundServer[" + server + (closed ? ", closed" : process.isAlive() ? "" : ", exited") + "]";
    }

    private static String logTail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // Leftovers in /tmp are harmless; the daemon is gone either way.
        }
    }
}
