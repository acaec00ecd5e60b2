package org.spiceoverlay.engine;

import java.util.Objects;

/**
 * One compressed access unit for a {@link SourceType#SAMPLES} session: a whole video frame or a
 * block of audio, with its timestamps on the stream's timeline.
 *
 * <p>Immutable as far as the engine is concerned: the engine copies {@code data} into native memory
 * when it is pushed and never keeps the array. Safe to hand between threads.
 *
 * @param track          {@link Track#VIDEO} or {@link Track#AUDIO}
 * @param data           the compressed bytes in the format the track's caps say
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
        byte[] data,
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
        if (data.length == 0) {
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
        return "EncodedSample[" + track + " " + data.length + " B"
                + (ptsNs == NO_TIME ? "" : String.format(" pts=%.3fs", ptsNs / 1e9))
                + (keyframe ? " key" : "") + (discontinuity ? " discont" : "") + "]";
    }
}
