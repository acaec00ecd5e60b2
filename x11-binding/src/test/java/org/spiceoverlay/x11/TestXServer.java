package org.spiceoverlay.x11;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** A private Xvfb on a display it picks itself ({@code -displayfd}); {@link #close} ends it. */
final class TestXServer implements AutoCloseable {

    private final Process xvfb;
    private final String display;

    private TestXServer(Process xvfb, String display) {
        this.xvfb = xvfb;
        this.display = display;
    }

    static TestXServer start() throws IOException {
        Process p;
        try {
            p = new ProcessBuilder(
                            "Xvfb", "-displayfd", "1", "-screen", "0", "640x480x24", "-nolisten", "tcp", "-noreset")
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            throw new IOException("cannot start Xvfb (install xvfb: ./overlay setup): " + e.getMessage(), e);
        }
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII));
        String line = r.readLine();
        if (line == null || !line.trim().matches("[0-9]+")) {
            p.destroyForcibly();
            throw new IOException("Xvfb did not start (it printed " + line + ")");
        }
        return new TestXServer(p, ":" + line.trim());
    }

    String display() {
        return display;
    }

    @Override
    public void close() throws InterruptedException {
        xvfb.destroy();
        if (!xvfb.waitFor(5, TimeUnit.SECONDS)) {
            xvfb.destroyForcibly().waitFor();
        }
    }
}
