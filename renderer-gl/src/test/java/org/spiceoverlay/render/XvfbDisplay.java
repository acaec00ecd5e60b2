package org.spiceoverlay.render;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.spiceoverlay.api.Rect;
import org.spiceoverlay.media.PrivateXServer;

/**
 * A private X server for a test: Xvfb on a free display number, its root window painted a known
 * colour, with screenshots ({@code import -window root}) and window queries ({@code xdotool},
 * {@code xwininfo}). Missing programs fail the test with the Debian package to install.
 *
 * <p>Threads: one test thread uses an instance. {@link #close()} stops the server and is idempotent.
 */
final class XvfbDisplay implements AutoCloseable {

    /** What each program comes from, for the failure message. */
    private static final Map<String, String> PACKAGES = Map.of(
            "Xvfb", "xvfb",
            "xdpyinfo", "x11-utils",
            "xwininfo", "x11-utils",
            "xdotool", "xdotool",
            "import", "imagemagick",
            "display", "imagemagick",
            "openbox", "openbox",
            "xprop", "x11-utils");

    private final int number;
    private final int width;
    private final int height;
    private final PrivateXServer server;
    private boolean closed;

    private XvfbDisplay(int number, int width, int height, PrivateXServer server) {
        this.number = number;
        this.width = width;
        this.height = height;
        this.server = server;
    }

    /**
     * Starts Xvfb with a {@code width x height x 24} screen on a display number it picks itself
     * ({@code -displayfd}: the server takes a free number and writes it once it accepts clients, so
     * concurrent test runs cannot collide) and waits until it answers.
     *
     * @throws AssertionError naming the package to install when a program is missing, or when no
     *         server came up
     */
    static XvfbDisplay start(int width, int height) {
        for (String program : List.of("Xvfb", "xdpyinfo", "xwininfo", "xdotool", "import", "display")) {
            requireProgram(program);
        }
        PrivateXServer p;
        try {
            p = PrivateXServer.start(width, height);
        } catch (IOException e) {
            throw new AssertionError(e.getMessage(), e);
        }
        int number = Integer.parseInt(p.display().substring(1));
        XvfbDisplay display = new XvfbDisplay(number, width, height, p);
        if (!display.waitUntilUp()) {
            display.close();
            throw new AssertionError("Xvfb on :" + number + " does not answer xdpyinfo");
        }
        return display;
    }

