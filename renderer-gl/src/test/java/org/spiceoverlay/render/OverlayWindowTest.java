package org.spiceoverlay.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.OptionalInt;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.spiceoverlay.api.FrameNumberCode;
import org.spiceoverlay.api.PixelFormat;
import org.spiceoverlay.api.Rect;
import org.spiceoverlay.api.Region;

/**
 * The on-screen compositor under a private Xvfb, judged by what X shows: screenshots of the root
 * window ({@code import -window root}) and the overlay window as {@code xdotool}/{@code xwininfo}
 * see it. The root is painted a colour no frame uses, so every pixel that is not the video must
 * show it.
 */
@Tag("integration")
class OverlayWindowTest {

    private static final int ROOT = 0xff00ff;
    /** How long X may take to show what the compositor presented. */
    private static final long SETTLE_NANOS = 5_000_000_000L;

    private static XvfbDisplay x;
    private final TestFrames frames = new TestFrames();

    @BeforeAll
    static void startX() {
        x = XvfbDisplay.start(640, 480);
        x.useForThisProcess();
        x.setRootColour(ROOT);
    }

    @AfterAll
    static void stopX() {
        if (x != null) {
            x.close();
        }
    }

    @AfterEach
    void everyFrameClosed() {
        assertEquals(0, frames.open(), "frames left open by the compositor");
    }

    private static Compositor onScreen() {
        return Compositor.onScreen(CompositorOptions.defaults());
    }

    @Test
    void framesAppearAtExactlyTheirRectanglesAndNowhereElse() {
        try (Compositor c = onScreen()) {
            assertTrue(c.isOnScreen());
            StreamLayer a = c.addStream("one-to-one");
            StreamLayer b = c.addStream("scaled");
            Rect rectA = new Rect(40, 30, 200, 120);
            Rect rectB = new Rect(300, 250, 240, 135);
            a.place(Placement.of(rectA));
            b.place(Placement.of(rectB));
            // Quadrants, to see orientation; drawn 1:1.
            a.submit(frames.packed(
                    PixelFormat.RGBA,
                    200,
                    120,
                    (px, py) -> px < 100 ? (py < 60 ? 0xff0000 : 0x0000ff) : (py < 60 ? 0x00ff00 : 0xffff00)));
            // Numbered, shown 1.5x.
            b.submit(frames.numbered(PixelFormat.BGRX, 160, 90, 4242, (px, py) -> 0x20a0a0));
            awaitPresented(a, 1);
            awaitPresented(b, 1);

            XvfbDisplay.Screenshot shot =
                    awaitScreen("both streams shown", s -> s.rgb(40, 30) == 0xff0000 && s.rgb(420, 380) == 0x20a0a0);
            assertOnlyInside(shot, List.of(rectA, rectB));
            assertEquals(0xff0000, shot.rgb(40, 30), "top-left corner of A");
            assertEquals(0x00ff00, shot.rgb(239, 30), "top-right corner of A");
            assertEquals(0x0000ff, shot.rgb(40, 149), "bottom-left corner of A");
            assertEquals(0xffff00, shot.rgb(239, 149), "bottom-right corner of A");
            assertEquals(
                    OptionalInt.of(4242),
                    FrameNumberCode.read(shot::brightness, rectB.x(), rectB.y(), rectB.width(), rectB.height()),
                    "frame number of B read from the screen");

            List<XvfbDisplay.WindowInfo> windows = x.windowsOfClass(OverlayWindow.X11_CLASS);
            assertEquals(1, windows.size(), windows.toString());
            assertTrue(windows.get(0).viewable(), "overlay window mapped");
            assertEquals(Rect.ofEdges(40, 30, 540, 385), windows.get(0).geometry(), "window covers both streams");
            assertEquals(windows.get(0).geometry(), c.stats().windowBounds());

            // readPixels on screen draws the same scene offscreen: it matches what X shows.
            RgbaImage read = c.readPixels(rectA);
            for (int y = 0; y < rectA.height(); y += 7) {
                for (int xx = 0; xx < rectA.width(); xx += 7) {
                    assertEquals(
                            shot.rgb(rectA.x() + xx, rectA.y() + y),
                            read.rgba(xx, y) >>> 8,
                            "readPixels vs screen at " + xx + "," + y);
                }
            }
        }
        assertTrue(x.windowsOfClass(OverlayWindow.X11_CLASS).isEmpty(), "window destroyed on close");
    }

