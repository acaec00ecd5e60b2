package org.spiceoverlay.media;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A private X server (Xvfb) for headless runs and for the tests' scenes: started with
 * {@code -displayfd}, so that it picks a free display number itself (runs at the same time cannot
 * collide) and reports it once it accepts clients, and {@code -noreset}, so that the root window
 * keeps its contents when short-lived clients leave; stopped on close. The project's one Xvfb
 * starter: the command line and the modules' tests use it.
 *
 * <p>Not thread-safe; owned by the command that started it.
 */
public final class PrivateXServer implements AutoCloseable {

    private final Process process;
    private final String display;

    private PrivateXServer(Process process, String display) {
        this.process = process;
        this.display = display;
    }

    /**
     * Starts Xvfb with one screen of the given size.
     *
     * @throws IOException when Xvfb is missing (naming the package) or does not come up
     */
    public static PrivateXServer start(int width, int height) throws IOException {
        Process p;
        try {
            p = new ProcessBuilder(
                            "Xvfb",
                            "-displayfd",
                            "1",
                            "-screen",
                            "0",
                            width + "x" + height + "x24",
                            "-nolisten",
                            "tcp",
                            "-noreset")
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            throw new IOException("cannot start Xvfb (install xvfb: ./overlay setup): " + e.getMessage(), e);
        }
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII));
        String line = r.readLine(); // Xvfb writes the display number once it accepts connections
        if (line == null || !line.trim().matches("[0-9]+")) {
            p.destroyForcibly();
            throw new IOException("Xvfb did not start (it printed " + line + ")");
        }
        return new PrivateXServer(p, ":" + line.trim());
    }

    /** Starts Xvfb with a 640x480 screen. */
    public static PrivateXServer start() throws IOException {
        return start(640, 480);
    }

    /** The X server's process id (its CPU time is part of what the benchmark measures). */
    public long pid() {
        return process.pid();
    }

    /** The DISPLAY value, e.g. ":3". */
    public String display() {
        return display;
    }

    /** Whether the server still runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Ends the server at once (SIGKILL), as a crash would, and waits for it: for tests of a display
     * that goes away.
     */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    /** Stops the server and waits for it (up to 5 s, then kills it). Idempotent. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
