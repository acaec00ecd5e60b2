package org.spiceoverlay.engine;

import java.util.Arrays;

/**
 * Keeps the most recent latency samples (nanoseconds) in a fixed ring and answers percentiles over
 * them. Bounded memory whatever the stream length.
 *
 * <p>Thread-safe: {@link #record} is called by a streaming thread, the readers by anyone.
 */
public final class LatencyRecorder {

    private final long[] ring;
    private long count;

    /** @param capacity how many recent samples percentiles are computed over (&gt; 0) */
    public LatencyRecorder(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be > 0, got " + capacity);
        }
        ring = new long[capacity];
    }

    public synchronized void record(long nanos) {
        ring[(int) (count % ring.length)] = nanos;
        count++;
    }

    /** Samples recorded since creation (not only those kept). */
    public synchronized long count() {
        return count;
    }

    /**
     * The p-th percentile (0..100, nearest rank) of the kept samples in nanoseconds, or -1 when
     * there are none.
     */
    public synchronized long percentile(double p) {
        if (p < 0 || p > 100) {
            throw new IllegalArgumentException("p must be in [0, 100], got " + p);
        }
        int n = (int) Math.min(count, ring.length);
        if (n == 0) {
            return -1;
        }
        long[] sorted = Arrays.copyOf(ring, n);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * n);
        return sorted[Math.max(0, Math.min(n - 1, rank - 1))];
    }

    public synchronized void clear() {
        count = 0;
    }
}
