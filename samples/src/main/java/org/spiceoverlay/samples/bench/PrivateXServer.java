package org.spiceoverlay.samples.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A private X server (Xvfb) for headless runs: started with {@code -displayfd} so that it picks a
 * free display number itself, stopped on close.
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

    /** The X server's process id (its CPU time is part of what the benchmark measures). */
    public long pid() {
        return process.pid();
    }

    /** The DISPLAY value, e.g. ":3". */
    public String display() {
        return display;
    }

    @Override
    public void close() {
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
