package org.spiceoverlay.guest.x11;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.spiceoverlay.api.Rect;
import org.spiceoverlay.bridge.window.ClientWindowProfile;
import org.spiceoverlay.bridge.window.WindowSelector;
import org.spiceoverlay.bridge.window.X11WindowTracker;
import org.spiceoverlay.guest.GuestGeometry;
import org.spiceoverlay.x11.X11Exception;
import org.spiceoverlay.x11.XConnection;
import org.spiceoverlay.x11.XErrorHandlers;
import org.spiceoverlay.x11.Xlib;

/**
 * The guest's window geometry helper and the client's window tracker in one process, as in the
 * demo: both use the one Xlib binding, so the {@code BadWindow} errors of the helper's requests
 * still reach the helper after the tracker has opened its connection (which installs nothing of
 * its own), and each keeps working.
 */
@Tag("integration")
class GeometryHelperBesideWindowTrackerTest {

    private static final long NO_SUCH_WINDOW = 0x3fffffL;

    @Test
    void theHelperSeesBadWindowWhileTheTrackerRuns() throws Exception {
        try (GuestXServer x = GuestXServer.start(1024, 768, false);
                PlayerWindow window = PlayerWindow.open(
                        x.display(), "player", new Rect(100, 100, 320, 180), PlayerWindow.Fill.PLACEMENT_PROBE)) {
            CountDownLatch gone = new CountDownLatch(1);
            try (X11GeometryTracker helper =
                            X11GeometryTracker.track(x.display(), window.id(), 0, new X11GeometryListener() {
                                @Override
                                public void onGeometry(GuestGeometry geometry) {}

                                @Override
                                public void onWindowGone(long id) {
                                    gone.countDown();
                                }
                            });
                    X11WindowTracker tracker = X11WindowTracker.open(
                            x.display(), ClientWindowProfile.remoteViewer(), WindowSelector.any())) {
                assertEquals(new Rect(100, 100, 320, 180), helper.current().videoRect());

                // The helper's BadWindow, with the tracker's connection open beside it.
                long errorsBefore = XErrorHandlers.errorsSeen();
                X11Exception noWindow = assertThrows(
                        X11Exception.class, () -> X11GeometryTracker.track(x.display(), NO_SUCH_WINDOW, 0, g -> {}));
                assertEquals(X11Exception.Reason.NO_SUCH_WINDOW, noWindow.reason(), noWindow.toString());
                assertTrue(XErrorHandlers.errorsSeen() > errorsBefore, "the BadWindow did not reach the helper");

                // Any connection of the process gets the errors of its own requests.
                try (XConnection c = XConnection.open(x.display(), "test")) {
                    int code = c.call(() -> {
                        c.xlib().XSelectInput(c.display(), NO_SUCH_WINDOW, Xlib.STRUCTURE_NOTIFY_MASK);
                        return c.syncAndTakeError();
                    });
                    assertEquals(Xlib.BAD_WINDOW, code);
                }

                // Both still follow their windows: the helper sees its window go; the tracker keeps
                // answering (no remote-viewer window here: none shown).
                window.close();
                assertTrue(gone.await(5, TimeUnit.SECONDS), "the helper did not see its window go");
                assertFalse(tracker.window(0).isPresent());
                assertEquals(1024, tracker.grab(new Rect(0, 0, 1024, 1)).area().width());
            }
        }
    }
}
