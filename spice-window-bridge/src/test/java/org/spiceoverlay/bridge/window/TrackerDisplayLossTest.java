package org.spiceoverlay.bridge.window;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.spiceoverlay.api.Rect;
import org.spiceoverlay.media.PrivateXServer;

/**
 * The client's X server going away (the user logs out, a test tears its scene down) must not end
 * the process, as Xlib's default would: the tracker reports no window and says the display is lost.
 */
@Tag("integration")
class TrackerDisplayLossTest {

    @Test
    void theXServerGoingAwayLeavesNoWindowAndTheProcessAlive() throws Exception {
        PrivateXServer xvfb = PrivateXServer.start();
        X11WindowTracker tracker = null;
        try {
            tracker = X11WindowTracker.open(xvfb.display(), ClientWindowProfile.remoteViewer(), WindowSelector.any());
            List<X11WindowTracker.LayoutChange> changes = new CopyOnWriteArrayList<>();
            tracker.addListener(changes::add);
            tracker.grab(new Rect(0, 0, 8, 8)); // the connection works

            xvfb.kill();
            assertFalse(xvfb.isAlive());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            IllegalStateException lost = null;
            while (lost == null && System.nanoTime() < deadline) {
                try {
                    tracker.grab(new Rect(0, 0, 8, 8));
                    Thread.sleep(50);
                } catch (IllegalStateException e) {
                    lost = e;
                }
            }
            assertTrue(
                    lost != null && lost.getMessage().contains("lost"), "grabbing says the display is lost: " + lost);
            assertNull(tracker.mappingFor(0, 1024, 768));
            assertTrue(tracker.windows().isEmpty());
            X11WindowTracker t = tracker;
            assertThrows(IllegalStateException.class, () -> t.grab(new Rect(0, 0, 8, 8)));
        } finally {
            if (tracker != null) {
                tracker.close();
            }
            xvfb.close();
        }
    }
}
