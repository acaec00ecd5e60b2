package org.spiceoverlay.guest.x11;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.spiceoverlay.media.PrivateXServer;

/**
 * A private Xvfb (it picks a free display itself: {@code -displayfd}), optionally with openbox as the
 * window manager, for tests; {@link #close} ends both. A missing program fails with what to install.
 */
final class GuestXServer implements AutoCloseable {

    private final PrivateXServer xvfb;
    private final String display;
    private Process wm;

    private GuestXServer(PrivateXServer xvfb, String display) {
        this.xvfb = xvfb;
        this.display = display;
    }

    static GuestXServer start(int width, int height, boolean openbox) throws IOException, InterruptedException {
        PrivateXServer xvfb = PrivateXServer.start(width, height);
        GuestXServer x = new GuestXServer(xvfb, xvfb.display());
        if (openbox) {
            try {
                x.startOpenbox();
            } catch (IOException | InterruptedException | RuntimeException e) {
                x.close();
                throw e;
            }
        }
        return x;
    }

    private void startOpenbox() throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("openbox", "--sm-disable")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("DISPLAY", display);
        try {
            wm = pb.start();
        } catch (IOException e) {
            throw new IOException("cannot start openbox (install openbox: ./overlay setup): " + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            // EWMH: a running manager announces itself on the root window
            if (run("xprop", "-root", "_NET_SUPPORTING_WM_CHECK").contains("window id")) {
                return;
            }
            if (!wm.isAlive()) {
                throw new IOException("openbox exited with " + wm.exitValue());
            }
            Thread.sleep(50);
        }
        throw new IOException("openbox did not come up on " + display + " within 10 s");
    }

    String display() {
        return display;
    }

    /** Runs an X client program on this display and returns its standard output. */
    String run(String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("DISPLAY", display);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IOException(
                    "cannot run " + command[0] + " (install x11-utils and xdotool: ./overlay setup): " + e.getMessage(),
                    e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " hung");
        }
        return out;
    }

    /** xwininfo's "Absolute upper-left", "Width", "Height" and "Border width" of a window. */
    int[] xwininfo(long window) throws IOException, InterruptedException {
        String out = run("xwininfo", "-id", "0x" + Long.toHexString(window));
        List<Integer> v = new ArrayList<>();
        for (String key :
                new String[] {"Absolute upper-left X:", "Absolute upper-left Y:", "Width:", "Height:", "Border width:"
                }) {
            int i = out.indexOf(key);
            if (i < 0) {
                throw new IOException("xwininfo printed no " + key + ":\n" + out);
            }
            String rest = out.substring(i + key.length()).trim();
            v.add(Integer.parseInt(rest.split("\\s+")[0]));
        }
        return v.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The window's top-level ancestor (its window manager frame, or itself), as xwininfo -tree tells. */
    long topLevel(long window) throws IOException, InterruptedException {
        long cur = window;
        for (int i = 0; i < 32; i++) {
            String out = run("xwininfo", "-tree", "-id", "0x" + Long.toHexString(cur));
            String root = field(out, "Root window id:");
            String parent = field(out, "Parent window id:");
            if (parent.equals(root)) {
                return cur;
            }
            cur = Long.decode(parent);
        }
        throw new IOException("no top-level ancestor of 0x" + Long.toHexString(window));
    }

    private static String field(String out, String key) throws IOException {
        int i = out.indexOf(key);
        if (i < 0) {
            throw new IOException("xwininfo printed no " + key + ":\n" + out);
        }
        return out.substring(i + key.length()).trim().split("\\s+")[0];
    }

    @Override
    public void close() {
        if (wm != null) {
            wm.destroy();
            try {
                if (!wm.waitFor(5, TimeUnit.SECONDS)) {
                    wm.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                wm.destroyForcibly();
            }
        }
        xvfb.close();
    }
}
