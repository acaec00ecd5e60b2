package org.spiceoverlay.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

/** Present latencies per interval: percentiles over what came since the last take, then empty again. */
class LatencyIntervalTest {

    @Test
    void eachTakeCoversTheFramesSinceThePreviousOne() {
        LatencyInterval interval = new LatencyInterval();
        assertEquals(PresentLatency.NONE, interval.take());
        for (long ms = 1; ms <= 100; ms++) {
            interval.record(ms * 1_000_000);
        }
        assertEquals(new PresentLatency(100, 50_000_000, 95_000_000), interval.take());
        assertFalse(interval.take().measured(), "an interval without frames measures nothing");
        interval.record(7);
        assertEquals(new PresentLatency(1, 7, 7), interval.take());
    }

    @Test
    void memoryIsBoundedToTheNewestWindow() {
        LatencyInterval interval = new LatencyInterval();
        for (int i = 0; i < PresentLatency.WINDOW; i++) {
            interval.record(1_000_000_000L); // old and slow, then pushed out of the ring
        }
        for (int i = 0; i < PresentLatency.WINDOW; i++) {
            interval.record(1_000);
        }
        assertEquals(new PresentLatency(2L * PresentLatency.WINDOW, 1_000, 1_000), interval.take());
    }
}
