package org.spiceoverlay.engine.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Synthetic PCM with beeps at known samples: the detector finds each onset at its first loud
 * sample whatever the chunking, ignores a beep that follows too little silence, and keeps the
 * caller's clock across chunks.
 */
class BeepDetectorTest {

    private static final int RATE = 48000;

    /** Stereo S16LE: silence with a 1 kHz beep (50 ms, half scale) starting at each given sample. */
    private static short[] signal(int samples, int... beepStarts) {
        short[] out = new short[samples * 2];
        for (int start : beepStarts) {
            for (int i = 0; i < 2400 && start + i < samples; i++) {
                short v = (short) Math.round(16383 * Math.sin(2 * Math.PI * 1000 * i / RATE));
                out[(start + i) * 2] = v;
                out[(start + i) * 2 + 1] = v;
            }
        }
        return out;
    }

    private static ByteBuffer bytes(short[] samples, int from, int to) {
        ByteBuffer b = ByteBuffer.allocate((to - from) * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = from; i < to; i++) {
            b.putShort(samples[i]);
        }
        return b.flip();
    }

    private static long nanosOf(long sample) {
        return Math.round(sample * 1e9 / RATE);
    }

    @Test
    void onsetsAreFoundAtTheirFirstLoudSampleWhateverTheChunking() {
        short[] s = signal(3 * RATE, 24000, 72000, 120000);
        // A sine from phase 0 first reaches 5% of full scale at its second sample.
        List<Long> expected = List.of(nanosOf(24001), nanosOf(72001), nanosOf(120001));
        long clock = 7_000_000_000L;
        for (int chunkFrames : new int[] {1, 7, 480, 1024, 24001, 3 * RATE}) {
            BeepDetector d = new BeepDetector(RATE, 2);
            for (int f = 0; f < 3 * RATE; f += chunkFrames) {
                int end = Math.min(3 * RATE, f + chunkFrames);
                d.accept(bytes(s, f * 2, end * 2), clock + nanosOf(f));
            }
            List<Long> got = d.onsetsNanos().stream().map(t -> t - clock).toList();
            assertEquals(expected.size(), got.size(), "onsets with chunks of " + chunkFrames + " frames: " + got);
            for (int i = 0; i < got.size(); i++) {
                // Chunk times are rounded to the nanosecond: allow that rounding, far below a sample.
                assertTrue(
                        Math.abs(got.get(i) - expected.get(i)) <= 1,
                        "onset " + i + " with chunks of " + chunkFrames + " frames: " + got + ", expected " + expected);
            }
            assertEquals(3L * RATE, d.samplesSeen());
        }
    }

    @Test
    void aBeepAfterTooLittleSilenceIsNotAnOnset() {
        // 50 ms beep at 0.5 s ends at 0.55 s; the next starts 60 ms later: under 100 ms of silence.
        short[] s = signal(RATE, 24000, 24000 + 2400 + 2880);
        BeepDetector d = new BeepDetector(RATE, 2);
        d.accept(s, 0, s.length, 0);
        assertEquals(List.of(nanosOf(24001)), d.onsetsNanos());
    }

    @Test
    void aBeepAtTheStreamStartIsNotAnOnset() {
        short[] s = signal(RATE / 2, 0);
        BeepDetector d = new BeepDetector(RATE, 2);
        d.accept(s, 0, s.length, 0);
        assertEquals(List.of(), d.onsetsNanos());
    }

    @Test
    void quietNoiseBelowTheThresholdIsNoOnsetAndMonoWorks() {
        short[] mono = new short[RATE];
        for (int i = 0; i < mono.length; i++) {
            mono[i] = (short) ((i % 2 == 0 ? 1 : -1) * 700); // about 2% of full scale
        }
        for (int i = 30000; i < 30100; i++) {
            mono[i] = -3000;
        }
        BeepDetector d = new BeepDetector(RATE, 1);
        d.accept(mono, 0, mono.length, 1000);
        assertEquals(List.of(1000 + nanosOf(30000)), d.onsetsNanos());
    }

    @Test
    void badArgumentsAreNamed() {
        assertThrows(IllegalArgumentException.class, () -> new BeepDetector(0, 2));
        assertThrows(IllegalArgumentException.class, () -> new BeepDetector(RATE, 2, 1.5, 0));
        BeepDetector d = new BeepDetector(RATE, 2);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> d.accept(ByteBuffer.allocate(6), 0));
        assertEquals(true, e.getMessage().contains("whole frames"), e.getMessage());
    }
}
