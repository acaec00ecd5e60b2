package org.spiceoverlay.engine.bench;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Finds the onsets of beeps in a stream of signed 16-bit interleaved PCM: an onset is the first
 * sample whose amplitude (the largest {@code |value|} over the channels) reaches the threshold after
 * at least the required stretch of near-silence (every sample below half the threshold). The
 * stream comes in chunks of any size, each with the time of its first sample on any clock; state
 * carries over chunk boundaries, so a beep or a silence split across chunks counts the same as one
 * within a chunk. The stream's start does not count as silence: a beep must be preceded by the
 * required silence inside the stream.
 *
 * <p>One thread feeds it ({@link #accept}); any thread may read {@link #onsetsNanos()} meanwhile.
 */
public final class BeepDetector {

    /** The default threshold: 5% of full scale (-26 dBFS). */
    public static final double DEFAULT_THRESHOLD = 0.05;

    /** The default silence that must precede an onset: 100 ms. */
    public static final long DEFAULT_SILENCE_NANOS = 100_000_000L;

    private final int sampleRate;
    private final int channels;
    private final int threshold;
    private final int quietLevel;
    private final long silenceSamples;
    private final double threshold01;

    /** Consecutive samples below the quiet level so far; survives chunk boundaries. */
    private long quietRun;

    private volatile long samplesSeen;
    private final List<Long> onsets = new ArrayList<>();

    /** A detector with the default threshold and silence. */
    public BeepDetector(int sampleRate, int channels) {
        this(sampleRate, channels, DEFAULT_THRESHOLD, DEFAULT_SILENCE_NANOS);
    }

    /**
     * @param threshold    onset level as a fraction of full scale, in (0, 1)
     * @param silenceNanos how long the signal must stay below half the threshold before an onset
     * @throws IllegalArgumentException naming the bad argument
     */
    public BeepDetector(int sampleRate, int channels, double threshold, long silenceNanos) {
        if (sampleRate < 1) {
            throw new IllegalArgumentException("sampleRate must be >= 1, got " + sampleRate);
        }
        if (channels < 1) {
            throw new IllegalArgumentException("channels must be >= 1, got " + channels);
        }
        if (!(threshold > 0 && threshold < 1)) {
            throw new IllegalArgumentException("threshold must be in (0, 1) of full scale, got " + threshold);
        }
        if (silenceNanos < 0) {
            throw new IllegalArgumentException("silenceNanos must be >= 0, got " + silenceNanos);
        }
        this.sampleRate = sampleRate;
        this.channels = channels;
        this.threshold01 = threshold;
        this.threshold = (int) Math.ceil(threshold * 32768);
        this.quietLevel = Math.max(1, this.threshold / 2);
        this.silenceSamples = Math.max(1, silenceNanos * sampleRate / 1_000_000_000L);
    }

    /**
     * Takes one chunk of S16 interleaved PCM ({@code position} to {@code limit}, whole frames of
     * all channels; the buffer's byte order is ignored, samples are read little-endian as S16LE).
     * The buffer's position and limit are left alone.
     *
     * @param firstSampleNanos the time of the chunk's first sample, on the caller's clock
     * @throws IllegalArgumentException if the chunk is not a whole number of frames
     */
    public void accept(ByteBuffer s16le, long firstSampleNanos) {
        ByteBuffer in = s16le.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int frameBytes = 2 * channels;
        if (in.remaining() % frameBytes != 0) {
            throw new IllegalArgumentException("a chunk must hold whole frames of " + channels + " channels ("
                    + frameBytes + " bytes), got " + in.remaining() + " bytes");
        }
        int frames = in.remaining() / frameBytes;
        int base = in.position();
        for (int i = 0; i < frames; i++) {
            int peak = 0;
            for (int c = 0; c < channels; c++) {
                int v = Math.abs((int) in.getShort(base + (i * channels + c) * 2));
                peak = Math.max(peak, v);
            }
            step(peak, firstSampleNanos, i);
        }
        samplesSeen += frames;
    }

    /** As {@link #accept(ByteBuffer, long)}, for samples already in a short array (interleaved). */
    public void accept(short[] interleaved, int offset, int length, long firstSampleNanos) {
        if (length % channels != 0) {
            throw new IllegalArgumentException(
                    "a chunk must hold whole frames of " + channels + " channels, got " + length + " samples");
        }
        int frames = length / channels;
        for (int i = 0; i < frames; i++) {
            int peak = 0;
            for (int c = 0; c < channels; c++) {
                peak = Math.max(peak, Math.abs((int) interleaved[offset + i * channels + c]));
            }
            step(peak, firstSampleNanos, i);
        }
        samplesSeen += frames;
    }

    private void step(int peak, long chunkStartNanos, int index) {
        if (peak >= threshold && quietRun >= silenceSamples) {
            long at = chunkStartNanos + Math.round(index * 1e9 / sampleRate);
            synchronized (onsets) {
                onsets.add(at);
            }
        }
        quietRun = peak < quietLevel ? quietRun + 1 : 0;
    }

    /** The onsets found so far, in the order heard, in the callers' clock (ns). */
    public List<Long> onsetsNanos() {
        synchronized (onsets) {
            return List.copyOf(onsets);
        }
    }

    /** Samples (per channel) taken so far. */
    public long samplesSeen() {
        return samplesSeen;
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "BeepDetector[%d Hz x%d, threshold %.3f, silence %d samples, %d onsets]",
                sampleRate,
                channels,
                threshold01,
                silenceSamples,
                onsetsNanos().size());
    }
}
