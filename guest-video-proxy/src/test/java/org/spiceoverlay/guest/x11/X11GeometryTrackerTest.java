package org.spiceoverlay.guest.x11;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.spiceoverlay.api.PlacementProbe;
import org.spiceoverlay.api.Rect;
import org.spiceoverlay.api.Region;
import org.spiceoverlay.guest.GuestGeometry;
import org.spiceoverlay.x11.X11Exception;

/**
 * The X11 geometry helper against real X servers: a private Xvfb with openbox (frames, reparenting,
 * minimising) and one without a window manager. Geometries are checked against xwininfo's view of
 * the window tree and against the pixels on the screen.
 */
@Tag("integration")
class X11GeometryTrackerTest {

    private static final int W = 1024;
    private static final int H = 768;
    private static final Rect START = new Rect(300, 250, 640, 360);

    private static GuestXServer managed;
    private static GuestXServer bare;

    @BeforeAll
    static void startServers() throws Exception {
        managed = GuestXServer.start(W, H, true);
        bare = GuestXServer.start(W, H, false);
    }

    @AfterAll
    static void stopServers() {
        try {
            if (managed != null) {
                managed.close();
            }
        } finally {
            if (bare != null) {
                bare.close();
            }
        }
    }

    /** Everything a tracker told its listener. */
    static final class Recording implements X11GeometryListener {
        final List<GuestGeometry> seen = new CopyOnWriteArrayList<>();
        final CountDownLatch gone = new CountDownLatch(1);
        volatile long goneWindow;

        @Override
        public void onGeometry(GuestGeometry geometry) {
            seen.add(geometry);
        }

        @Override
        public void onWindowGone(long window) {
            goneWindow = window;
            gone.countDown();
        }

        void assertNoRepeats() {
            for (int i = 1; i < seen.size(); i++) {
                assertNotEquals(seen.get(i - 1), seen.get(i), "a geometry was repeated: " + seen);
            }
        }
    }

    private static GuestGeometry shown(Rect rect, Region visible) {
        return new GuestGeometry(0, W, H, rect, visible, false);
    }

    private static GuestGeometry hidden(Rect rect) {
        return new GuestGeometry(0, W, H, rect, Region.EMPTY, true);
    }

    /** Waits until the tracker's geometry is {@code expected} (5 s at most). */
    private static void await(X11GeometryTracker t, Recording rec, GuestGeometry expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!expected.equals(t.current()) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(expected, t.current(), "heard: " + rec.seen);
    }

    /** The probe-coloured pixels inside {@code rect} are exactly {@code visible}. */
    private static void assertProbePixelsAre(GuestXServer x, Rect rect, Region visible) throws X11Exception {
        Rect onScreen = rect.intersect(new Rect(0, 0, W, H));
        int[][] px = ScreenPixels.read(x.display(), onScreen);
        int wrong = 0;
        String first = null;
        for (int y = 0; y < onScreen.height(); y++) {
            for (int i = 0; i < onScreen.width(); i++) {
                int sx = onScreen.x() + i;
                int sy = onScreen.y() + y;
                if (PlacementProbe.matches(px[y][i]) != visible.contains(sx, sy)) {
                    if (first == null) {
                        first = "(" + sx + "," + sy + ") is 0x" + Integer.toHexString(px[y][i]);
                    }
                    wrong++;
                }
            }
        }
        assertEquals(0, wrong, "pixels disagreeing with the visible region " + visible + ", first " + first);
    }

    /** The outer rectangle (border included) of a window's top-level ancestor, from xwininfo. */
    private static Rect frameOf(GuestXServer x, long window) throws Exception {
        int[] f = x.xwininfo(x.topLevel(window));
        return new Rect(f[0] - f[4], f[1] - f[4], f[2] + 2 * f[4], f[3] + 2 * f[4]);
    }

    @Test
    void reportsTheExactRectAndFullVisibilityUnderOpenbox() throws Exception {
        Recording rec = new Recording();
        try (PlayerWindow pw =
                        PlayerWindow.open(managed.display(), "player", START, PlayerWindow.Fill.PLACEMENT_PROBE);
                X11GeometryTracker t = X11GeometryTracker.track(managed.display(), pw.id(), 0, rec)) {
            await(t, rec, shown(START, Region.of(START)));
            int[] info = managed.xwininfo(pw.id());
            assertEquals(START, new Rect(info[0], info[1], info[2], info[3]), "xwininfo's view of the window");
            assertNotEquals(pw.id(), managed.topLevel(pw.id()), "openbox reparented the window into a frame");
            assertProbePixelsAre(managed, START, Region.of(START));
            rec.assertNoRepeats();
        }
    }

    @Test
    void aFramedWindowAboveIsCutOutAndRaisingRestoresTheWholeRect() throws Exception {
        Recording rec = new Recording();
        try (PlayerWindow pw =
                        PlayerWindow.open(managed.display(), "player", START, PlayerWindow.Fill.PLACEMENT_PROBE);
                X11GeometryTracker t = X11GeometryTracker.track(managed.display(), pw.id(), 0, rec)) {
            await(t, rec, shown(START, Region.of(START)));
            Rect coverInside = new Rect(500, 300, 200, 100);
            try (PlayerWindow cover =
                    PlayerWindow.open(managed.display(), "cover", coverInside, PlayerWindow.Fill.BLACK)) {
                Thread.sleep(300); // let openbox frame it
                Rect frame = frameOf(managed, cover.id());
                assertTrue(
                        frame.contains(coverInside) && frame.y() < coverInside.y(),
                        "openbox's frame " + frame + " holds the cover's title bar above " + coverInside);
                Region expected = Region.of(START).subtract(frame);
                await(t, rec, shown(START, expected));
                assertProbePixelsAre(managed, START, expected);

                pw.raise();
                await(t, rec, shown(START, Region.of(START)));
                assertProbePixelsAre(managed, START, Region.of(START));
            }
            rec.assertNoRepeats();
        }
    }

