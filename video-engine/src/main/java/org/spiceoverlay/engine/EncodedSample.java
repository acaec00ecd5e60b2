package org.spiceoverlay.engine;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * One compressed access unit for a {@link SourceType#SAMPLES} session: a whole video frame or a
 * block of audio, with its timestamps on the stream's timeline.
 *
 * <p>The bytes are {@code data}'s from its position to its limit, in a heap or a direct buffer (a
 * slice of a received frame, the mapped memory of a demuxed buffer). Nobody moves the buffer's
 * position: readers go through {@link #bytes()}, a view of their own. The engine copies the bytes
 * into native memory when the sample is pushed and keeps no reference. Whoever made the sample
 * leaves the bytes unchanged while it is in use. Safe to hand between threads.
 *
 * @param track          {@link Track#VIDEO} or {@link Track#AUDIO}
 * @param data           the compressed bytes (position to limit) in the format the track's caps say
 * @param ptsNs          presentation time, or {@link #NO_TIME}
 * @param dtsNs          decode time, or {@link #NO_TIME} when equal to pts
 * @param durationNs     duration, or {@link #NO_TIME}
 * @param keyframe       decodable by itself
 * @param discontinuity  not continuous with the previous sample (after a seek or a gap)
 * @param receivedNanos  when it reached this machine ({@link System#nanoTime()}), or
 *                       {@link #NO_TIME}; decode latency is measured from here
 */
public record EncodedSample(
        Track track,
        ByteBuffer data,
        long ptsNs,
        long dtsNs,
        long durationNs,
        boolean keyframe,
        boolean discontinuity,
        long receivedNanos) {

    /** Marks an unknown timestamp. */
    public static final long NO_TIME = Long.MIN_VALUE;

    /** Which elementary stream of the session a sample belongs to. */
    public enum Track {
        VIDEO,
        AUDIO
    }

    public EncodedSample {
        Objects.requireNonNull(track, "track");
        Objects.requireNonNull(data, "data");
        if (!data.hasRemaining()) {
            throw new IllegalArgumentException("data must not be empty");
        }
        if (durationNs != NO_TIME && durationNs < 0) {
            throw new IllegalArgumentException("durationNs must be >= 0, got " + durationNs);
        }
        if (ptsNs != NO_TIME && ptsNs < 0) {
            throw new IllegalArgumentException("ptsNs must be >= 0, got " + ptsNs);
        }
        if (dtsNs != NO_TIME && dtsNs < 0) {
            throw new IllegalArgumentException("dtsNs must be >= 0, got " + dtsNs);
        }
    }

    /** The sample with {@code bytes} (wrapped, not copied): for callers holding an array. */
    public static EncodedSample of(
            Track track,
            byte[] bytes,
            long ptsNs,
            long dtsNs,
            long durationNs,
            boolean keyframe,
            boolean discontinuity) {
        return new EncodedSample(
                track, ByteBuffer.wrap(bytes), ptsNs, dtsNs, durationNs, keyframe, discontinuity, NO_TIME);
    }

    /** How many compressed bytes the sample has. */
    public int size() {
        return data.remaining();
    }

    /** A view of the bytes with its own position (at their start) and limit (at their end). */
    public ByteBuffer bytes() {
        return data.duplicate();
    }

    /** The bytes, copied into a new array (for tests and tools; the data path never calls it). */
    public byte[] toArray() {
        byte[] copy = new byte[data.remaining()];
        data.duplicate().get(copy);
        return copy;
    }

    /**
     * Where the sample stands in decode order on the stream's timeline: its decode time, or its
     * presentation time when no decode time is given (0 when neither is). A source producing the
     * stream in real time sends each sample at this time.
     */
    public long decodeTimeNs() {
        return dtsNs != NO_TIME ? dtsNs : Math.max(0, ptsNs);
    }

    @Override
    public String toString() {
        return "EncodedSample[" + track + " " + size() + " B"
                + (ptsNs == NO_TIME ? "" : String.format(" pts=%.3fs", ptsNs / 1e9))
                + (keyframe ? " key" : "") + (discontinuity ? " discont" : "") + "]";
    }
}
