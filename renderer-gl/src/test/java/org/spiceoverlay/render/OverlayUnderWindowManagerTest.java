package org.spiceoverlay.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.spiceoverlay.api.PixelFormat;
import org.spiceoverlay.api.Rect;
import org.spiceoverlay.api.Region;

/**
 * The overlay among real windows: Xvfb with openbox (which focuses new windows and restacks on
 * activation, as desktop window managers do) and a stand-in for the Spice client window. The
 * overlay must sit above that window even when it is raised, never take the keyboard focus from
 * it, and let the pointer through to it.
 */
@Tag("integration")
class OverlayUnderWindowManagerTest {

    private static final long SETTLE_NANOS = 10_000_000_000L;
    private static final int CLIENT_BLUE = 0x0000ff;
    private static final int VIDEO = 0x30c030;

    private static XvfbDisplay x;
    private static Process windowManager;
    private static Process client;

    @BeforeAll
    static void startDesktop() {
        x = XvfbDisplay.start(640, 480);
        x.useForThisProcess();
        x.setRootColour(0x404040);
        windowManager = x.spawn(List.of("openbox"));
        await("openbox running", () -> x.text("xprop", "-root", "_NET_SUPPORTING_WM_CHECK")
                .contains("window id"));
        // A 400x300 blue window standing in for remote-viewer, focused as the user's window would be.
        client = x.spawn(
                List.of("display", "-title", "fake-spice", "-geometry", "+50+50", "-size", "400x300", "xc:blue"));
        await("the stand-in client mapped", () -> !x.text("xdotool", "search", "--onlyvisible", "--name", "fake-spice")
                .isEmpty());
        x.exec(List.of("xdotool", "search", "--onlyvisible", "--name", "fake-spice", "windowactivate", "--sync"), 10);
        await("the stand-in client focused", () -> x.text("xdotool", "getwindowfocus", "getwindowname")
                .equals("fake-spice"));
    }

    @AfterAll
    static void stopDesktop() throws InterruptedException {
        for (Process p : new Process[] {client, windowManager}) {
            if (p != null) {
                p.destroy();
                p.waitFor();
            }
        }
        if (x != null) {
            x.close();
        }
    }

    @Test
    void staysAboveTheClientWithoutTakingFocusOrClicks() {
        TestFrames frames = new TestFrames();
        Rect rect = new Rect(150, 150, 200, 100);
        // Where the client's window is, inside the video's rectangle: what the pointer reaches without the overlay.
        String clientUnderPointer = pointerWindowAt(rect);
        try (Compositor c = Compositor.onScreen(CompositorOptions.defaults())) {
            StreamLayer s = c.addStream("video");
            s.place(Placement.of(rect));
            s.submit(frames.packed(PixelFormat.RGBA, 200, 100, (px, py) -> VIDEO));
            await("video over the client", () -> x.screenshot().rgb(250, 200) == VIDEO);
            XvfbDisplay.Screenshot shot = x.screenshot();
            assertEquals(VIDEO, shot.rgb(150, 150));
            assertEquals(VIDEO, shot.rgb(349, 249));
            assertEquals(CLIENT_BLUE, shot.rgb(149, 150), "client around the video");
            assertEquals(CLIENT_BLUE, shot.rgb(350, 249), "client around the video");
            assertEquals(
                    "fake-spice",
                    x.text("xdotool", "getwindowfocus", "getwindowname"),
                    "mapping the overlay must not take the focus");
            assertEquals(clientUnderPointer, pointerWindowAt(rect), "the pointer goes through the overlay");
            String state = x.text("xprop", "-id", Long.toString(overlayId()), "_NET_WM_STATE");
            assertTrue(state.contains("_NET_WM_STATE_ABOVE") && state.contains("_NET_WM_STATE_SKIP_TASKBAR"), state);

            // The user clicks the client: the WM raises and focuses it; the overlay stays on top.
            x.exec(List.of("xdotool", "search", "--name", "fake-spice", "windowactivate", "--sync"), 10);
            sleep(200);
            assertEquals(VIDEO, x.screenshot().rgb(250, 200), "overlay above the raised client");

            // Hidden and shown again (the WM dropped its state on unmap): still above, still no focus.
            s.place(Placement.HIDDEN);
            await("overlay hidden", () -> x.screenshot().rgb(250, 200) == CLIENT_BLUE);
            s.place(Placement.of(rect.translate(20, 10)));
            await("overlay back, moved", () -> x.screenshot().rgb(365, 255) == VIDEO);
            assertEquals(CLIENT_BLUE, x.screenshot().rgb(160, 155), "old place shows the client again");
            assertEquals("fake-spice", x.text("xdotool", "getwindowfocus", "getwindowname"));
            x.exec(List.of("xdotool", "search", "--name", "fake-spice", "windowactivate", "--sync"), 10);
            sleep(200);
            assertEquals(VIDEO, x.screenshot().rgb(270, 210), "still above after being shown again");

            // Clipped under the window manager too (it copies the bounding shape to its frame).
            Rect moved = rect.translate(20, 10);
            Rect covered = new Rect(moved.x() + 100, moved.y(), 100, 50);
            s.place(Placement.of(moved, Region.of(moved).subtract(covered)));
            await(
                    "covered corner shows the client",
                    () -> x.screenshot().rgb(covered.x() + 50, covered.y() + 25) == CLIENT_BLUE);
            XvfbDisplay.Screenshot clipped = x.screenshot();
            assertEquals(VIDEO, clipped.rgb(moved.x() + 50, moved.y() + 25));
            assertEquals(VIDEO, clipped.rgb(covered.x() + 50, covered.bottom() + 5));
            assertEquals(clientUnderPointer, pointerWindowAt(moved), "the pointer still goes through");
        }
        assertEquals(0, frames.open());
    }

    private static long overlayId() {
        List<XvfbDisplay.WindowInfo> w = x.windowsOfClass(OverlayWindow.X11_CLASS);
        assertEquals(1, w.size(), w.toString());
        return w.get(0).id();
    }

    /** The window X delivers pointer events to at the rectangle's centre. */
    private static String pointerWindowAt(Rect r) {
        String where = x.text(
                "xdotool",
                "mousemove",
                Integer.toString(r.x() + r.width() / 2),
                Integer.toString(r.y() + r.height() / 2),
                "sleep",
                "0.1",
                "getmouselocation");
        return where.substring(where.indexOf("window:"));
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + SETTLE_NANOS;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("never happened: " + what);
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
