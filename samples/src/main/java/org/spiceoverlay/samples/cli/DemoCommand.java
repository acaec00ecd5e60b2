package org.spiceoverlay.samples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.imageio.ImageIO;
import org.spiceoverlay.api.GuestDisplay;
import org.spiceoverlay.api.Rect;
import org.spiceoverlay.api.transport.Endpoint;
import org.spiceoverlay.bridge.window.ClientWindowProfile;
import org.spiceoverlay.bridge.window.ScreenImage;
import org.spiceoverlay.bridge.window.WindowSelector;
import org.spiceoverlay.bridge.window.X11WindowTracker;
import org.spiceoverlay.guest.GuestGeometry;
import org.spiceoverlay.guest.GuestOptions;
import org.spiceoverlay.guest.GuestTiming;
import org.spiceoverlay.guest.OverlayGuest;
import org.spiceoverlay.media.ClipGenerator;
import org.spiceoverlay.media.PrivateXServer;
import org.spiceoverlay.media.SampleClip;
import org.spiceoverlay.media.SpiceScene;
import org.spiceoverlay.samples.player.SamplePlayer;
import org.spiceoverlay.samples.player.TrackedPlayerWindow;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code overlay demo}: the whole redirection on one machine, on a real Spice session. Brings up a
 * guest display served by Xspice and remote-viewer showing it (on a private Xvfb with openbox, or the
 * current display with {@code --show}), the client service in its own process following
 * remote-viewer's window, and the sample player in a window of the guest display; plays a generated
 * sample clip, then prints and optionally writes what was sent, what was shown, the latency from sent
 * to on screen, and the placement error measured from screenshots. {@code --no-spice} runs the first
 * form: the guest display drawn at a fixed place.
 *
 * <p>Main thread.
 */
@Command(
        name = "demo",
        description = {
            "Play a sample clip through the redirection on this machine: client service, guest "
                    + "library, overlay window (on a private Xvfb with --headless), and report frames and latency."
        })