    private boolean waitUntilUp() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                return false;
            }
            if (exec(List.of("xdpyinfo", "-display", name()), 5).exitCode == 0) {
                return true;
            }
            sleep(50);
        }
        return false;
    }

    String name() {
        return ":" + number;
    }

    Rect screen() {
        return new Rect(0, 0, width, height);
    }

    /** Makes this process's GLFW open this display. */
    void useForThisProcess() {
        ProcessEnvironment.set("DISPLAY", name());
    }

    /** Paints the root window {@code rgb} (0xRRGGBB) and checks that a screenshot shows it. */
    void setRootColour(int rgb) {
        // ImageMagick's display sets the root's background to the image and exits (x11-xserver-utils'
        // xsetroot is not among the project's packages).
        exec(List.of("display", "-window", "root", String.format("xc:#%06X", rgb)), 20);
        Screenshot shot = screenshot();
        if (shot.rgb(0, 0) != rgb || shot.rgb(width - 1, height - 1) != rgb) {
            throw new AssertionError(
                    String.format("the root window did not turn #%06X (reads #%06X)", rgb, shot.rgb(0, 0)));
        }
    }

    /** The whole screen as X shows it now. */
    Screenshot screenshot() {
        Result r = exec(List.of("import", "-display", name(), "-window", "root", "-depth", "8", "rgb:-"), 30);
        if (r.exitCode != 0 || r.stdout.length != width * height * 3) {
            throw new AssertionError("import -window root failed (exit " + r.exitCode + ", " + r.stdout.length
                    + " bytes): " + new String(r.stdout, 0, Math.min(r.stdout.length, 500), StandardCharsets.UTF_8));
        }
        return new Screenshot(width, height, r.stdout);
    }

    /** A top-level window as X knows it. */
    record WindowInfo(long id, boolean viewable, Rect geometry) {}

    /** Every window with WM_CLASS {@code className} (mapped or not). */
    List<WindowInfo> windowsOfClass(String className) {
        Result search = exec(List.of("xdotool", "search", "--classname", className), 10);
        List<WindowInfo> out = new ArrayList<>();
        for (String line : new String(search.stdout, StandardCharsets.UTF_8).split("\\s+")) {
            if (line.isBlank()) {
                continue;
            }
            long id = Long.parseLong(line.trim());
            String info =
                    new String(exec(List.of("xwininfo", "-id", Long.toString(id)), 10).stdout, StandardCharsets.UTF_8);
            out.add(new WindowInfo(
                    id,
                    info.contains("Map State: IsViewable"),
                    new Rect(
                            field(info, "Absolute upper-left X"),
                            field(info, "Absolute upper-left Y"),
                            field(info, "Width"),
                            field(info, "Height"))));
        }
        return out;
    }

    private static int field(String xwininfo, String name) {
        Matcher m = Pattern.compile(Pattern.quote(name) + ":\\s*(-?\\d+)").matcher(xwininfo);
        if (!m.find()) {
            throw new AssertionError("xwininfo output lacks \"" + name + "\": " + xwininfo);
        }
        return Integer.parseInt(m.group(1));
    }

    /** The RGB pixels of a screenshot. */
    record Screenshot(int width, int height, byte[] rgb) {
        int rgb(int x, int y) {
            int i = (y * width + x) * 3;
            return ((rgb[i] & 0xff) << 16) | ((rgb[i + 1] & 0xff) << 8) | (rgb[i + 2] & 0xff);
        }

        /** Brightness 0..255 of pixel (x, y), for FrameNumberCode.read. */
        int brightness(int x, int y) {
            int i = (y * width + x) * 3;
            return ((rgb[i] & 0xff) + (rgb[i + 1] & 0xff) + (rgb[i + 2] & 0xff)) / 3;
        }
    }

    record Result(int exitCode, byte[] stdout) {}

    /**
     * Starts a long-running X client on this display (a window manager, a stand-in application);
     * the caller stops it with {@link Process#destroy()}.
     */
    Process spawn(List<String> command) {
        requireProgram(command.get(0));
        ProcessBuilder pb =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("DISPLAY", name());
        try {
            return pb.start();
        } catch (IOException e) {
            throw new AssertionError("cannot start " + command + ": " + e.getMessage(), e);
        }
    }

    /** Runs an X client on this display and returns its standard output as text. */
    String text(String... command) {
        return new String(exec(List.of(command), 10).stdout, StandardCharsets.UTF_8).trim();
    }

    /** Runs an X client on this display. */
    Result exec(List<String> command, int timeoutSeconds) {
        ProcessBuilder pb =
                new ProcessBuilder(command).redirectErrorStream(false).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("DISPLAY", name());
        try {
            Process p = pb.start();
            byte[] out;
            try (InputStream in = p.getInputStream()) {
                ByteArrayOutputStream buffer = new ByteArrayOutputStream();
                in.transferTo(buffer);
                out = buffer.toByteArray();
            }
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(command + " did not finish within " + timeoutSeconds + " s");
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running " + command, e);
        }
    }

    private static void requireProgram(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return;
            }
        }
        throw new AssertionError("the test needs the program " + program + " (install the Debian package "
                + PACKAGES.get(program) + ", or run ./overlay setup as root)");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the server (its own process only) and waits for it. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.close();
    }

    @Override
    public String toString() {
        return "Xvfb " + name() + " " + width + "x" + height;
    }
}
