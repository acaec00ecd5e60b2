package org.spiceoverlay.media;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real Spice session on this machine, run by {@code scripts/spice-scene.sh}: a guest display
 * served by Xspice (Xorg with the spiceqxl driver), a client display (Xvfb with openbox, or one that
 * is already there: {@link Options#withClientDisplay}) and remote-viewer on it, connected. For tests and the demo; each scene has its own directory, so
 * several may run at once.
 *
 * <p>Threads: one thread uses a scene. {@link #close()} stops every process of the scene and is
 * idempotent.
 */
public final class SpiceScene implements AutoCloseable {

    /** The system property naming the script, for runs outside the source tree. */
    public static final String SCRIPT_PROPERTY = "spiceoverlay.sceneScript";

    /**
     * How to set the scene up.
     *
     * @param guestWidth the guest display's size
     * @param guestHeight the guest display's size
     * @param clientWidth the client screen's size (of the Xvfb the scene starts)
     * @param clientHeight the client screen's size (of the Xvfb the scene starts)
     * @param windowWidth remote-viewer's window size, or 0 for its own choice
     * @param windowHeight remote-viewer's window size, or 0 for its own choice
     * @param fullScreen remote-viewer {@code --full-screen}
     * @param timeout how long bringing the scene up may take
     * @param clientDisplay an X display that is already there (such as the user's ":0") for
     *     remote-viewer, instead of an Xvfb with openbox started for the scene; its size is its own
     *     and closing the scene leaves it running. Null: the scene starts its own.
     */
    public record Options(
            int guestWidth,
            int guestHeight,
            int clientWidth,
            int clientHeight,
            int windowWidth,
            int windowHeight,
            boolean fullScreen,
            Duration timeout,
            String clientDisplay) {

        public Options {
            Objects.requireNonNull(timeout, "timeout");
            if (guestWidth <= 0 || guestHeight <= 0) {
                throw new IllegalArgumentException("guest size must be > 0, got " + guestWidth + "x" + guestHeight);
            }
            if (clientWidth <= 0 || clientHeight <= 0) {
                throw new IllegalArgumentException("client size must be > 0, got " + clientWidth + "x" + clientHeight);
            }
            if (windowWidth < 0 || windowHeight < 0 || (windowWidth == 0) != (windowHeight == 0)) {
                throw new IllegalArgumentException(
                        "window size must be both > 0 or both 0, got " + windowWidth + "x" + windowHeight);
            }
            if (timeout.toSeconds() < 1) {
                throw new IllegalArgumentException("timeout must be at least 1 s, got " + timeout);
            }
            if (clientDisplay != null && !clientDisplay.matches("[A-Za-z0-9._-]*:[0-9]+(\\.[0-9]+)?")) {
                throw new IllegalArgumentException(
                        "clientDisplay must be an X display name such as :0, got '" + clientDisplay + "'");
            }
        }

        /** A 1024x768 guest, a 1920x1080 client screen, remote-viewer's own window size, 30 s. */
        public static Options defaults() {
            return new Options(1024, 768, 1920, 1080, 0, 0, false, Duration.ofSeconds(30), null);
        }

        public Options withGuestSize(int w, int h) {
            return new Options(
                    w, h, clientWidth, clientHeight, windowWidth, windowHeight, fullScreen, timeout, clientDisplay);
        }

        public Options withClientSize(int w, int h) {
            return new Options(
                    guestWidth, guestHeight, w, h, windowWidth, windowHeight, fullScreen, timeout, clientDisplay);
        }

        public Options withWindowSize(int w, int h) {
            return new Options(
                    guestWidth, guestHeight, clientWidth, clientHeight, w, h, fullScreen, timeout, clientDisplay);
        }

        public Options withFullScreen(boolean full) {
            return new Options(
                    guestWidth,
                    guestHeight,
                    clientWidth,
                    clientHeight,
                    windowWidth,
                    windowHeight,
                    full,
                    timeout,
                    clientDisplay);
        }

        /** remote-viewer on this display (such as ":0"), which the scene neither starts nor stops; null: its own Xvfb. */
        public Options withClientDisplay(String display) {
            return new Options(
                    guestWidth,
                    guestHeight,
                    clientWidth,
                    clientHeight,
                    windowWidth,
                    windowHeight,
                    fullScreen,
                    timeout,
                    display);
        }

        List<String> viewerArguments() {
            List<String> a = new ArrayList<>();
            if (windowWidth > 0) {
                a.add("--window-size");
                a.add(windowWidth + "x" + windowHeight);
            }
            if (fullScreen) {
                a.add("--full-screen");
            }
            a.add("--timeout");
            a.add(Long.toString(timeout.toSeconds()));
            return a;
        }
    }

    private final Path script;
    private final Path dir;
    private Map<String, String> state;
    private boolean closed;

    private SpiceScene(Path script, Path dir, Map<String, String> state) {
        this.script = script;
        this.dir = dir;
        this.state = state;
    }

    /**
     * Brings a scene up in {@code dir} (state file and logs go there) and waits until remote-viewer
     * shows the guest.
     *
     * @throws IllegalStateException with the script's account of what failed (it names the logs)
     */
    public static SpiceScene start(Path dir, Options options) {
        return start(dir, options, List.of(), Map.of());
    }

    /**
     * As {@link #start(Path, Options)}, with more of the script's {@code up} arguments (the Spice
     * server's settings: {@code --spice-port}, {@code --viewer-port}, {@code --streaming-video},
     * {@code --video-codecs}, {@code --playback-fifo-dir}; see {@code scripts/spice-scene.sh}) and
     * environment variables for the scene's processes (such as {@code PULSE_SERVER} for
     * remote-viewer's sound).
     */
    public static SpiceScene start(
            Path dir, Options options, List<String> serverArguments, Map<String, String> environment) {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(serverArguments, "serverArguments");
        Objects.requireNonNull(environment, "environment");
        Path script = script();
        List<String> cmd = new ArrayList<>(List.of(
                script.toString(),
                "up",
                dir.toString(),
                "--guest-size",
                options.guestWidth() + "x" + options.guestHeight()));
        if (options.clientDisplay() != null) {
            cmd.addAll(List.of("--client-display", options.clientDisplay()));
        } else {
            cmd.addAll(List.of("--client-size", options.clientWidth() + "x" + options.clientHeight()));
        }
        cmd.addAll(options.viewerArguments());
        cmd.addAll(serverArguments);
        run(cmd, options.timeout().plusSeconds(15), environment);
        return new SpiceScene(script, dir, readState(dir));
    }

    /** The script: {@value #SCRIPT_PROPERTY}, else {@code scripts/spice-scene.sh} in this or a parent directory. */
    public static Path script() {
        String p = System.getProperty(SCRIPT_PROPERTY);
        if (p != null) {
            return Path.of(p);
        }
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path s = d.resolve("scripts").resolve("spice-scene.sh");
            if (Files.isExecutable(s)) {
                return s;
            }
        }
        throw new IllegalStateException("scripts/spice-scene.sh not found above "
                + Path.of("").toAbsolutePath() + "; set -D" + SCRIPT_PROPERTY + "=/path/to/spice-scene.sh");
    }

    private static String run(List<String> cmd, Duration timeout) {
        return run(cmd, timeout, Map.of());
    }

    private static String run(List<String> cmd, Duration timeout, Map<String, String> environment) {
        try {
            Path out = Files.createTempFile("spice-scene", ".out");
            try {
                ProcessBuilder pb =
                        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
                pb.environment().putAll(environment);
                Process p = pb.start();
                if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException(String.join(" ", cmd) + " did not finish within " + timeout + ": "
                            + Files.readString(out, StandardCharsets.UTF_8));
                }
                String text = Files.readString(out, StandardCharsets.UTF_8);
                if (p.exitValue() != 0) {
                    throw new IllegalStateException(
                            String.join(" ", cmd) + " failed (exit " + p.exitValue() + "):\n" + text);
                }
                return text;
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + cmd + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + cmd, e);
        }
    }

    private static Map<String, String> readState(Path dir) {
        Map<String, String> m = new HashMap<>();
        try {
            for (String line : Files.readAllLines(dir.resolve("scene.env"), StandardCharsets.UTF_8)) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    m.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the scene's state file: " + e.getMessage(), e);
        }
        return m;
    }

    private String get(String key) {
        String v = state.get(key);
        if (v == null) {
            throw new IllegalStateException("the scene's state file has no " + key + ": " + state);
        }
        return v;
    }

    /** The guest display, e.g. ":5" (an X display: the Xspice server). */
    public String guestDisplay() {
        return get("GUEST_DISPLAY");
    }

    /** The client display, e.g. ":6" (Xvfb with openbox, or the display given; remote-viewer runs there). */
    public String clientDisplay() {
        return get("CLIENT_DISPLAY");
    }

    /** Whether the client display was given ({@link Options#withClientDisplay}) rather than started by the scene. */
    public boolean clientDisplayGiven() {
        return "1".equals(state.get("CLIENT_DISPLAY_GIVEN"));
    }

    public int spicePort() {
        return Integer.parseInt(get("SPICE_PORT"));
    }

    public long remoteViewerPid() {
        return Long.parseLong(get("REMOTE_VIEWER_PID"));
    }

    /** remote-viewer's visible window on the client display. */
    public long remoteViewerWindow() {
        return Long.parseLong(get("REMOTE_VIEWER_WINDOW"));
    }

    public Path directory() {
        return dir;
    }

    public Path logDirectory() {
        return Path.of(get("LOG_DIR"));
    }

    /** The Xspice X server's process id (the guest display and the Spice server are one process). */
    public long guestServerPid() {
        return Long.parseLong(get("GUEST_XORG_PID"));
    }

    /** The client display's Xvfb process id; -1 when the display was given. */
    public long clientServerPid() {
        String v = state.get("CLIENT_XVFB_PID");
        return v == null || v.isEmpty() ? -1 : Long.parseLong(v);
    }

    /** Stops remote-viewer and waits until it is gone. */
    public void killViewer() {
        Optional<ProcessHandle> p = ProcessHandle.of(remoteViewerPid());
        if (p.isPresent()) {
            p.get().destroy();
            try {
                p.get().onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                p.get().destroyForcibly();
            }
        }
    }

    /**
     * Starts a new remote-viewer (stopping the current one if it still runs) with the window size
     * and full-screen choice of {@code options}, and waits until it shows the guest.
     */
    public void restartViewer(Options options) {
        List<String> cmd = new ArrayList<>(List.of(script.toString(), "viewer", dir.toString()));
        cmd.addAll(options.viewerArguments());
        run(cmd, options.timeout().plusSeconds(15));
        state = readState(dir);
    }

    /** Stops every process of the scene. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        run(List.of(script.toString(), "down", dir.toString()), Duration.ofSeconds(30));
    }

    @Override
    public String toString() {
        return "SpiceScene[guest " + state.get("GUEST_DISPLAY") + ", client " + state.get("CLIENT_DISPLAY")
                + ", remote-viewer " + state.get("REMOTE_VIEWER_PID") + "]";
    }
}
