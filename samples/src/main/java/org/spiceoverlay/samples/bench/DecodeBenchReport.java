package org.spiceoverlay.samples.bench;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The output of {@code overlay bench-decode}: the table row per clip, the legend, the CPU
 * breakdown by kind of thread, and the JSON report.
 */
public final class DecodeBenchReport {

    static final String ROW = "%-10s %6s %8s %8s %8s %8s %6s %6s %5s %-22s %-7s %s%n";

    static final String LEGEND =
            """
            legend:
              frames       video frames decoded (= video samples in the file; checked by frame number in each session run)
              fps          frames / wall time; baseline wall includes gst-launch start-up (see 'startup' above)
              CPU ms       baseline: user+sys of the gst-launch process; session: this JVM's process CPU time
                           from opening the session to having closed it (includes GC, JIT and other JVM threads)
              ratio        session CPU / baseline CPU (medians over the runs); target <= %.2f
              net          session CPU / (baseline CPU - gst-launch start-up CPU): the decode work alone
              JIT          ms of JIT compilation during the session runs (median; part of session CPU)
              latency      decode latency p50/p95/p99 in ms, sample pushed -> frame out of the decoder, in a
                           separate run over the first ~2 s pushed at the clip's own pace (as a live source
                           would): the decoder's own delay, including frames a frame-threaded decoder holds
              copies       per frame, compressed/decoded: the sample is copied once into a GstBuffer on push;
                           decoded frames are handed over without a copy (+cnv: decoder output converted to I420,
                           the baseline converts too)
              valid        every session run gave all frames, numbered 0..n-1 in order, without an engine error""";

    private DecodeBenchReport() {}

    static void printRow(PrintWriter out, DecodeBenchResult r, long startupCpu) {
        String latency = r.live() == null || r.live().stats() == null
                ? "-"
                : String.format(
                        Locale.ROOT,
                        "%.1f/%.1f/%.1f",
                        r.live().stats().decodeP50Nanos() / 1e6,
                        r.live().stats().decodeP95Nanos() / 1e6,
                        r.live().stats().decodeP99Nanos() / 1e6);
        double ratio = r.ratio();
        out.printf(
                Locale.ROOT,
                ROW,
                r.clip().clipName(),
                r.frames(),
                fps(r.frames(), r.baselineWall()),
                fps(r.frames(), r.sessionWall()),
                ms(r.baselineCpu()),
                ms(r.sessionCpu()),
                Double.isNaN(ratio) ? "-" : String.format(Locale.ROOT, "%.2f", ratio),
                Double.isNaN(r.netRatio(startupCpu)) ? "-" : String.format(Locale.ROOT, "%.2f", r.netRatio(startupCpu)),
                ms(DecodeBenchResult.median(r.session(), PushedSamplesDecode.Run::jitNanos)),
                latency,
                r.converted() ? "1/0+cnv" : "1/0",
                (r.valid() ? "yes" : "INVALID")
                        + (!Double.isNaN(ratio) && ratio > DecodeBenchCommand.TARGET_RATIO ? "  (over target)" : ""));
        out.flush();
    }

    private static final String SPLIT_ROW = "%-10s %8s %8s %9s %6s %6s %7s %8s %6s %9s%n";

    /** Where the session's CPU went, by kind of thread, beside the baseline's. */
    static void printBreakdown(PrintWriter out, List<DecodeBenchResult> results) {
        if (results.stream().allMatch(r -> r.session().stream()
                .allMatch(s -> s.cpuByThreads().isEmpty()))) {
            out.println("(no per-thread CPU breakdown: /proc/self/task is not readable here)");
            return;
        }
        out.println("where the session's CPU goes (ms, median over the runs, per-thread CPU from /proc, 10 ms ticks):");
        out.printf(
                Locale.ROOT,
                SPLIT_ROW,
                "clip",
                "base CPU",
                "sess CPU",
                "gstreamer",
                "jit",
                "gc",
                "pusher",
                "consumer",
                "other",
                "gst/base");
        for (DecodeBenchResult r : results) {
            long gst = DecodeBenchResult.median(r.session(), s -> s.cpuOf(DecodeThreadKind.GSTREAMER));
            long base = r.baselineCpu();
            out.printf(
                    Locale.ROOT,
                    SPLIT_ROW,
                    r.clip().clipName(),
                    ms(base),
                    ms(r.sessionCpu()),
                    ms(gst),
                    ms(DecodeBenchResult.median(r.session(), s -> s.cpuOf(DecodeThreadKind.JIT))),
                    ms(DecodeBenchResult.median(r.session(), s -> s.cpuOf(DecodeThreadKind.GC))),
                    ms(DecodeBenchResult.median(r.session(), s -> s.cpuOf(DecodeThreadKind.PUSHER))),
                    ms(DecodeBenchResult.median(r.session(), s -> s.cpuOf(DecodeThreadKind.CONSUMER))),
                    ms(DecodeBenchResult.median(r.session(), s -> s.cpuOf(DecodeThreadKind.OTHER))),
                    base > 0 && gst >= 0 ? String.format(Locale.ROOT, "%.2f", (double) gst / base) : "-");
        }
        out.println(
                "  gstreamer: the session's streaming and decoder threads, with the engine's Java callbacks that run "
                        + "on them; gst/base compares them with the whole gst-launch process");
        out.flush();
    }

