package org.spiceoverlay.samples.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.function.ToLongFunction;
import org.spiceoverlay.media.SampleClip;

/** Everything {@code overlay bench-decode} measured for one clip: both sides' runs and medians. */
public record DecodeBenchResult(
        SampleClip clip,
        Path file,
        int frames,
        long compressedBytes,
        String videoCaps,
        String decodedFormat,
        String baselineCommand,
        List<GstLaunchBaseline.Run> baseline,
        List<PushedSamplesDecode.Run> session,
        String baselineError,
        String sessionError,
        PushedSamplesDecode.Run live) {

    boolean valid() {
        return baselineError == null
                && sessionError == null
                && !session.isEmpty()
                && session.stream().allMatch(PushedSamplesDecode.Run::valid)
                && (live == null || live.valid());
    }

    long baselineCpu() {
        return median(baseline, GstLaunchBaseline.Run::cpuNanos);
    }

    long baselineWall() {
        return median(baseline, GstLaunchBaseline.Run::wallNanos);
    }

    long sessionCpu() {
        return median(session, PushedSamplesDecode.Run::cpuNanos);
    }

    long sessionWall() {
        return median(session, PushedSamplesDecode.Run::wallNanos);
    }

    long latency(ToLongFunction<PushedSamplesDecode.Run> p) {
        return median(session.stream().filter(r -> r.stats() != null).toList(), p);
    }

    double ratio() {
        long b = baselineCpu();
        long s = sessionCpu();
        return b > 0 && s >= 0 ? (double) s / b : Double.NaN;
    }

    double netRatio(long startupCpu) {
        long b = baselineCpu() - startupCpu;
        long s = sessionCpu();
        return b > 0 && s >= 0 ? (double) s / b : Double.NaN;
    }

    /** The decoder's output is converted to I420 on both sides (Y444 for the 4:4:4 clip, 10-bit for Main 10). */
    boolean converted() {
        return decodedFormat != null && !decodedFormat.equals("I420");
    }

    /** The median of {@code value} over {@code runs}, -1 when there are none. */
    static <T> long median(List<T> runs, ToLongFunction<T> value) {
        if (runs.isEmpty()) {
            return -1;
        }
        long[] v = runs.stream().mapToLong(value).sorted().toArray();
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