    @Test
    void coveredPartShowsWhatIsBeneathAndAnEmptyRegionUnmapsTheWindow() {
        try (Compositor c = onScreen()) {
            StreamLayer s = c.addStream("clipped");
            Rect rect = new Rect(100, 100, 300, 200);
            Rect covered = new Rect(250, 100, 150, 100);
            Region visible = Region.of(rect).subtract(covered);
            s.place(Placement.of(rect, visible));
            s.submit(frames.packed(PixelFormat.RGBA, 300, 200, (px, py) -> 0x3060c0));
            awaitPresented(s, 1);
            // The whole picture, not one pixel: X may show the window before the GL frame has filled it.
            XvfbDisplay.Screenshot shot = awaitScreen("L-shaped video", sh -> firstMismatch(sh, visible) == null);
            for (int y = 0; y < 480; y++) {
                for (int xx = 0; xx < 640; xx++) {
                    int expected = visible.contains(xx, y) ? 0x3060c0 : ROOT;
                    if (shot.rgb(xx, y) != expected) {
                        fail(String.format(
                                "pixel (%d,%d) is #%06X, expected #%06X (%s)",
                                xx,
                                y,
                                shot.rgb(xx, y),
                                expected,
                                covered.contains(xx, y) ? "covered part" : "outside"));
                    }
                }
            }
            assertTrue(overlayWindow().viewable());
            assertEquals(rect, overlayWindow().geometry());

            // Nothing visible: the window goes away, the screen is all root.
            s.place(Placement.of(rect, Region.EMPTY));
            awaitUnmapped(c);
            assertAllRoot(awaitScreen("video gone", sh -> sh.rgb(100, 100) == ROOT));

            s.place(Placement.of(rect));
            awaitScreen("video back", sh -> sh.rgb(300, 150) == 0x3060c0);
            assertTrue(overlayWindow().viewable());

            s.place(new Placement(rect, Region.of(rect), true));
            awaitUnmapped(c);
            assertAllRoot(awaitScreen("hidden", sh -> sh.rgb(300, 150) == ROOT));
            assertTrue(s.stats().repeated() > 0);
        }
    }

    @Test
    void twoStreamsOneMovingBetweenFramesAreBothRightOnScreen() {
        try (Compositor c = onScreen()) {
            StreamLayer still = c.addStream("still");
            StreamLayer moving = c.addStream("moving");
            Rect stillRect = new Rect(20, 20, 192, 108);
            still.place(Placement.of(stillRect));
            Rect previous = null;
            for (int n = 1; n <= 6; n++) {
                Rect movingRect = new Rect(250 + 30 * n, 100 + 30 * n, 160, 90);
                moving.place(Placement.of(movingRect));
                still.submit(frames.numbered(PixelFormat.RGBA, 192, 108, 100 + n, (px, py) -> 0x404040));
                moving.submit(frames.numbered(PixelFormat.RGBA, 160, 90, n, (px, py) -> 0x606060));
                awaitPresented(still, n);
                awaitPresented(moving, n);
                int expected = n;
                XvfbDisplay.Screenshot shot = awaitScreen(
                        "frame " + n + " of both streams",
                        s -> FrameNumberCode.read(
                                                s::brightness,
                                                stillRect.x(),
                                                stillRect.y(),
                                                stillRect.width(),
                                                stillRect.height())
                                        .equals(OptionalInt.of(100 + expected))
                                && FrameNumberCode.read(
                                                s::brightness,
                                                movingRect.x(),
                                                movingRect.y(),
                                                movingRect.width(),
                                                movingRect.height())
                                        .equals(OptionalInt.of(expected)));
                assertOnlyInside(shot, List.of(stillRect, movingRect));
                if (previous != null) {
                    assertEquals(ROOT, shot.rgb(previous.x() + 5, previous.y() + 45), "old place of the moving stream");
                }
                previous = movingRect;
            }
        }
    }

