package org.spiceoverlay.samples.player;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.spiceoverlay.engine.EncodedSample;

/** The player's cross-track ordering of demuxed samples, on a file interleaved in one-second chunks. */
class TimestampOrderTest {

    private static EncodedSample sample(EncodedSample.Track track, long ms) {
        return EncodedSample.of(
                track, new byte[] {1}, ms * 1_000_000, ms * 1_000_000, EncodedSample.NO_TIME, false, false);
    }

    /** 3 s of video at 100 ms and audio at 250 ms steps, stored as 1 s of video, then 1 s of audio, and so on. */
    private static ArrayDeque<EncodedSample> chunkedFile() {
        ArrayDeque<EncodedSample> file = new ArrayDeque<>();
        for (int second = 0; second < 3; second++) {
            for (int ms = second * 1000; ms < (second + 1) * 1000; ms += 100) {
                file.add(sample(EncodedSample.Track.VIDEO, ms));
            }
            for (int ms = second * 1000; ms < (second + 1) * 1000; ms += 250) {
                file.add(sample(EncodedSample.Track.AUDIO, ms));
            }
        }
        return file;
    }

    private static String describe(EncodedSample s) {
        return (s.track() == EncodedSample.Track.VIDEO ? "v" : "a") + s.decodeTimeNs() / 1_000_000;
    }

    @Test
    void samplesComeInDecodeTimeOrderAcrossTracks() throws Exception {
        ArrayDeque<EncodedSample> file = chunkedFile();
        int total = file.size();
        TimestampOrder<EncodedSample> order = TimestampOrder.of((t, u) -> file.poll(), 2_000_000_000L);
        List<String> out = new ArrayList<>();
        EncodedSample s;
        while ((s = order.next(1, TimeUnit.SECONDS)) != null) {
            out.add(describe(s));
        }
        assertEquals(total, out.size(), "every sample, once");
        assertEquals(
                List.of("v0", "a0", "v100", "v200", "a250", "v300", "v400"),
                out.subList(0, 7),
                "the first audio goes out with the first video, not after a second of it");
        long last = -1;
        for (String d : out) {
            long t = Long.parseLong(d.substring(1));
            assertEquals(true, t >= last, "decode times never go back: " + out);
            last = t;
        }
        assertNull(order.next(1, TimeUnit.SECONDS));
    }

    @Test
    void aFileWithOneTrackReadsAheadNoFurtherThanTheLimit() throws Exception {
        ArrayDeque<EncodedSample> file = new ArrayDeque<>();
        for (int ms = 0; ms < 10_000; ms += 100) {
            file.add(sample(EncodedSample.Track.VIDEO, ms));
        }
        int[] read = {0};
        TimestampOrder<EncodedSample> order = TimestampOrder.of(
                (t, u) -> {
                    read[0]++;
                    return file.poll();
                },
                500_000_000L);
        assertEquals("v0", describe(order.next(1, TimeUnit.SECONDS)));
        assertEquals(6, read[0], "read ahead to 500 ms of video, no more");
        order.reset();
        assertEquals("v600", describe(order.next(1, TimeUnit.SECONDS)), "after a reset, from where the source is");
    }
}
