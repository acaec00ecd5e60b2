package org.spiceoverlay.samples.bench;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * The benchmark's console output: a line per mode as it finishes, and the side-by-side table.
 *
 * <p>Stateless; any thread.
 */
public final class BenchTable {

    private BenchTable() {}

    static String progressLine(ModeResult r) {
        if (r.error() != null) {
            return String.format(Locale.ROOT, "%-18s FAILED: %s", r.mode().label(), r.error());
        }
        return String.format(
                Locale.ROOT,
                "%-18s %s Mbit/s (%sx clip), CPU steady guest %s s client %s s, lag p50/p99 "
                        + "%s/%s ms, %d shown %d skipped, A/V %s ms, PSNR %s dB",
                r.mode().label(),
                f(r.mbitPerSecond(), 2),
                f(r.timesSource(), 2),
                f(r.guestCpuSteady(), 2),
                f(r.clientCpuSteady(), 2),
                f(r.lagPercentile(50), 0),
                f(r.lagPercentile(99), 0),
                r.framesShown,
                r.framesSkipped,
                f(r.avOffsetP50(), 0),
                f(r.psnrDb(), 1));
    }

    static void print(PrintWriter out, ClipFacts clip, List<ModeResult> results) {
        out.printf(
                Locale.ROOT,
                "clip %s, %dx%d@%d, %.2f Mbit/s; CPU in seconds over the steady window (%s s)%n",
                clip.name(),
                clip.width(),
                clip.height(),
                clip.fps(),
                clip.mbitPerSecond(),
                results.isEmpty() ? "-" : f(results.get(0).steadySeconds, 1));
        out.println(
                "| mode | Mbit/s | × clip | guest CPU steady / total | client CPU steady / total | lag p50 / p95 / p99 ms "
                        + "| shown / skipped / repeated | A/V p50 / max ms | PSNR dB | pause / seek ms |");
        out.println("|---|---|---|---|---|---|---|---|---|---|");
        for (ModeResult r : results) {
            if (r.error() != null) {
                out.printf("| %s | failed: %s |%n", r.mode().label(), r.error().replace('\n', ' '));
                continue;
            }
            out.printf(
                    Locale.ROOT,
                    "| %s | %s | %s | %s / %s | %s / %s | %s / %s / %s | %d / %d / %d | %s / %s | %s | %s / %s |%n",
                    r.mode().label(),
                    f(r.mbitPerSecond(), 2),
                    f(r.timesSource(), 2),
                    f(r.guestCpuSteady(), 2),
                    f(r.cpu("guest", false), 1),
                    f(r.clientCpuSteady(), 2),
                    f(r.cpu("client", false), 1),
                    f(r.lagPercentile(50), 0),
                    f(r.lagPercentile(95), 0),
                    f(r.lagPercentile(99), 0),
                    r.framesShown,
                    r.framesSkipped,
                    r.framesRepeated,
                    f(r.avOffsetP50(), 0),
                    f(r.avOffsetMax(), 0),
                    psnr(r),
                    f(r.pauseReactionMs, 0),
                    f(r.seekReactionMs, 0));
        }
    }

    private static String psnr(ModeResult r) {
        if (r.framesCompared > 0 && r.framesIdentical == r.framesCompared) {
            return "identical (" + r.framesCompared + ")";
        }
        return f(r.psnrDb(), 1);
    }

    static String f(double v, int decimals) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