    @Test
    void aFrameFlushedBeforeItsRefreshNeverReachesTheScreen() {
        List<RefreshReport> refreshes = new java.util.concurrent.CopyOnWriteArrayList<>();
        Rect rect = new Rect(100, 80, 320, 180);
        try (Compositor c = Compositor.onScreen(CompositorOptions.defaults().withListener(refreshes::add))) {
            StreamLayer s = c.addStream("sought");
            s.place(Placement.of(rect));
            s.submit(frames.numbered(PixelFormat.RGBA, 320, 180, 1, (px, py) -> 0x305070));
            awaitPresented(s, 1);
            awaitScreen("frame 1", sh -> numberOn(sh, rect) == 1);
            // Hidden, the stream's newest frame waits for a refresh: the frame from before the seek
            // is certainly still waiting when the seek's flush comes.
            s.place(Placement.HIDDEN);
            s.submit(frames.numbered(PixelFormat.RGBA, 320, 180, 2, (px, py) -> 0x305070)); // before the seek
            s.flush();
            int before = refreshes.size();
            s.place(Placement.of(rect));
            // Refreshes with the stream shown again and nothing new from the decoder: a frame left
            // waiting would be presented now.
            long deadline = System.nanoTime() + SETTLE_NANOS;
            while (refreshes.size() < before + 3) {
                if (System.nanoTime() > deadline) {
                    fail("no refresh after the stream was shown again: " + refreshes.size());
                }
                sleep(5);
            }
            s.submit(frames.numbered(PixelFormat.RGBA, 320, 180, 3, (px, py) -> 0x305070)); // after it
            awaitPresented(s, 2);
            awaitScreen("frame 3", sh -> numberOn(sh, rect) == 3);
            assertEquals(1, s.stats().dropped(), "the flushed frame was dropped");
            long presentedSecond = refreshes.stream()
                    .flatMap(r -> r.presented().stream())
                    .filter(f -> f.streamId() == s.id() && f.sequence() == 1)
                    .count();
            assertEquals(0, presentedSecond, "the frame from before the seek was never presented: " + refreshes);
        }
    }

    private static int numberOn(XvfbDisplay.Screenshot shot, Rect rect) {
        return FrameNumberCode.read(shot::brightness, rect.x(), rect.y(), rect.width(), rect.height())
                .orElse(-1);
    }

    @Test
    void stopsTouchingTheScreenWhenClosed() {
        Rect rect = new Rect(0, 0, 64, 48);
        try (Compositor c = onScreen()) {
            StreamLayer s = c.addStream("short-lived");
            s.place(Placement.of(rect));
            s.submit(frames.packed(PixelFormat.RGBA, 64, 48, (px, py) -> 0x123456));
            awaitPresented(s, 1);
            awaitScreen("shown", sh -> sh.rgb(10, 10) == 0x123456);
        }
        assertAllRoot(awaitScreen("gone after close", sh -> sh.rgb(10, 10) == ROOT));
        // GLFW is process-global: after close another on-screen compositor may start.
        try (Compositor again = onScreen()) {
            assertTrue(again.rendererInfo().renderer().length() > 0);
        }
    }

    @Test
    void noXServerIsAClearErrorAndOffscreenStillWorks() {
        ProcessEnvironment.set("DISPLAY", ":199");
        try {
            RenderException e =
                    org.junit.jupiter.api.Assertions.assertThrows(RenderException.class, OverlayWindowTest::onScreen);
            assertTrue(e.getMessage().contains(":199") && e.getMessage().contains("xvfb"), e.getMessage());
            // No X needed offscreen.
            try (Compositor offscreen = Compositor.offscreen(8, 8, CompositorOptions.defaults())) {
                assertFalse(offscreen.isOnScreen());
            }
        } finally {
            x.useForThisProcess();
        }
        // The failed start left GLFW free for the next one.
        try (Compositor c = onScreen()) {
            assertTrue(c.isOnScreen());
        }
    }

    // ---- helpers ----

