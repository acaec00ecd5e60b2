package org.spiceoverlay.render;

/**
 * Received-to-presented latency of the frames one stream presented over an interval: from when
 * each compressed frame reached this machine ({@link PresentedFrame#receivedNanos()}) to when the
 * refresh that first showed it had swapped ({@link PresentedFrame#presentedNanos()}).
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param frames    frames presented in the interval whose receive time was known (the
 *                  percentiles are over the newest {@link #WINDOW} of them)
 * @param p50Nanos  median latency, or -1 when {@code frames} is 0
 * @param p95Nanos  95th percentile (nearest rank), or -1 when {@code frames} is 0
 */
public record PresentLatency(long frames, long p50Nanos, long p95Nanos) {

    /** How many of an interval's newest frames the percentiles cover (memory stays bounded). */
    public static final int WINDOW = 1024;

    /** No frame measured. */
    public static final PresentLatency NONE = new PresentLatency(0, -1, -1);

    public PresentLatency {
        if (frames < 0) {
            throw new IllegalArgumentException("frames must be >= 0, got " + frames);
        }
        if (frames == 0 ? p50Nanos != -1 || p95Nanos != -1 : p50Nanos < 0 || p95Nanos < p50Nanos) {
            throw new IllegalArgumentException("p50Nanos/p95Nanos must be -1 without frames, else 0 <= p50 <= p95; got "
                    + p50Nanos + "/" + p95Nanos + " over " + frames + " frames");
        }
    }

    /** Whether any frame was measured. */
    public boolean measured() {
        return frames > 0;
    }

    @Override
    public String toString() {
        return measured()
                ? String.format(
                        "PresentLatency[%d frames, p50 %.2f ms, p95 %.2f ms]", frames, p50Nanos / 1e6, p95Nanos / 1e6)
                : "PresentLatency[no frames]";
    }
}
