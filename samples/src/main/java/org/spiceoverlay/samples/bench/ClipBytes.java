package org.spiceoverlay.samples.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.spiceoverlay.engine.EngineException;
import org.spiceoverlay.engine.gst.ClipDemuxer;
import org.spiceoverlay.engine.gst.DemuxedSample;

/**
 * The clip's own bytes along its timeline: every compressed sample of every track with its decode
 * time, as the sample player sends them. A window of wire time is compared with the bytes of the
 * media sent in it, not with the file's average rate, which a window of a few seconds misses by the
 * size of a keyframe or two.
 *
 * <p>Immutable; any thread.
 */
public final class ClipBytes {

    private final long[] decodeTimes;
    private final long[] cumulative;

    private ClipBytes(long[] decodeTimes, long[] cumulative) {
        this.decodeTimes = decodeTimes;
        this.cumulative = cumulative;
    }

    /** Demuxes the whole clip (no decoding): a fraction of a second for a minute of video. */
    static ClipBytes read(Path clip) throws EngineException, InterruptedException {
        long[] times = new long[1024];
        long[] sizes = new long[1024];
        int n = 0;
        try (ClipDemuxer d = ClipDemuxer.open(clip, true)) {
            DemuxedSample s;
            while ((s = d.next(30, TimeUnit.SECONDS)) != null) {
                if (n == times.length) {
                    times = Arrays.copyOf(times, n * 2);
                    sizes = Arrays.copyOf(sizes, n * 2);
                }
                times[n] = s.sample().decodeTimeNs();
                sizes[n] = s.sample().size();
                s.close();
                n++;
            }
        }
        long[][] pairs = new long[n][];
        for (int i = 0; i < n; i++) {
            pairs[i] = new long[] {times[i], sizes[i]};
        }
        Arrays.sort(pairs, (a, b) -> Long.compare(a[0], b[0]));
        long[] t = new long[n];
        long[] c = new long[n + 1];
        for (int i = 0; i < n; i++) {
            t[i] = pairs[i][0];
            c[i + 1] = c[i] + pairs[i][1];
        }
        return new ClipBytes(t, c);
    }

    /** Bytes of the samples whose decode time is in {@code [fromNs, toNs)} of the clip's timeline. */
    long between(long fromNs, long toNs) {
        return cumulative[index(toNs)] - cumulative[index(fromNs)];
    }

    private int index(long t) {
        int i = Arrays.binarySearch(decodeTimes, t);
        if (i < 0) {
            return -i - 1;
        }
        while (i > 0 && decodeTimes[i - 1] == t) {
            i--;
        }
        return i;
    }
}