    private static XvfbDisplay.WindowInfo overlayWindow() {
        List<XvfbDisplay.WindowInfo> windows = x.windowsOfClass(OverlayWindow.X11_CLASS);
        assertEquals(1, windows.size(), windows.toString());
        return windows.get(0);
    }

    private static void awaitPresented(StreamLayer s, long count) {
        long deadline = System.nanoTime() + SETTLE_NANOS;
        while (s.stats().presented() < count) {
            if (System.nanoTime() > deadline) {
                fail(s + " presented " + s.stats().presented() + " frames, expected " + count);
            }
            sleep(5);
        }
    }

    private static void awaitUnmapped(Compositor c) {
        long deadline = System.nanoTime() + SETTLE_NANOS;
        while (c.stats().windowMapped() || overlayWindow().viewable()) {
            if (System.nanoTime() > deadline) {
                fail("overlay window still mapped: " + c.stats() + ", X says " + overlayWindow());
            }
            sleep(10);
        }
    }

    /** Screenshots until {@code ready} holds (X shows what was presented), then returns that screenshot. */
    /** The first pixel that is not video inside {@code visible} or root outside it, or null. */
    private static int[] firstMismatch(XvfbDisplay.Screenshot shot, Region visible) {
        for (int y = 0; y < 480; y++) {
            for (int xx = 0; xx < 640; xx++) {
                if (shot.rgb(xx, y) != (visible.contains(xx, y) ? 0x3060c0 : ROOT)) {
                    return new int[] {xx, y};
                }
            }
        }
        return null;
    }

    private static XvfbDisplay.Screenshot awaitScreen(String what, Predicate<XvfbDisplay.Screenshot> ready) {
        long deadline = System.nanoTime() + SETTLE_NANOS;
        while (true) {
            XvfbDisplay.Screenshot shot = x.screenshot();
            if (ready.test(shot)) {
                return shot;
            }
            if (System.nanoTime() > deadline) {
                fail("the screen never showed: " + what);
            }
            sleep(20);
        }
    }

    /**
     * Every pixel inside one of {@code rects} (shrunk by the 1 px edge tolerance) is video, every
     * pixel outside all of them (grown by 1 px) is the root's colour.
     */
    private static void assertOnlyInside(XvfbDisplay.Screenshot shot, List<Rect> rects) {
        for (int y = 0; y < shot.height(); y++) {
            for (int xx = 0; xx < shot.width(); xx++) {
                boolean inner = false;
                boolean outer = false;
                for (Rect r : rects) {
                    inner |= xx > r.x() && xx < r.right() - 1 && y > r.y() && y < r.bottom() - 1;
                    outer |= xx >= r.x() - 1 && xx <= r.right() && y >= r.y() - 1 && y <= r.bottom();
                }
                int rgb = shot.rgb(xx, y);
                if (inner && rgb == ROOT) {
                    fail(String.format("pixel (%d,%d) inside %s shows the root, not video", xx, y, rects));
                }
                if (!outer && rgb != ROOT) {
                    fail(String.format(
                            "pixel (%d,%d) outside %s is #%06X: something drawn outside", xx, y, rects, rgb));
                }
            }
        }
    }

    private static void assertAllRoot(XvfbDisplay.Screenshot shot) {
        for (int y = 0; y < shot.height(); y++) {
            for (int xx = 0; xx < shot.width(); xx++) {
                assertEquals(ROOT, shot.rgb(xx, y), "pixel (" + xx + "," + y + ") after the overlay went away");
            }
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

    @Test
    void windowIsGoneWhenNoStreamIsShown() {
        try (Compositor c = onScreen()) {
            StreamLayer s = c.addStream("never placed");
            s.submit(frames.packed(PixelFormat.RGBA, 32, 32, (px, py) -> 0x111111));
            sleep(100);
            assertFalse(c.stats().windowMapped());
            List<XvfbDisplay.WindowInfo> windows = x.windowsOfClass(OverlayWindow.X11_CLASS);
            assertTrue(windows.stream().noneMatch(XvfbDisplay.WindowInfo::viewable), windows.toString());
            assertEquals(0, s.stats().presented());
        }
    }
}
