package org.spiceoverlay.media;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The audio of a clip with A/V marks, made in Java one video frame at a time: S16LE stereo at
 * {@link SampleClip#AUDIO_RATE}, silent except for a beep (1 kHz sine, 50 ms, amplitude 0.5 of full
 * scale, about -6 dBFS, starting at phase 0 so its onset is sharp) that starts {@code shiftNs}
 * after each flash frame's pts.
 *
 * <p>The AAC encoder ({@code avenc_aac}) puts {@value #AAC_PRIMING_SAMPLES} samples of priming
 * before the first input sample, and neither mp4mux nor qtdemux in GStreamer 1.22 removes them
 * (no edit list for audio): decoded, input sample {@code s} comes out at
 * {@code (s + 1024) / 48000} s. Measured: a beep fed at 0.500 s decodes at 0.52135 s. So the
 * soundtrack is written {@code primingSamples} early, and the file is true when decoded. Opus in
 * MP4 was measured too: its 312-sample pre-skip is not applied by qtdemux either and its decoded
 * timestamps jump (0, then 13.5 ms for a 20 ms buffer), so AAC with a fixed compensation is the
 * simpler truth.
 *
 * <p>Used by one thread at a time (the clip generator's feeder).
 */
final class AvSoundtrack {

    /** What avenc_aac puts before the first input sample. */
    static final int AAC_PRIMING_SAMPLES = 1024;

    static final int BEEP_HZ = 1000;
    static final long BEEP_NANOS = 50_000_000L;
    static final double BEEP_AMPLITUDE = 0.5;
    static final int CHANNELS = 2;

    private final int fps;
    private final int rate;
    private final int samplesPerFrame;
    private final int beepSamples;
    private final long shiftNs;
    private final int primingSamples;
    private final short[] beep;
    private final byte[] chunk;

    /**
     * @param primingSamples how many samples the audio encoder puts before the first input sample
     * @throws IllegalArgumentException if the rate is not a whole number of samples per frame, or
     *         the shift would move a beep further than 400 ms from its flash
     */
    AvSoundtrack(int fps, int rate, long shiftNs, int primingSamples) {
        if (fps < 1 || rate % fps != 0) {
            throw new IllegalArgumentException(
                    "rate " + rate + " must be a whole number of samples per frame at " + fps + " fps");
        }
        if (Math.abs(shiftNs) > 400_000_000L) {
            throw new IllegalArgumentException(
                    "audioShiftNs must be within +-400 ms (the beeps are 1 s apart), got " + shiftNs);
        }
        this.fps = fps;
        this.rate = rate;
        this.samplesPerFrame = rate / fps;
        this.shiftNs = shiftNs;
        this.primingSamples = primingSamples;
        this.beepSamples = (int) (BEEP_NANOS * rate / 1_000_000_000L);
        this.beep = new short[beepSamples];
        for (int i = 0; i < beepSamples; i++) {
            beep[i] = (short) Math.round(BEEP_AMPLITUDE * Short.MAX_VALUE * Math.sin(2 * Math.PI * BEEP_HZ * i / rate));
        }
        this.chunk = new byte[samplesPerFrame * CHANNELS * 2];
    }

    /** Bytes of audio per video frame. */
    int chunkBytes() {
        return chunk.length;
    }

    /** Samples per channel per video frame. */
    int samplesPerFrame() {
        return samplesPerFrame;
    }

    /**
     * The audio that goes with video frame {@code n} (fed as the samples of
     * {@code [n, n+1) / fps}); valid until the next call.
     */
    byte[] chunk(int n) {
        ByteBuffer out = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN);
        long first = (long) n * samplesPerFrame;
        for (int i = 0; i < samplesPerFrame; i++) {
            short v = valueAt(first + i + primingSamples);
            for (int c = 0; c < CHANNELS; c++) {
                out.putShort(v);
            }
        }
        return chunk;
    }

    /** The sample heard at decoded sample index {@code t}. */
    private short valueAt(long t) {
        // The beep nearest before t belongs to the flash frame of second floor((t - beep0) / rate).
        long firstBeep = beepStart(0);
        long k = Math.floorDiv(t - firstBeep, rate);
        if (k < 0) {
            return 0;
        }
        long into = t - beepStart(k);
        return into >= 0 && into < beepSamples ? beep[(int) into] : 0;
    }

    /** Decoded sample index where beep {@code k} (of flash frame {@code k*fps + fps/2}) starts. */
    private long beepStart(long k) {
        long flashFrame = k * fps + fps / 2;
        long flashNs = flashFrame * 1_000_000_000L / fps;
        return Math.round((flashNs + shiftNs) * (double) rate / 1e9);
    }
}
