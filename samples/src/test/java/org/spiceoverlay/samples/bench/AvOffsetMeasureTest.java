package org.spiceoverlay.samples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spiceoverlay.api.Rect;
import org.spiceoverlay.media.ClipGenerator;
import org.spiceoverlay.media.SampleClip;

/**
 * The bench's A/V measurement end to end, on the real local mode: a 360p clip whose beeps were
 * written 80 ms after their flash frames plays through {@code overlay bench-player} into a private
 * Xvfb and a private PulseAudio server; the flashes are found on the screen and the beeps in the
 * sound server's monitor. The offset must read 80 ms (± 10 ms). The same run checks the other
 * figures of a mode that plays correctly: frames in order, the picture bit-identical to
 * GStreamer's decode at 1:1, and a pause and a seek that show.
 */
@Tag("integration")
class AvOffsetMeasureTest {

    @TempDir
    Path work;

    @Test
    void audioShiftedBy80msReadsAs80ms() throws Exception {
        SampleClip clip = SampleClip.AV_360P;
        Path clips = work.resolve("clips");
        int seconds = 14;
        Path file = ClipGenerator.generate(clip, clips, Duration.ofSeconds(seconds + 3), true, 80_000_000L)
                .file();
        ClipFacts facts = ClipFacts.of(clip, file, seconds + 3);
        Rect video = new Rect(100, 100, clip.width(), clip.height());
        Files.createDirectories(work.resolve("run"));
        BenchPlan plan = new BenchPlan(
                file,
                facts,
                video,
                1024,
                768,
                seconds * 1_000_000_000L,
                4_000_000_000L,
                (seconds - 6) * 1_000_000_000L,
                WanLink.NONE,
                work.resolve("run"));

        ModeResult r = new ModeRunner(plan).run(BenchMode.LOCAL_XIMAGE);

        assertNull(r.error(), "the local mode ran");
        double[] offsets = r.avOffsetsMs;
        System.out.println("A/V offsets (ms): " + Arrays.toString(offsets) + "; lag p50 " + r.lagPercentile(50)
                + " ms; notes " + r.notes);
        assertTrue(offsets.length >= 3, "beeps matched to flash frames: " + offsets.length + " " + r.notes);
        double p50 = r.avOffsetP50();
        assertTrue(Math.abs(p50 - 80) <= 10, "A/V offset reads " + p50 + " ms, not 80 ± 10");
        assertTrue(r.framesShown > 60, "frames shown in the steady window: " + r.framesShown);
        assertTrue(r.framesCompared > 0, "whole pictures compared");
        assertEquals(r.framesCompared, r.framesIdentical, "the local picture at 1:1 is GStreamer's own decode");
        assertTrue(!Double.isNaN(r.seekReactionMs) && r.seekReactionMs > 0, "the seek showed: " + r.seekReactionMs);
        assertTrue(r.pauseReactionMs >= 0, "the pause showed: " + r.pauseReactionMs);
    }
}