    @Test
    void movesResizesMinimisesUnmapsAndGoes() throws Exception {
        Recording rec = new Recording();
        PlayerWindow pw = PlayerWindow.open(managed.display(), "player", START, PlayerWindow.Fill.PLACEMENT_PROBE);
        try (X11GeometryTracker t = X11GeometryTracker.track(managed.display(), pw.id(), 0, rec)) {
            await(t, rec, shown(START, Region.of(START)));

            Rect moved = new Rect(100, 120, 480, 270);
            pw.moveResize(moved);
            await(t, rec, shown(moved, Region.of(moved)));
            int[] info = managed.xwininfo(pw.id());
            assertEquals(moved, new Rect(info[0], info[1], info[2], info[3]), "xwininfo's view after the move");

            // another client resizes it (the user dragging an edge, as far as the player knows)
            managed.run("xdotool", "windowsize", Long.toString(pw.id()), "400", "300");
            Rect resized = new Rect(100, 120, 400, 300);
            await(t, rec, shown(resized, Region.of(resized)));
            assertProbePixelsAre(managed, resized, Region.of(resized));

            // partly off the screen: only the on-screen part is visible
            Rect offEdge = new Rect(800, 600, 400, 300);
            pw.moveResize(offEdge);
            await(t, rec, shown(offEdge, Region.of(new Rect(800, 600, 224, 168))));

            pw.moveResize(resized);
            await(t, rec, shown(resized, Region.of(resized)));
            pw.minimize();
            await(t, rec, hidden(resized));
            pw.map();
            await(t, rec, shown(resized, Region.of(resized)));
            pw.unmap();
            await(t, rec, hidden(resized));
            pw.map();
            await(t, rec, shown(resized, Region.of(resized)));

            pw.close();
            assertTrue(rec.gone.await(5, TimeUnit.SECONDS), "told that the window is gone; heard " + rec.seen);
            assertEquals(pw.id(), rec.goneWindow);
            assertTrue(t.isGone());
            assertEquals(hidden(resized), rec.seen.get(rec.seen.size() - 1), "the last word is hidden");
            rec.assertNoRepeats();
        } finally {
            pw.close();
        }
    }

    @Test
    void withoutAWindowManagerTheWindowAboveIsSubtractedExactly() throws Exception {
        Recording rec = new Recording();
        try (PlayerWindow pw = PlayerWindow.open(bare.display(), "player", START, PlayerWindow.Fill.PLACEMENT_PROBE);
                X11GeometryTracker t = X11GeometryTracker.track(bare.display(), pw.id(), 0, rec)) {
            await(t, rec, shown(START, Region.of(START)));
            assertEquals(pw.id(), bare.topLevel(pw.id()), "no frame without a window manager");
            Rect coverRect = new Rect(500, 300, 200, 100);
            try (PlayerWindow cover = PlayerWindow.open(bare.display(), "cover", coverRect, PlayerWindow.Fill.BLACK)) {
                Region expected = Region.of(START).subtract(coverRect);
                await(t, rec, shown(START, expected));
                assertProbePixelsAre(bare, START, expected);
                // fully covered: hidden
                cover.moveResize(new Rect(250, 200, 800, 500));
                await(t, rec, hidden(START));
                cover.unmap();
                await(t, rec, shown(START, Region.of(START)));
            }
            rec.assertNoRepeats();
        }
    }

    @Test
    void aServerThatGoesAwayIsReportedNotFatal() throws Exception {
        CountDownLatch lost = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicReference<X11Exception> why =
                new java.util.concurrent.atomic.AtomicReference<>();
        try (GuestXServer doomed = GuestXServer.start(640, 480, false)) {
            PlayerWindow pw =
                    PlayerWindow.open(doomed.display(), "player", new Rect(10, 10, 100, 100), PlayerWindow.Fill.BLACK);
            X11GeometryTracker t = X11GeometryTracker.track(doomed.display(), pw.id(), 0, new X11GeometryListener() {
                @Override
                public void onGeometry(GuestGeometry geometry) {}

                @Override
                public void onDisplayLost(X11Exception error) {
                    why.set(error);
                    lost.countDown();
                }
            });
            doomed.close(); // Xlib's default would end this process here
            assertTrue(lost.await(5, TimeUnit.SECONDS), "told that the display is gone");
            assertEquals(X11Exception.Reason.DISPLAY_LOST, why.get().reason());
            assertTrue(t.isGone());
            t.close();
            pw.close();
            assertThrows(X11Exception.class, () -> X11GeometryTracker.track(doomed.display(), 1, 0, g -> {}));
        }
    }

    @Test
    void typedErrorsForAMissingWindowAndAnUnreachableDisplay() {
        X11Exception noWindow =
                assertThrows(X11Exception.class, () -> X11GeometryTracker.track(bare.display(), 0x3fffffL, 0, g -> {}));
        assertEquals(X11Exception.Reason.NO_SUCH_WINDOW, noWindow.reason(), noWindow.toString());
        assertTrue(noWindow.getMessage().contains("0x3fffff"), noWindow.getMessage());

        X11Exception noDisplay =
                assertThrows(X11Exception.class, () -> X11GeometryTracker.track(":59999", 0x200001L, 0, g -> {}));
        assertEquals(X11Exception.Reason.DISPLAY_UNREACHABLE, noDisplay.reason(), noDisplay.toString());
        assertTrue(noDisplay.getMessage().contains(":59999"), noDisplay.getMessage());
        assertFalse(noDisplay.getMessage().isBlank());
    }
}
