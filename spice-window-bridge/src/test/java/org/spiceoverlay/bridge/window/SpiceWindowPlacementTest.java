package org.spiceoverlay.bridge.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.spiceoverlay.api.Colorimetry;
import org.spiceoverlay.api.FrameLayout;
import org.spiceoverlay.api.FrameNumberCode;
import org.spiceoverlay.api.GuestToScreenMapping;
import org.spiceoverlay.api.PixelFormat;
import org.spiceoverlay.api.PlacementProbe;
import org.spiceoverlay.api.Rect;
import org.spiceoverlay.api.Region;
import org.spiceoverlay.api.VideoFrame;
import org.spiceoverlay.bridge.service.CompositorVideoOutput;
import org.spiceoverlay.bridge.service.GuestPlacement;
import org.spiceoverlay.bridge.service.VideoOutput;
import org.spiceoverlay.media.SpiceScene;
import org.spiceoverlay.render.Compositor;
import org.spiceoverlay.render.CompositorOptions;
import org.spiceoverlay.render.RefreshReport;

/**
 * The overlay over a real Spice client: Xspice plays the guest (a 1024x768 desktop with a player
 * window at 300,250 640x360 painted in the probe colour), remote-viewer shows it on Xvfb with
 * openbox, the {@link X11WindowTracker} follows remote-viewer's window and an on-screen
 * {@link Compositor} draws the stream (solid green frames, 30 per second) through
 * {@link CompositorVideoOutput}. Every check is on the client screen's pixels: where remote-viewer
 * shows the player window (the probe, with the overlay hidden) against where the video is drawn,
 * edge by edge.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag("integration")
class SpiceWindowPlacementTest {

    private static final Rect PLAYER = new Rect(300, 250, 640, 360);
    private static final int GUEST_W = 1024;
    private static final int GUEST_H = 768;
    private static final int VIDEO = 0x30c030;
    private static final Duration SETTLE = Duration.ofSeconds(15);

    private static SpiceScene scene;
    private static GuestPlayerWindow player;
    private static X11WindowTracker tracker;
    private static CompositorVideoOutput output;
    private static VideoOutput.StreamView view;
    private static Thread feeder;
    private static volatile boolean feeding = true;
    /** While set, every frame carries its number (FrameNumberCode strip at the top). */
    private static volatile boolean numbered;

    private static volatile GuestPlacement placement;
    private static final ConcurrentLinkedQueue<RefreshReport> REFRESHES = new ConcurrentLinkedQueue<>();
    /** {eventNanos, relayoutNanos} of each layout change. */
    private static final ConcurrentLinkedQueue<long[]> RELAYOUTS = new ConcurrentLinkedQueue<>();

    private static final List<String> REPORT = new ArrayList<>();
    /** What the guest would be told of the Spice window showing its display (VISIBILITY events). */
    private static final List<Boolean> VISIBILITY = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeAll
    static void startScene() throws IOException, InterruptedException {
        Path dir = Files.createDirectories(Path.of("target", "spice-scenes"))
                .resolve("placement-" + System.currentTimeMillis());
        scene = SpiceScene.start(dir, SpiceScene.Options.defaults());
        player = GuestPlayerWindow.open(scene.guestDisplay(), PLAYER);
        tracker =
                X11WindowTracker.open(scene.clientDisplay(), ClientWindowProfile.remoteViewer(), WindowSelector.any());
        assertTrue(tracker.awaitShown(0, true, SETTLE), "remote-viewer's window never found: " + tracker);
        ProcessEnvironment.set("DISPLAY", scene.clientDisplay());
        Compositor compositor = Compositor.onScreen(CompositorOptions.defaults().withListener(REFRESHES::add));
        output = new CompositorVideoOutput(compositor, tracker);
        tracker.addListener(change -> {
            output.relayout();
            RELAYOUTS.add(new long[] {change.eventNanos(), System.nanoTime()});
        });
        // A focused full-screen remote-viewer is stacked above "above" windows; a transient is not.
        tracker.keepOverlayAbove("spice-overlay");
        view = output.open("video");
        view.watchVisibility(VISIBILITY::add);
        ByteBuffer pixels = ByteBuffer.allocateDirect(PLAYER.width() * PLAYER.height() * 4);
        for (int i = 0; i < PLAYER.width() * PLAYER.height(); i++) {
            pixels.put((byte) (VIDEO >> 16))
                    .put((byte) (VIDEO >> 8))
                    .put((byte) VIDEO)
                    .put((byte) 255);
        }
        pixels.flip();
        FrameLayout layout = FrameLayout.gstreamerDefault(PixelFormat.RGBA, PLAYER.width(), PLAYER.height());
        feeder = new Thread(
                () -> {
                    int n = 0;
                    while (feeding) {
                        ByteBuffer frame = pixels.duplicate();
                        if (numbered) {
                            frame = ByteBuffer.allocateDirect(pixels.capacity());
                            frame.put(pixels.duplicate()).flip();
                            FrameNumberCode.drawRgba(
                                    frame, layout.plane(0).stride(), PLAYER.width(), PLAYER.height(), n);
                        }
                        n++;
                        // Unnumbered frames never change, so they may share their pixels.
                        view.frames()
                                .onFrame(new VideoFrame(
                                        layout,
                                        Colorimetry.BT709_FULL,
                                        1,
                                        1,
                                        VideoFrame.NO_TIME,
                                        VideoFrame.NO_TIME,
                                        frame,
                                        () -> {}));
                        try {
                            Thread.sleep(33);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                },
                "frame feeder");
        feeder.setDaemon(true);
        feeder.start();
        awaitProbeShown();
    }

    @AfterAll
    static void stopScene() throws InterruptedException {
        feeding = false;
        if (feeder != null) {
            feeder.join(2000);
        }
        try {
            if (output != null) {
                output.close();
            }
        } finally {
            try {
                if (tracker != null) {
                    tracker.close();
                }
                if (player != null) {
                    player.close();
                }
            } finally {
                if (scene != null) {
                    scene.close();
                }
            }
        }
        System.out.println("---- SpiceWindowPlacementTest report (measured, not asserted) ----");
        REPORT.forEach(System.out::println);
    }

    private static void report(String line) {
        REPORT.add(line);
        System.out.println("[placement] " + line);
    }

    @Test
    @Order(1)
    void calibrationFindsTheHeaderBarOnTheRealClient() {
        ClientWindow w = tracker.window(0).orElseThrow();
        ProbeCalibration.Result r = tracker.calibrate(0, GUEST_W, GUEST_H, PLAYER);
        report("calibration at " + w.bounds() + ": " + r.message());
        assertTrue(r.solved(), r.message());
        // This theme's measured layout (DESIGN.md): 5 px margin, 46 px header bar.
        assertTrue(Math.abs(r.insets().top() - 51) <= 1, r.message());
        assertEquals(r.insets(), tracker.insets(false));
    }

    @Test
    @Order(2)
    void overlayCoversThePlayerWindowAtEveryWindowSize() throws InterruptedException {
        List<String> failures = new ArrayList<>();
        try {
            for (int[] size : new int[][] {{1034, 824}, {1600, 700}, {800, 700}, {0, 0}}) {
                boolean full = size[0] == 0;
                hide();
                ClientWindow w = resize(size[0], size[1]);
                Rect probe = awaitProbeShown();
                if (full) {
                    ProbeCalibration.Result r = tracker.calibrate(0, GUEST_W, GUEST_H, PLAYER);
                    report("full-screen calibration: " + r.message());
                }
                show(PLAYER);
                Rect video = awaitVideoCovering(probe);
                String line = String.format(
                        Locale.ROOT,
                        "%-11s window %-20s probe %-18s overlay %-18s edge errors "
                                + "left %d top %d right %d bottom %d",
                        full ? "full screen" : size[0] + "x" + size[1],
                        w.bounds(),
                        probe,
                        video,
                        video.x() - probe.x(),
                        video.y() - probe.y(),
                        video.right() - probe.right(),
                        video.bottom() - probe.bottom());
                report(line);
                if (edgeError(video, probe) > 1) {
                    failures.add(line);
                }
                awaitEdges(w.bounds(), video, "at " + line);
                String ring = probeAround(grab(w.bounds()), video);
                report(String.format(
                        Locale.ROOT,
                        "%-11s around the overlay: %s",
                        full ? "full screen" : size[0] + "x" + size[1],
                        ring.isEmpty() ? "no pixel of the player window's colour" : ring));
                if (!ring.isEmpty()) {
                    failures.add(line + ": the player window's colour shows around the overlay: " + ring);
                }
                // Frame numbers are readable inside, and they advance.
                numbered = true;
                try {
                    int first = awaitFrameNumber(video, -1);
                    int later = awaitFrameNumber(video, first);
                    report(String.format(
                            Locale.ROOT,
                            "%-11s frame numbers read inside the overlay: %d then %d",
                            full ? "full screen" : size[0] + "x" + size[1],
                            first,
                            later));
                } finally {
                    numbered = false;
                }
            }
        } finally {
            resize(1034, 824); // the later tests start from here, even after a failure
        }
        assertTrue(
                failures.isEmpty(),
                "overlay edges more than 1 px off where remote-viewer shows the player window:\n"
                        + String.join("\n", failures));
    }

    @Test
    @Order(3)
    void followsMovesAndResizesOfTheClientWindow() throws InterruptedException {
        show(PLAYER);
        awaitVideoCovering(awaitMapped(PLAYER));
        long id = tracker.window(0).orElseThrow().windowId();
        String[][] actions = {
            {"xdotool", "windowmove", Long.toString(id), "200", "90"},
            {"xdotool", "windowsize", Long.toString(id), "1200", "820"},
            {"xdotool", "windowmove", Long.toString(id), "500", "150"},
            {"xdotool", "windowsize", Long.toString(id), "1034", "824"},
        };
        for (String[] action : actions) {
            Rect before = tracker.window(0).orElseThrow().bounds();
            long start = System.nanoTime();
            client(action);
            ClientWindow after = await("the tracker sees " + String.join(" ", action), () -> tracker.window(0)
                    .filter(w -> !w.bounds().equals(before))
                    .orElse(null));
            Rect expected = awaitMapped(PLAYER);
            Rect video = awaitVideoCovering(expected);
            report(String.format(
                    Locale.ROOT,
                    "%-30s -> window %-20s overlay %-18s %s",
                    String.join(" ", action).replace(Long.toString(id), "W"),
                    after.bounds(),
                    video,
                    delay(start)));
            assertTrue(edgeError(video, expected) <= 1, "overlay " + video + " vs expected " + expected);
            awaitEdges(after.bounds(), video, "after " + String.join(" ", action));
        }
    }

    @Test
    @Order(4)
    void followsThePlayerWindowMovingInTheGuest() throws InterruptedException {
        Rect moved = new Rect(120, 90, 640, 360);
        long start = System.nanoTime();
        player.moveTo(moved);
        show(moved);
        Rect video = awaitVideoCovering(awaitMapped(moved));
        // remote-viewer shows the guest's move after the Spice round trip: wait until no probe
        // colour is left around the overlay.
        Rect window = tracker.window(0).orElseThrow().bounds();
        await(
                "remote-viewer shows the moved player window under the overlay",
                () -> visibleProbePixels(grab(window)) <= 2L * (video.width() + video.height()) ? Boolean.TRUE : null);
        report(String.format(
                Locale.ROOT,
                "guest player window moved to %s -> overlay %s, place() to presented: %s",
                moved,
                video,
                presentedAfter(start)));
        awaitEdges(window, video, "after the guest moved its window");
        player.moveTo(PLAYER);
        show(PLAYER);
        awaitVideoCovering(awaitMapped(PLAYER));
    }

    @Test
    @Order(5)
    void noOverlayWhileMinimisedAndBackWhenRestored() throws InterruptedException {
        show(PLAYER);
        Rect video = awaitVideoCovering(awaitMapped(PLAYER));
        long id = tracker.window(0).orElseThrow().windowId();
        VISIBILITY.clear();
        long start = System.nanoTime();
        client("xdotool", "windowminimize", Long.toString(id));
        assertTrue(tracker.awaitShown(0, false, SETTLE), "the tracker never saw the minimise: " + tracker);
        assertNull(tracker.mappingFor(0, GUEST_W, GUEST_H));
        await(
                "no video on screen while remote-viewer is minimised",
                () -> videoPixels(grab(screen())) == 0 ? Boolean.TRUE : null);
        report("minimised -> overlay hidden, " + delay(start));
        assertEquals(List.of(false), VISIBILITY, "the guest is told its display is not shown");
        start = System.nanoTime();
        client("wmctrl", "-i", "-a", Long.toString(id));
        assertTrue(tracker.awaitShown(0, true, SETTLE), "the tracker never saw the restore: " + tracker);
        Rect back = awaitVideoCovering(awaitMapped(PLAYER));
        report("restored -> overlay " + back + ", " + delay(start));
        assertTrue(edgeError(back, video) <= 1, "back at " + back + ", was at " + video);
        awaitEdges(tracker.window(0).orElseThrow().bounds(), back, "after restore");
        assertEquals(List.of(false, true), VISIBILITY, "and that it is shown again");
    }

    @Test
    @Order(5)
    void noOverlayWhileTheDesktopShowsAnotherWorkspace() throws InterruptedException {
        show(PLAYER);
        Rect video = awaitVideoCovering(awaitMapped(PLAYER));
        long start = System.nanoTime();
        client("wmctrl", "-s", "1");
        assertTrue(tracker.awaitShown(0, false, SETTLE), "the tracker never saw the desktop change: " + tracker);
        await("no video on screen on another workspace", () -> videoPixels(grab(screen())) == 0 ? Boolean.TRUE : null);
        report("switched to workspace 2 -> overlay hidden, " + delay(start));
        start = System.nanoTime();
        client("wmctrl", "-s", "0");
        assertTrue(tracker.awaitShown(0, true, SETTLE), "the tracker never saw the way back: " + tracker);
        Rect back = awaitVideoCovering(awaitMapped(PLAYER));
        report("back on workspace 1 -> overlay " + back + ", " + delay(start));
        assertTrue(edgeError(back, video) <= 1, "back at " + back + ", was at " + video);
    }

    @Test
    @Order(6)
    void noOverlayWhenRemoteViewerIsKilledAndBackWithANewOne() throws InterruptedException {
        show(PLAYER);
        awaitVideoCovering(awaitMapped(PLAYER));
        long start = System.nanoTime();
        scene.killViewer();
        await("the tracker drops the closed window", () -> tracker.window(0).isEmpty() ? Boolean.TRUE : null);
        await("no video on screen without remote-viewer", () -> videoPixels(grab(screen())) == 0 ? Boolean.TRUE : null);
        report("remote-viewer killed -> overlay hidden, " + delay(start));
        start = System.nanoTime();
        scene.restartViewer(SpiceScene.Options.defaults().withWindowSize(1034, 824));
        assertTrue(tracker.awaitShown(0, true, SETTLE), "the tracker never found the new remote-viewer: " + tracker);
        assertEquals(scene.remoteViewerWindow(), tracker.window(0).orElseThrow().windowId());
        Rect expected = awaitMapped(PLAYER);
        Rect back = awaitVideoCovering(expected);
        report("new remote-viewer -> overlay " + back + " (expected " + expected + "), " + delay(start));
        Rect window = tracker.window(0).orElseThrow().bounds();
        await(
                "the new remote-viewer shows the player window under the overlay",
                () -> visibleProbePixels(grab(window)) <= 2L * (back.width() + back.height()) ? Boolean.TRUE : null);
        awaitEdges(window, back, "with the new remote-viewer");
    }

    @Test
    @Order(7)
    void aHoleInTheVisibleRegionShowsTheGuest() throws InterruptedException {
        // A guest window covering the player's top-right corner: the overlay leaves it to the guest.
        Rect cover = new Rect(PLAYER.right() - 200, PLAYER.y(), 200, 100);
        placement = new GuestPlacement(
                0, GUEST_W, GUEST_H, PLAYER, Region.of(PLAYER).subtract(cover), false);
        view.place(placement);
        GuestToScreenMapping m = tracker.mappingFor(0, GUEST_W, GUEST_H);
        assertNotNull(m);
        Rect hole = m.toScreen(cover);
        Rect video = m.toScreen(PLAYER);
        await(
                "the covered corner shows the guest",
                () -> PlacementProbe.matches(
                                grab(screen()).rgbAtScreen(hole.x() + hole.width() / 2, hole.y() + hole.height() / 2))
                        ? Boolean.TRUE
                        : null);
        ScreenImage shot = grab(screen());
        assertTrue(PlacementProbe.matches(shot.rgbAtScreen(hole.x() + 3, hole.bottom() - 3)), "guest in the hole");
        assertTrue(isVideo(shot.rgbAtScreen(hole.x() - 3, hole.y() + 3)), "video left of the hole");
        assertTrue(isVideo(shot.rgbAtScreen(hole.x() + 3, hole.bottom() + 2)), "video below the hole");
        assertTrue(isVideo(shot.rgbAtScreen(video.x() + 3, video.bottom() - 3)), "video in the uncovered part");
    }

    // ---- helpers ----

    private static void hide() {
        placement = new GuestPlacement(0, GUEST_W, GUEST_H, PLAYER, Region.of(PLAYER), true);
        view.place(placement);
        await("overlay hidden", () -> videoPixels(grab(screen())) == 0 ? Boolean.TRUE : null);
    }

    private static void show(Rect guestRect) {
        placement = new GuestPlacement(0, GUEST_W, GUEST_H, guestRect, Region.of(guestRect), false);
        view.place(placement);
    }

    /** Resizes remote-viewer's window (0x0: full screen) and waits until the tracker has seen it. */
    private static ClientWindow resize(int width, int height) {
        long id = tracker.window(0).orElseThrow().windowId();
        if (width == 0) {
            client("wmctrl", "-i", "-r", Long.toString(id), "-b", "add,fullscreen");
            // The state property may change a moment before the window takes the whole screen.
            Rect screen = screen();
            return await("full screen", () -> tracker.window(0)
                    .filter(w -> w.fullScreen() && w.shown() && w.bounds().equals(screen))
                    .orElse(null));
        }
        if (tracker.window(0).orElseThrow().fullScreen()) {
            client("wmctrl", "-i", "-r", Long.toString(id), "-b", "remove,fullscreen");
            await(
                    "not full screen",
                    () -> tracker.window(0).filter(w -> !w.fullScreen()).orElse(null));
        }
        client("xdotool", "windowsize", "--sync", Long.toString(id), Integer.toString(width), Integer.toString(height));
        return await("window " + width + "x" + height, () -> tracker.window(0)
                .filter(w ->
                        w.shown() && w.bounds().width() == width && w.bounds().height() == height)
                .orElse(null));
    }

    /** Where remote-viewer shows the probe (overlay hidden), once two grabs 150 ms apart agree. */
    private static Rect awaitProbeShown() {
        Rect[] last = {Rect.EMPTY};
        return await("remote-viewer shows the probe-coloured player window", () -> {
            ClientWindow w = tracker.window(0).orElse(null);
            if (w == null) {
                return null;
            }
            ScreenImage shot = grab(w.bounds());
            Rect found = ProbeCalibration.findProbe(shot);
            Rect onScreen = found.isEmpty()
                    ? found
                    : found.translate(shot.area().x(), shot.area().y());
            boolean stable = !onScreen.isEmpty() && onScreen.equals(last[0]);
            last[0] = onScreen;
            sleep(150);
            return stable ? onScreen : null;
        });
    }

    /** The player window's screen rectangle under the tracker's current mapping. */
    private static Rect awaitMapped(Rect guestRect) {
        return await("a mapping for display 0", () -> {
            GuestToScreenMapping m = tracker.mappingFor(0, GUEST_W, GUEST_H);
            return m == null ? null : m.toScreen(guestRect);
        });
    }

    /** The video's bounds on screen, once the overlay is drawn within 1 px of {@code expected}. */
    private static Rect awaitVideoCovering(Rect expected) {
        Rect[] seen = {Rect.EMPTY};
        try {
            return await("video drawn over " + expected, () -> {
                Rect v = videoBounds(grab(screen()));
                seen[0] = v;
                return edgeError(v, expected) <= 1 ? v : null;
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + " (last seen at " + seen[0] + ")", e);
        }
    }

    /** The frame number read from the screen inside {@code video}, once it is greater than {@code after}. */
    private static int awaitFrameNumber(Rect video, int after) {
        return await("a frame number after " + after + " readable inside " + video, () -> {
            ScreenImage shot = grab(video);
            java.util.OptionalInt n = FrameNumberCode.read(
                    (x, y) -> {
                        int rgb = shot.rgbAtScreen(x, y);
                        return (((rgb >> 16) & 0xFF) + ((rgb >> 8) & 0xFF) + (rgb & 0xFF)) / 3;
                    },
                    video.x(),
                    video.y(),
                    video.width(),
                    video.height());
            return n.isPresent() && n.getAsInt() > after ? n.getAsInt() : null;
        });
    }

    /** Waits until remote-viewer has drawn the guest around the overlay, then checks the edges. */
    private static void awaitEdges(Rect area, Rect video, String when) {
        AssertionError[] last = {null};
        try {
            await("remote-viewer draws the guest around the overlay " + when, () -> {
                try {
                    checkEdges(grab(area), video, when);
                    return Boolean.TRUE;
                } catch (AssertionError e) {
                    last[0] = e;
                    return null;
                }
            });
        } catch (AssertionError e) {
            throw last[0] != null ? last[0] : e;
        }
    }

    /** Overlay pixels inside, guest pixels (not video) just outside, at the middle of each edge. */
    private static void checkEdges(ScreenImage shot, Rect video, String when) {
        int cx = video.x() + video.width() / 2;
        int cy = video.y() + video.height() / 2;
        int[][] inside = {{video.x(), cy}, {video.right() - 1, cy}, {cx, video.y()}, {cx, video.bottom() - 1}};
        int[][] outside = {{video.x() - 2, cy}, {video.right() + 1, cy}, {cx, video.y() - 2}, {cx, video.bottom() + 1}};
        for (int i = 0; i < 4; i++) {
            int in = shot.rgbAtScreen(inside[i][0], inside[i][1]);
            int out = shot.rgbAtScreen(outside[i][0], outside[i][1]);
            assertTrue(
                    isVideo(in),
                    String.format(
                            "%s: pixel %d,%d inside the overlay is #%06X, not video",
                            when, inside[i][0], inside[i][1], in));
            assertTrue(
                    near(out, GuestPlayerWindow.DESKTOP, 24),
                    String.format(
                            "%s: pixel %d,%d just outside the " + "overlay is #%06X, not the guest desktop",
                            when, outside[i][0], outside[i][1], out));
        }
    }

    /**
     * The pixels in the 2 px ring around the overlay that show the player window's colour or a blend
     * of it: neither video nor the guest desktop, and within reach of the probe colour (under a
     * fractional scale Spice's scaler blends the window's edge into the pixels its edges cross;
     * with the overlay's edges merely rounded, about a thousand such pixels line two edges at
     * 1600x700 and full screen). Empty when there are none.
     */
    private static String probeAround(ScreenImage shot, Rect video) {
        List<String> seen = new ArrayList<>();
        int probe = PlacementProbe.RGB;
        for (int y = video.y() - 2; y < video.bottom() + 2; y++) {
            for (int x = video.x() - 2; x < video.right() + 2; x++) {
                if (video.contains(x, y) || !shot.area().contains(x, y)) {
                    continue;
                }
                int rgb = shot.rgbAtScreen(x, y);
                if (!isVideo(rgb) && !near(rgb, GuestPlayerWindow.DESKTOP, 24) && distance(rgb, probe) < 600) {
                    seen.add(String.format(Locale.ROOT, "(%d,%d) #%06X", x, y, rgb));
                }
            }
        }
        return seen.isEmpty()
                ? ""
                : seen.size() + " pixels, e.g. " + String.join(" ", seen.subList(0, Math.min(6, seen.size())));
    }

    private static int distance(int a, int b) {
        int d = 0;
        for (int shift = 0; shift <= 16; shift += 8) {
            d += Math.abs(((a >> shift) & 0xff) - ((b >> shift) & 0xff));
        }
        return d;
    }

    private static Rect videoBounds(ScreenImage shot) {
        int l = Integer.MAX_VALUE;
        int t = Integer.MAX_VALUE;
        int r = -1;
        int b = -1;
        for (int y = 0; y < shot.height(); y++) {
            for (int x = 0; x < shot.width(); x++) {
                if (isVideo(shot.rgb(x, y))) {
                    l = Math.min(l, x);
                    r = Math.max(r, x);
                    t = Math.min(t, y);
                    b = Math.max(b, y);
                }
            }
        }
        return r < 0
                ? Rect.EMPTY
                : Rect.ofEdges(l, t, r + 1, b + 1)
                        .translate(shot.area().x(), shot.area().y());
    }

    private static long videoPixels(ScreenImage shot) {
        long n = 0;
        for (int y = 0; y < shot.height(); y++) {
            for (int x = 0; x < shot.width(); x++) {
                n += isVideo(shot.rgb(x, y)) ? 1 : 0;
            }
        }
        return n;
    }

    private static long visibleProbePixels(ScreenImage shot) {
        long n = 0;
        for (int y = 0; y < shot.height(); y++) {
            for (int x = 0; x < shot.width(); x++) {
                n += PlacementProbe.matches(shot.rgb(x, y)) ? 1 : 0;
            }
        }
        return n;
    }

    private static boolean isVideo(int rgb) {
        return near(rgb, VIDEO, 8);
    }

    private static boolean near(int a, int b, int tolerance) {
        for (int shift = 0; shift <= 16; shift += 8) {
            if (Math.abs(((a >> shift) & 0xff) - ((b >> shift) & 0xff)) > tolerance) {
                return false;
            }
        }
        return true;
    }

    private static int edgeError(Rect a, Rect b) {
        if (a.isEmpty() || b.isEmpty()) {
            return Integer.MAX_VALUE;
        }
        return Math.max(
                Math.max(Math.abs(a.x() - b.x()), Math.abs(a.y() - b.y())),
                Math.max(Math.abs(a.right() - b.right()), Math.abs(a.bottom() - b.bottom())));
    }

    private static Rect screen() {
        return new Rect(
                0,
                0,
                SpiceScene.Options.defaults().clientWidth(),
                SpiceScene.Options.defaults().clientHeight());
    }

    private static ScreenImage grab(Rect area) {
        return tracker.grab(area);
    }

    /**
     * The delay of the latest layout change after {@code since}: X event to relayout, and to the
     * first refresh presented after the relayout, with the refreshes presented in between.
     */
    private static String delay(long since) {
        long[] change = null;
        for (long[] c : RELAYOUTS) {
            if (c[0] >= since) {
                change = c;
                break;
            }
        }
        if (change == null) {
            return "no layout change recorded";
        }
        RefreshReport placed = null;
        int between = 0;
        for (RefreshReport r : REFRESHES) {
            if (r.startNanos() >= change[1] && r.drawn() && placed == null) {
                placed = r;
            } else if (r.drawn() && r.presentedNanos() > change[0] && r.startNanos() < change[1]) {
                between++;
            }
        }
        return String.format(
                Locale.ROOT,
                "X event -> relayout %.2f ms, -> presented %s, older frames presented " + "in between %d",
                (change[1] - change[0]) / 1e6,
                placed == null
                        ? "?"
                        : String.format(Locale.ROOT, "%.2f ms", (placed.presentedNanos() - change[0]) / 1e6),
                between);
    }

    /** From {@code since} to the first refresh drawn after it (a guest placement takes effect there). */
    private static String presentedAfter(long since) {
        for (RefreshReport r : REFRESHES) {
            if (r.startNanos() >= since && r.drawn()) {
                return String.format(Locale.ROOT, "%.2f ms", (r.presentedNanos() - since) / 1e6);
            }
        }
        return "?";
    }

    private static void client(String... command) {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("DISPLAY", scene.clientDisplay());
        try {
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
                fail(String.join(" ", command) + " failed: " + out);
            }
        } catch (IOException e) {
            fail("cannot run " + String.join(" ", command) + " (xdotool, wmctrl: ./overlay setup): " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted");
        }
    }

    private static <T> T await(String what, Supplier<T> condition) {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (true) {
            T v = condition.get();
            if (v != null) {
                return v;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never happened within " + SETTLE.toSeconds() + " s: " + what + "; windows "
                        + tracker.windows() + "; scene logs in " + scene.logDirectory());
            }
            sleep(20);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
