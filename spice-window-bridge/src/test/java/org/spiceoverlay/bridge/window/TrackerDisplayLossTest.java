package org.spiceoverlay.bridge.window;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.spiceoverlay.api.Rect;

/**
 * The client's X server going away (the user logs out, a test tears its scene down) must not end
 * the process, as Xlib's default would: the tracker reports no window and says the display is lost.
 */
@Tag("integration")
class TrackerDisplayLossTest {

    @Test
    void theXServerGoingAwayLeavesNoWindowAndTheProcessAlive() throws Exception {
        Process xvfb = new ProcessBuilder("Xvfb", "-displayfd", "1", "-screen", "0", "640x480x24", "-nolisten", "tcp")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        X11WindowTracker tracker = null;
        try {
            String line =
                    new BufferedReader(new InputStreamReader(xvfb.getInputStream(), StandardCharsets.UTF_8)).readLine();
            assertTrue(line != null && line.matches("\\d+"), "Xvfb printed its display number: " + line);
            tracker = X11WindowTracker.open(":" + line, ClientWindowProfile.remoteViewer(), WindowSelector.any());
            List<X11WindowTracker.LayoutChange> changes = new CopyOnWriteArrayList<>();
            tracker.addListener(changes::add);
            tracker.grab(new Rect(0, 0, 8, 8)); // the connection works

            xvfb.destroyForcibly();
            assertTrue(xvfb.waitFor(10, TimeUnit.SECONDS));
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
            xvfb.destroyForcibly();
        }
    }
}
