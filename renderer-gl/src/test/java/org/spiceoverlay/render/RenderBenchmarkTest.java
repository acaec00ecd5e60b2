package org.spiceoverlay.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.spiceoverlay.api.PixelFormat;

/** The benchmark runs and checks itself; its timings are not asserted (they are the benchmark's output). */
@Tag("integration")
class RenderBenchmarkTest {

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"RGBA, DIRECT", "I420, PBO", "NV12, DIRECT", "BGRX, PBO"})
    void runsAndReadsTheLastFrameBack(PixelFormat format, UploadMethod upload) {
        RenderBenchmark.Result r = RenderBenchmark.run(new RenderBenchmark.Options(160, 90, format, upload, 12, 3));
        assertTrue(r.valid(), r.toString());
        assertEquals(12, r.presented());
        assertEquals(14, r.lastFrameRead());
        assertEquals(upload.copiesPerFrame(), r.copiesPerFrame());
        assertTrue(r.frameBytes() >= 160 * 90, r.toString());
        assertTrue(r.total().p50Nanos() > 0 && r.memcpy().p50Nanos() >= 0, r.toString());
        assertTrue(r.upload().p50Nanos() <= r.upload().p95Nanos()
                && r.upload().p95Nanos() <= r.upload().p99Nanos());
    }

    @Test
    void percentilesAreNearestRank() {
        long[] samples = new long[100];
        for (int i = 0; i < 100; i++) {
            samples[i] = 100 - i;
        }
        RenderBenchmark.Percentiles p = RenderBenchmark.Percentiles.of(samples);
        assertEquals(50, p.p50Nanos());
        assertEquals(95, p.p95Nanos());
        assertEquals(99, p.p99Nanos());
        assertEquals(100, p.maxNanos());
        assertEquals(50, p.meanNanos());
        assertEquals(0, RenderBenchmark.Percentiles.of(new long[0]).p99Nanos());
    }

    @Test
    void optionsAreValidated() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new RenderBenchmark.Options(39, 90, PixelFormat.RGBA, UploadMethod.DIRECT, 10, 0));
        assertThrows(
                IllegalArgumentException.class,
                () -> new RenderBenchmark.Options(160, 90, PixelFormat.RGBA, UploadMethod.DIRECT, 0, 0));
    }
}