public final class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "Show this help and exit.")
    boolean help;

    @Option(
            names = "--headless",
            description = "Run every display privately (the default; with --no-spice: draw on a "
                    + "private Xvfb instead of the current display).")
    boolean headless;

    @Option(
            names = "--show",
            description = "Show remote-viewer and the overlay on the current X display instead of a " + "private one.")
    boolean show;

    @Option(
            names = "--no-spice",
            description = "No Spice session: the client draws the guest display at a fixed place "
                    + "(on a private Xvfb, or the current display).")
    boolean noSpice;

    @Option(
            names = "--seconds",
            paramLabel = "N",
            defaultValue = "10",
            description = "How long to play (default: the " + "clip, ${DEFAULT-VALUE} s).")
    double seconds;

    @Option(
            names = "--clip",
            paramLabel = "NAME",
            description = "Sample clip to play (default: h264-720p; with --timing LIVE, live-720p, encoded as a live "
                    + "source is: no B-frames).")
    String clipName;

    @Option(
            names = "--rect",
            paramLabel = "X,Y,W,H",
            defaultValue = "300,250,640,360",
            description = "The player window's place on the 1024x768 guest display (default: ${DEFAULT-VALUE}).")
    String rect;

    @Option(
            names = "--timing",
            paramLabel = "MODE",
            defaultValue = "BUFFERED",
            description = "BUFFERED (the client presents on its clock; default) or LIVE (each frame shown as soon as "
                    + "it is decoded).")
    GuestTiming timing;

    @Option(
            names = "--lead-ms",
            paramLabel = "MS",
            defaultValue = "250",
            description =
                    "BUFFERED: how far ahead of its time the player sends each sample (default: ${DEFAULT-VALUE}).")
    long leadMs;

    @Option(names = "--report", paramLabel = "FILE", description = "Write the report as JSON.")
    Path report;

    @Option(names = "--screenshot", paramLabel = "FILE", description = "Save a PNG of the screen near the end.")
    Path screenshot;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Rect videoRect;
        SampleClip clip;
        try {
            videoRect = ClientCommand.parseRect(rect);
            clip = clipName != null
                    ? SampleClip.byName(clipName)
                    : timing == GuestTiming.LIVE ? SampleClip.LIVE_720P : SampleClip.H264_720P;
        } catch (IllegalArgumentException e) {
            err.println("overlay demo: " + e.getMessage());
            return 2;
        }
        if (!(seconds > 0)) {
            err.println("overlay demo: --seconds must be > 0");
            return 2;
        }
        if (show && (headless || noSpice)) {
            err.println("overlay demo: --show goes with neither --headless nor --no-spice");
            return 2;
        }
        String userDisplay = System.getenv("DISPLAY");
        if (show && (userDisplay == null || userDisplay.isEmpty())) {
            err.println("overlay demo: --show needs an X display (DISPLAY is not set)");
            return 2;
        }
        Path work = Files.createTempDirectory("spice-overlay-demo");
        Path clipDir = Path.of(System.getProperty("user.home"), ".cache", "spice-overlay", "clips");
        out.println("sample clip: " + clip + " (generating if needed)");
        out.flush();
        Path clipFile = ClipGenerator.generate(clip, clipDir, Duration.ofSeconds(10), false)
                .file();
        return noSpice
                ? runFixed(out, err, clip, clipFile, videoRect, work)
                : runSpice(out, err, clip, clipFile, videoRect, work, show ? userDisplay : null);
    }

    /**
     * The whole scene: a guest display served by Xspice, remote-viewer showing it on the client
     * display, the client service following remote-viewer's window, and the player in a window of
     * the guest display.
     */
    private int runSpice(
            PrintWriter out,
            PrintWriter err,
            SampleClip clip,
            Path clipFile,
            Rect videoRect,
            Path work,
            String clientDisplay)
            throws Exception {
        SpiceScene.Options options = SpiceScene.Options.defaults();
        if (clientDisplay != null) {
            options = options.withClientDisplay(clientDisplay);
        }
        out.println("starting the Spice session: a 1024x768 guest display served by Xspice, remote-viewer on "
                + (clientDisplay != null ? clientDisplay : "a private Xvfb with openbox"));
        out.flush();
        SpiceScene scene;
        try {
            scene = SpiceScene.start(work.resolve("scene"), options);
        } catch (IllegalStateException e) {
            err.println("overlay demo: the Spice session did not come up: " + e.getMessage());
            return 1;
        }
        ClientProcess client = null;
        X11WindowTracker grabber = null;
        Path socket = work.resolve("overlay.sock");
        Path clientReport = work.resolve("client.json");
        Path clientLog = work.resolve("client.log");
        try (scene) {
            out.println("guest display " + scene.guestDisplay() + " (spice://127.0.0.1:" + scene.spicePort()
                    + "), remote-viewer on " + scene.clientDisplay());
            PrintWriter quiet = new PrintWriter(Writer.nullWriter());
            try (TrackedPlayerWindow window =
                    TrackedPlayerWindow.open(scene.guestDisplay(), videoRect, "overlay demo player", quiet, () -> {})) {
                // Where remote-viewer shows the player window: its probe colour, before the video covers it.
                // Grabs go straight through X (XGetImage), which costs the video far less than a
                // screenshot program would.
                grabber = X11WindowTracker.open(
                        scene.clientDisplay(), ClientWindowProfile.remoteViewer(), WindowSelector.any());
                PlacementMeasure.ProbeSighting sighting = PlacementMeasure.awaitProbe(
                        grabber, Duration.ofSeconds(20), () -> true, work.resolve("before.png"));
                ScreenImage before = sighting.grab();
                Rect shown = sighting.shown();
                if (shown == null) {
                    err.println("overlay demo: the player window never showed in remote-viewer (see "
                            + work.resolve("before.png") + ")");
                    return 1;
                }
                out.println(
                        "player window at " + videoRect + " in the guest shows at " + shown + " on the client screen");
                client = ClientProcess.start(
                        scene.clientDisplay(), "unix:" + socket, clientReport, clientLog, null, true);
                client.awaitSocket(socket);
                out.println("client service up (" + Endpoint.unix(socket) + "), following remote-viewer; playing "
                        + clipFile.getFileName() + " for " + seconds + " s");
                out.flush();
                SamplePlayer.Outcome outcome;
                AtomicReference<ScreenImage> duringShot = new AtomicReference<>();
                X11WindowTracker grab = grabber;
                try (OverlayGuest guest = connectWhenListening(client, Endpoint.unix(socket))) {
                    Thread shot = new Thread(
                            () -> {
                                try {
                                    Thread.sleep((long) (Math.max(1.5, seconds * 0.6) * 1000));
                                    duringShot.set(grab.grab(PlacementMeasure.SCREEN));
                                } catch (RuntimeException e) {
                                    System.err.println("overlay demo: grabbing the screen failed: " + e);
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                            },
                            "demo-screenshot");
                    shot.setDaemon(true);
                    shot.start();
                    GuestGeometry g = window.current();
                    outcome = new SamplePlayer(
                                    guest,
                                    clipFile,
                                    g.displayWidth(),
                                    g.displayHeight(),
                                    g.videoRect(),
                                    timing,
                                    timing == GuestTiming.LIVE ? 0 : TimeUnit.MILLISECONDS.toNanos(leadMs))
                            .withWindow(window)
                            .play(seconds);
                    shot.join(30_000);
                }
                // Measured after playback, so the comparison takes no CPU from the video.
                ScreenImage during = duringShot.get();
                Rect video = during == null
                        ? null
                        : PlacementMeasure.changed(before, during).orElse(null);
                int placementError = video == null ? -1 : PlacementMeasure.edgeError(shown, video);
                if (video == null) {
                    out.println("placement: no video found on the client screen");
                } else {
                    out.printf(
                            Locale.ROOT,
                            "placement: video at %s, player window shows at %s: error %d px, %d probe "
                                    + "pixels left uncovered%n",
                            video,
                            shown,
                            placementError,
                            PlacementMeasure.probePixels(during, shown));
                }
                if (during != null && screenshot != null) {
                    ImageIO.write(PlacementMeasure.image(during), "png", screenshot.toFile());
                }
                return DemoReport.write(report, screenshot, seconds, out, err, clip, client, outcome, placementError);
            } finally {
                // before the scene's X servers go
                if (grabber != null) {
                    grabber.close();
                    grabber = null;
                }
            }
        } finally {
            if (client != null) {
                client.close();
            }
            if (grabber != null) {
                grabber.close();
            }
        }
    }

    /** The first form: the client draws the guest display at a fixed place on an X display. */
    private int runFixed(PrintWriter out, PrintWriter err, SampleClip clip, Path clipFile, Rect videoRect, Path work)
            throws Exception {
        String display = System.getenv("DISPLAY");
        PrivateXServer xserver = null;
        if (headless || display == null || display.isEmpty()) {
            xserver = PrivateXServer.start(1280, 800);
            display = xserver.display();
            out.println("private X server on " + display);
        }
        ClientProcess client = null;
        Path socket = work.resolve("overlay.sock");
        try {
            client = ClientProcess.start(
                    display,
                    "unix:" + socket,
                    work.resolve("client.json"),
                    work.resolve("client.log"),
                    new Rect(0, 0, 1024, 768),
                    true);
            client.awaitSocket(socket);
            out.println("client service up (" + Endpoint.unix(socket) + "), playing " + clipFile.getFileName() + " for "
                    + seconds + " s at " + videoRect + " on a 1024x768 guest display drawn at 0,0");
            out.flush();
            SamplePlayer.Outcome outcome;
            try (OverlayGuest guest = connectWhenListening(client, Endpoint.unix(socket))) {
                Thread shot = null;
                if (screenshot != null) {
                    String d = display;
                    shot = new Thread(() -> takeScreenshot(d, screenshot, seconds), "demo-screenshot");
                    shot.setDaemon(true);
                    shot.start();
                }
                outcome = new SamplePlayer(
                                guest,
                                clipFile,
                                1024,
                                768,
                                videoRect,
                                timing,
                                timing == GuestTiming.LIVE ? 0 : TimeUnit.MILLISECONDS.toNanos(leadMs))
                        .play(seconds);
                if (shot != null) {
                    shot.join(10_000);
                }
            }
            return DemoReport.write(report, screenshot, seconds, out, err, clip, client, outcome, Integer.MIN_VALUE);
        } finally {
            if (client != null) {
                client.close();
            }
            if (xserver != null) {
                xserver.close();
            }
        }
    }

    /** The socket file appears a moment before the client listens on it: retry briefly. */
    private static OverlayGuest connectWhenListening(ClientProcess client, Endpoint endpoint) throws Exception {
        GuestOptions options = GuestOptions.builder(GuestDisplay.of(0, 1024, 768))
                .guestName("overlay demo player")
                .build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                return OverlayGuest.connect(endpoint, options);
            } catch (org.spiceoverlay.guest.GuestConnectionException e) {
                if (!client.isAlive() || System.nanoTime() > deadline) {
                    throw new IOException(e.getMessage() + "\nclient log:\n" + client.tail(), e);
                }
                Thread.sleep(100);
            }
        }
    }

    private static void takeScreenshot(String display, Path file, double seconds) {
        try {
            Thread.sleep((long) (Math.max(0.5, seconds * 0.6) * 1000));
            Process p = new ProcessBuilder("import", "-display", display, "-window", "root", file.toString())
                    .redirectErrorStream(true)
                    .start();
            p.waitFor(20, TimeUnit.SECONDS);
        } catch (IOException e) {
            System.err.println("overlay demo: screenshot failed (install imagemagick): " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