    static void writeJson(
            JsonWriter j,
            String gstreamer,
            List<DecodeBenchResult> results,
            long startupCpu,
            long startupWall,
            Path clipsDir,
            int runs,
            int warmup) {
        j.beginObject();
        j.name("benchmark").value("bench-decode");
        j.name("machine").beginObject();
        j.name("cpus").value(Runtime.getRuntime().availableProcessors());
        j.name("os")
                .value(System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"));
        j.name("java").value(System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")");
        j.name("jvmArgs").beginArray();
        ManagementFactory.getRuntimeMXBean().getInputArguments().forEach(j::value);
        j.endArray();
        j.name("gstreamer").value(gstreamer);
        j.endObject();
        j.name("clipsDir").value(clipsDir.toAbsolutePath().toString());
        j.name("runs").value(runs);
        j.name("warmupPasses").value(warmup);
        j.name("targetCpuRatio").value(DecodeBenchCommand.TARGET_RATIO, 2);
        j.name("method").beginObject();
        j.name("baseline")
                .value("gst-launch-1.0 -q filesrc ! demuxer ! parser ! decoder ! fakesink in a child "
                        + "process (video only; same decoder decodebin picks); CPU = child user+sys from bash 'times'");
        j.name("session")
                .value(
                        "video samples demuxed into memory first (untimed), then timed: open a SAMPLES session "
                                + "(video only, IMMEDIATE, I420), push every sample from a pusher thread, take every frame from a "
                                + "FrameQueue and read its number, close the session; CPU = process CPU time delta (all JVM threads)");
        j.name("order")
                .value("all clips demuxed into memory; baseline warm-up: one gst-launch -v run per clip that "
                        + "also learns the decoder's output format; session warm-up: warmupPasses untimed decodes of every "
                        + "clip; then per clip the runs interleaved baseline/session; medians");
        j.endObject();
        j.name("gstLaunchStartup").beginObject();
        j.name("cpuMs").value(startupCpu / 1e6, 1);
        j.name("wallMs").value(startupWall / 1e6, 1);
        j.endObject();
        j.name("clips").beginArray();
        for (DecodeBenchResult r : results) {
            writeClip(j, r, startupCpu);
        }
        j.endArray();
        j.name("allValid").value(results.stream().allMatch(DecodeBenchResult::valid));
        j.name("allWithinTarget").value(results.stream().allMatch(r -> r.ratio() <= DecodeBenchCommand.TARGET_RATIO));
        j.endObject();
    }

    private static void writeClip(JsonWriter j, DecodeBenchResult r, long startupCpu) {
        j.beginObject();
        j.name("clip").value(r.clip().clipName());
        j.name("file").value(r.file().toAbsolutePath().toString());
        j.name("codec").value(r.clip().videoCodec());
        j.name("mediaType").value(r.clip().videoMediaType());
        j.name("width").value(r.clip().width());
        j.name("height").value(r.clip().height());
        j.name("frames").value(r.frames());
        j.name("compressedBytes").value(r.compressedBytes());
        j.name("valid").value(r.valid());
        j.name("baseline").beginObject();
        j.name("command").value(r.baselineCommand());
        j.name("error").value(r.baselineError());
        j.name("medianWallMs").value(r.baselineWall() / 1e6, 1);
        j.name("medianCpuMs").value(r.baselineCpu() / 1e6, 1);
        j.name("fps").value(fpsValue(r.frames(), r.baselineWall()), 1);
        j.name("runs").beginArray();
        for (GstLaunchBaseline.Run b : r.baseline()) {
            j.beginObject();
            j.name("wallMs").value(b.wallNanos() / 1e6, 1);
            j.name("cpuMs").value(b.cpuNanos() / 1e6, 1);
            j.name("userMs").value(b.userNanos() / 1e6, 1);
            j.name("sysMs").value(b.sysNanos() / 1e6, 1);
            j.endObject();
        }
        j.endArray();
        j.endObject();
        j.name("session").beginObject();
        j.name("error").value(r.sessionError());
        j.name("medianWallMs").value(r.sessionWall() / 1e6, 1);
        j.name("medianCpuMs").value(r.sessionCpu() / 1e6, 1);
        j.name("fps").value(fpsValue(r.frames(), r.sessionWall()), 1);
        j.name("decodeLatencyMs");
        if (r.session().stream().anyMatch(x -> x.stats() != null)) {
            DecodeReport.writePercentiles(
                    j,
                    r.latency(x -> x.stats().decodeP50Nanos()),
                    r.latency(x -> x.stats().decodeP95Nanos()),
                    r.latency(x -> x.stats().decodeP99Nanos()));
        } else {
            j.nullValue();
        }
        j.name("liveDecodeLatencyMs");
        if (r.live() != null && r.live().stats() != null) {
            DecodeReport.writePercentiles(
                    j,
                    r.live().stats().decodeP50Nanos(),
                    r.live().stats().decodeP95Nanos(),
                    r.live().stats().decodeP99Nanos());
        } else {
            j.nullValue();
        }
        j.name("liveRunValid").value(r.live() != null && r.live().valid());
        j.name("runs").beginArray();
        for (PushedSamplesDecode.Run s : r.session()) {
            j.beginObject();
            j.name("valid").value(s.valid());
            j.name("problem").value(s.problem());
            j.name("frames").value(s.frames());
            j.name("frameNumbers").value(s.numbers().describe());
            j.name("wallMs").value(s.wallNanos() / 1e6, 1);
            j.name("cpuMs").value(s.cpuNanos() / 1e6, 1);
            j.name("pusherCpuMs").value(s.pusherCpuNanos() / 1e6, 1);
            j.name("consumerCpuMs").value(s.consumerCpuNanos() / 1e6, 1);
            j.name("numberReadMs").value(s.numberReadNanos() / 1e6, 1);
            j.name("gcMs").value(s.gcNanos() / 1e6, 1);
            j.name("gcCount").value(s.gcCount());
            j.name("jitMs").value(s.jitNanos() / 1e6, 1);
            j.name("cpuMsByThreads").beginObject();
            for (DecodeThreadKind k : DecodeThreadKind.values()) {
                j.name(k.label()).value(s.cpuOf(k) / 1e6, 1);
            }
            j.endObject();
            j.name("decodeLatencyMs");
            if (s.stats() == null) {
                j.nullValue();
            } else {
                DecodeReport.writePercentiles(
                        j,
                        s.stats().decodeP50Nanos(),
                        s.stats().decodeP95Nanos(),
                        s.stats().decodeP99Nanos());
            }
            j.endObject();
        }
        j.endArray();
        j.endObject();
        j.name("cpuRatio").value(r.ratio(), 3);
        j.name("cpuRatioNetOfStartup").value(r.netRatio(startupCpu), 3);
        j.name("withinTarget").value(r.ratio() <= DecodeBenchCommand.TARGET_RATIO);
        j.name("copiesPerFrame").beginObject();
        j.name("compressed").value(1);
        j.name("decoded").value(0);
        j.name("decoderOutputFormat").value(r.decodedFormat());
        j.name("convertedToI420").value(r.converted());
        j.endObject();
        j.endObject();
    }

    private static String fps(int frames, long wallNanos) {
        return wallNanos > 0 ? String.format(Locale.ROOT, "%.1f", frames * 1e9 / wallNanos) : "-";
    }

    private static double fpsValue(int frames, long wallNanos) {
        return wallNanos > 0 ? frames * 1e9 / wallNanos : Double.NaN;
    }

    private static String ms(long nanos) {
        return nanos >= 0 ? String.format(Locale.ROOT, "%.0f", nanos / 1e6) : "-";
    }
}
