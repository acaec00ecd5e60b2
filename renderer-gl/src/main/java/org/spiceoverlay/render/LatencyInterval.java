package org.spiceoverlay.render;

import java.util.Arrays;

/**
 * Collects one stream's present latencies until a reader takes them as a {@link PresentLatency}
 * and a new interval starts. Keeps the newest {@link PresentLatency#WINDOW} samples in a fixed
 * ring, so memory is bounded however long nobody asks.
 *
 * <p>Threads: {@link #record} on the render thread, {@link #take} on the reader's; the lock only
 * covers copying the ring (never a blocking call), the sort runs outside it.
 */
final class LatencyInterval {

    private final long[] ring = new long[PresentLatency.WINDOW];
    private long count;

    synchronized void record(long nanos) {
        ring[(int) (count % ring.length)] = nanos;
        count++;
    }

    /** The latencies recorded since the previous call (or since creation); starts a new interval. */
    PresentLatency take() {
        long frames;
        long[] kept;
        synchronized (this) {
            frames = count;
            kept = Arrays.copyOf(ring, (int) Math.min(count, ring.length));
            count = 0;
        }
        if (frames == 0) {
            return PresentLatency.NONE;
        }
        Arrays.sort(kept);
        return new PresentLatency(frames, percentile(kept, 50), percentile(kept, 95));
    }

    /** Nearest rank, as the engine's decode latencies. */
    private static long percentile(long[] sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
