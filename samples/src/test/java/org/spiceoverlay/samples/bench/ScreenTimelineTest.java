package org.spiceoverlay.samples.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The timeline's arithmetic on sightings whose truth is known. */
class ScreenTimelineTest {

    private static final long MS = 1_000_000L;

    @Test
    void lagSkipsRepeatsReactionsAndOffsets() {
        // 30 fps, origin 1000 ms: frame n due at 1000 + n*33.33 ms. Shown 20 ms late, frame 3 never,
        // frame 5 twice as long as a slot; unreadable grabs in between change nothing.
        List<ScreenFrameReader.Sighting> s = new ArrayList<>();
        long origin = 1000 * MS;
        int[] frames = {0, 1, 2, 4, 5, 6};
        for (int n : frames) {
            long due = ScreenTimeline.dueNanos(origin, n, 30);
            s.add(new ScreenFrameReader.Sighting(due + 20 * MS, n));
            s.add(new ScreenFrameReader.Sighting(due + 25 * MS, -1));
        }
        s.add(new ScreenFrameReader.Sighting(ScreenTimeline.dueNanos(origin, 8, 30) + 20 * MS, 8));
        ScreenTimeline t = ScreenTimeline.of(s);
        ScreenTimeline.FrameFigures f = t.frames(origin, 30, 0, Long.MAX_VALUE);
        assertEquals(7, f.shown());
        assertEquals(2, f.skipped()); // 3 and 7
        assertEquals(2, f.repeated()); // 2 stayed for frame 3's slot, 6 for frame 7's
        for (double lag : f.lagsMs()) {
            assertEquals(20.0, lag, 0.01);
        }
        // A beep 30 ms after frame 4 (a flash) was first seen, one far away.
        long seen4 = t.firstSeen(4, 0).getAsLong();
        assertArrayEquals(
                new double[] {30.0},
                t.avOffsetsMs(n -> n == 4, List.of(seen4 + 30 * MS, seen4 + 900 * MS), 0, Long.MAX_VALUE),
                0.001);
        // Paused just after frame 5 was due and resumed before frame 8: frame 6 still came.
        long pauseAt = ScreenTimeline.dueNanos(origin, 5, 30) + 30 * MS;
        assertEquals(
                (ScreenTimeline.dueNanos(origin, 6, 30) + 20 * MS - pauseAt) / 1e6,
                t.pauseReactionMs(pauseAt, ScreenTimeline.dueNanos(origin, 7, 30)),
                0.001);
        assertEquals(0.0, t.pauseReactionMs(ScreenTimeline.dueNanos(origin, 8, 30) + 30 * MS, Long.MAX_VALUE));
        // A seek back to frame 1 issued at frame 6's time: nothing near frame 1 showed after it.
        assertEquals(
                false,
                t.seekReactionNanos(ScreenTimeline.dueNanos(origin, 6, 30), 1, 2)
                        .isPresent());
        assertEquals(40.0, ScreenTimeline.percentile(new double[] {10, 20, 30, 40}, 99));
        assertEquals(-9.0, ScreenTimeline.largestMagnitude(new double[] {3, -9, 8}));
    }
}
