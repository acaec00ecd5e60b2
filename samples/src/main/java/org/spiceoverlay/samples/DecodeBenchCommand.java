package org.spiceoverlay.samples;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.ToLongFunction;

import org.spiceoverlay.engine.EngineException;
import org.spiceoverlay.engine.gst.ClipGenerator;
import org.spiceoverlay.engine.gst.GeneratedClip;
import org.spiceoverlay.engine.gst.GstMediaEngine;
import org.spiceoverlay.engine.gst.SampleClip;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code overlay bench-decode}: the decode benchmark. For each sample clip it measures, in the same
 * run and interleaved, the plain GStreamer pipeline as a separate {@code gst-launch-1.0} process
 * ({@link GstLaunchBaseline}) and the engine decoding the same video through pushed samples in this
 * JVM ({@link PushedSamplesDecode}), and prints a table (and JSON) of frames, fps, CPU time, the
 * session/baseline CPU ratio against its target, decode latency and copies per frame. Session runs
 * whose frame numbers do not come out complete and in order are marked invalid.
 *
 * <p>A program, not a test: nothing is asserted; the exit status is 0 when every run was valid and
 * every baseline ran, 1 otherwise, 2 on a usage error. Main thread.
 */
@Command(name = "bench-decode",
        description = {"Decode benchmark: for each sample clip, the plain GStreamer pipeline (gst-launch-1.0, video "
                + "only) against the engine decoding the same clip through pushed samples in this JVM (video only, "
                + "IMMEDIATE pacing, I420). Prints a table and writes JSON; frame numbers are checked in every "
                + "session run.",
                "To profile the session side: OVERLAY_JAVA_OPTS='-XX:StartFlightRecording=filename=bench.jfr,"
                        + "settings=profile' ./overlay bench-decode ..."})
final class DecodeBenchCommand implements Callable<Integer> {

    /** The session/baseline CPU ratio the engine is held to. */
    static final double TARGET_RATIO = 1.15;
    /** Length of the live-paced latency run per clip. */
    static final double LIVE_SECONDS = 2.0;

    private static final String ROW = "%-10s %6s %8s %8s %8s %8s %6s %6s %5s %-22s %-7s %s%n";

    private static final String LEGEND = """
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

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Option(names = "--clips", paramLabel = "DIR", defaultValue = "target/bench-clips",
            description = "Where the sample clips are (generated when missing, reused when present; "
                    + "default ${DEFAULT-VALUE}).")
    Path clipsDir;

    @Option(names = "--seconds", paramLabel = "N", defaultValue = "10",
            description = "Length of clips generated (default ${DEFAULT-VALUE}); existing files are used as they are.")
    double seconds;

    @Option(names = "--only", split = ",", paramLabel = "NAME", completionCandidates = ClipsCommand.ClipNames.class,
            description = "Only these clips, comma-separated: ${COMPLETION-CANDIDATES}.")
    List<String> only = new ArrayList<>();

    @Option(names = "--runs", paramLabel = "R", defaultValue = "3",
            description = "Timed runs of each side per clip (default ${DEFAULT-VALUE}); medians are reported.")
    int runs;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "1",
            description = "Untimed session decodes of every clip before any is timed, so that the JVM's JIT "
                    + "compilation settles (default ${DEFAULT-VALUE}; 0 measures a cold JVM).")
    int warmup;

    @Option(names = "--json", paramLabel = "FILE", defaultValue = "target/bench-decode.json",
            description = "Where to write the JSON report (default ${DEFAULT-VALUE}).")
    Path json;

    /** Everything measured for one clip. */
    record ClipResult(SampleClip clip, Path file, int frames, long compressedBytes, String videoCaps,
            String decodedFormat, String baselineCommand, List<GstLaunchBaseline.Run> baseline, List<PushedSamplesDecode.Run> session,
            String baselineError, String sessionError, PushedSamplesDecode.Run live) {

        boolean valid() {
            return baselineError == null && sessionError == null && !session.isEmpty()
                    && session.stream().allMatch(PushedSamplesDecode.Run::valid) && (live == null || live.valid());
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
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<SampleClip> clips;
        Duration length;
        try {
            clips = ClipsCommand.selectClips(only);
            length = ClipsCommand.clipLength(seconds, clips);
            if (runs < 1 || runs > 100) {
                throw new IllegalArgumentException("--runs must be in [1, 100], got " + runs);
            }
            if (warmup < 0 || warmup > 100) {
                throw new IllegalArgumentException("--warmup must be in [0, 100], got " + warmup);
            }
        } catch (IllegalArgumentException e) {
            err.println("overlay bench-decode: " + e.getMessage());
            err.flush();
            return CommandLine.ExitCode.USAGE;
        }
        try {
            return bench(clips, length, out, err);
        } catch (IOException | IllegalStateException e) {
            err.println("overlay bench-decode: " + e.getMessage());
            err.flush();
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("overlay bench-decode: interrupted");
            err.flush();
            return 1;
        }
    }

    private int bench(List<SampleClip> clips, Duration length, PrintWriter out, PrintWriter err)
            throws IOException, InterruptedException {
        GstLaunchBaseline.requireTools();
        List<GeneratedClip> files = new ArrayList<>();
        for (SampleClip c : clips) {
            GeneratedClip g = ClipGenerator.generate(c, clipsDir, length, false);
            if (!g.reused()) {
                out.printf(Locale.ROOT, "generated %s (%d frames, %.1f s)%n", g.file(), g.frames(),
                        g.took().toMillis() / 1000.0);
                out.flush();
            }
            files.add(g);
        }
        GstMediaEngine engine = new GstMediaEngine();

        // The fixed cost of a gst-launch process, to tell start-up from decoding in the baseline.
        GstLaunchBaseline empty = GstLaunchBaseline.startup();
        empty.run();
        List<GstLaunchBaseline.Run> startupRuns = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            startupRuns.add(empty.run());
        }
        long startupCpu = median(startupRuns, GstLaunchBaseline.Run::cpuNanos);
        long startupWall = median(startupRuns, GstLaunchBaseline.Run::wallNanos);

        out.printf(Locale.ROOT, "bench-decode: %d clip(s) from %s, %d warm-up pass(es) then %d run(s) each, %s, "
                + "%d CPUs, %s%n", clips.size(), clipsDir.toAbsolutePath(), warmup, runs, engine.description(),
                Runtime.getRuntime().availableProcessors(), "Java " + System.getProperty("java.version"));
        out.printf(Locale.ROOT, "gst-launch startup (empty pipeline): %.0f ms CPU, %.0f ms wall%n",
                startupCpu / 1e6, startupWall / 1e6);
        out.flush();

        // Every clip's samples into memory first: the guest's demuxing is not what is measured.
        List<Prepared> prepared = new ArrayList<>();
        for (GeneratedClip g : files) {
            prepared.add(prepare(engine, g));
        }
        // Warm-up passes over all clips: JIT compilation of the engine's (JNA) paths settles before timing.
        List<List<PushedSamplesDecode.Run>> warmups = new ArrayList<>();
        for (Prepared p : prepared) {
            warmups.add(new ArrayList<>());
        }
        for (int pass = 0; pass < warmup; pass++) {
            for (int i = 0; i < prepared.size(); i++) {
                if (prepared.get(i).session() != null) {
                    warmups.get(i).add(prepared.get(i).session().run());
                }
            }
        }

        out.printf(Locale.ROOT, ROW, "clip", "frames", "base fps", "sess fps", "base CPU", "sess CPU", "ratio",
                "net", "JIT", "live latency p50/95/99", "copies", "valid");
        out.flush();
        List<ClipResult> results = new ArrayList<>();
        for (int i = 0; i < prepared.size(); i++) {
            ClipResult r = benchClip(prepared.get(i), warmups.get(i));
            results.add(r);
            printRow(out, r, startupCpu);
        }
        out.println(LEGEND.formatted(TARGET_RATIO));
        printBreakdown(out, results);
        for (ClipResult r : results) {
            out.println(r.clip().clipName() + " baseline: " + r.baselineCommand());
            if (r.baselineError() != null) {
                out.println(r.clip().clipName() + " baseline FAILED: " + r.baselineError());
            }
            if (r.sessionError() != null) {
                out.println(r.clip().clipName() + " session FAILED: " + r.sessionError());
            }
            for (PushedSamplesDecode.Run run : r.session()) {
                if (!run.valid()) {
                    out.println(r.clip().clipName() + " INVALID session run: " + run.problem());
                }
            }
        }
        JsonWriter j = new JsonWriter();
        writeJson(j, engine.description(), results, startupCpu, startupWall);
        j.writeTo(json);
        out.println("JSON written to " + json.toAbsolutePath());
        out.flush();
        boolean allValid = results.stream().allMatch(ClipResult::valid);
        return allValid ? 0 : 1;
    }

    /** A clip ready to be measured: its samples in memory and its baseline pipeline, or why not. */
    private record Prepared(GeneratedClip clip, PushedSamplesDecode session, GstLaunchBaseline baseline,
            String sessionError, String baselineError) {
    }

    private static Prepared prepare(GstMediaEngine engine, GeneratedClip g) throws InterruptedException {
        PushedSamplesDecode session = null;
        String sessionError = null;
        try {
            session = PushedSamplesDecode.load(engine, g.clip().clipName(), g.file());
        } catch (EngineException e) {
            sessionError = "cannot demux " + g.file() + ": " + e.getMessage();
        }
        GstLaunchBaseline baseline = null;
        String baselineError = null;
        try {
            // Builds the pipeline by decoding the clip once: that run is also the baseline's warm-up.
            baseline = GstLaunchBaseline.forClip(g.clip(), g.file());
        } catch (IOException e) {
            baselineError = e.getMessage();
        }
        return new Prepared(g, session, baseline, sessionError, baselineError);
    }

    private ClipResult benchClip(Prepared p, List<PushedSamplesDecode.Run> warmups) throws InterruptedException {
        SampleClip clip = p.clip().clip();
        Path file = p.clip().file();
        List<GstLaunchBaseline.Run> baseRuns = new ArrayList<>();
        // An invalid warm-up counts, so that the clip is marked invalid.
        List<PushedSamplesDecode.Run> sessionRuns = new ArrayList<>(
                warmups.stream().filter(w -> !w.valid()).toList());
        String baselineError = p.baselineError();
        // The two sides interleaved, so that drifting machine load hits both alike.
        for (int i = 0; i < runs; i++) {
            if (baselineError == null) {
                try {
                    baseRuns.add(p.baseline().run());
                } catch (IOException e) {
                    baselineError = e.getMessage();
                }
            }
            if (p.session() != null) {
                sessionRuns.add(p.session().run());
            }
        }
        PushedSamplesDecode s = p.session();
        // Decode latency as a live source sees it: samples pushed at their own pace, not flooded.
        PushedSamplesDecode.Run live = s == null ? null : s.runLive(LIVE_SECONDS);
        return new ClipResult(clip, file, s == null ? 0 : s.sampleCount(), s == null ? 0 : s.compressedBytes(),
                s == null ? null : s.videoCaps(),
                p.baseline() == null ? null : p.baseline().decoderOutputFormat(),
                p.baseline() == null ? "-" : p.baseline().commandLine(), baseRuns, sessionRuns, baselineError,
                p.sessionError(), live);
    }

    private static void printRow(PrintWriter out, ClipResult r, long startupCpu) {
        String latency = r.live() == null || r.live().stats() == null ? "-" : String.format(Locale.ROOT,
                "%.1f/%.1f/%.1f", r.live().stats().decodeP50Nanos() / 1e6, r.live().stats().decodeP95Nanos() / 1e6,
                r.live().stats().decodeP99Nanos() / 1e6);
        double ratio = r.ratio();
        out.printf(Locale.ROOT, ROW, r.clip().clipName(), r.frames(),
                fps(r.frames(), r.baselineWall()), fps(r.frames(), r.sessionWall()),
                ms(r.baselineCpu()), ms(r.sessionCpu()),
                Double.isNaN(ratio) ? "-" : String.format(Locale.ROOT, "%.2f", ratio),
                Double.isNaN(r.netRatio(startupCpu)) ? "-" : String.format(Locale.ROOT, "%.2f", r.netRatio(startupCpu)),
                ms(median(r.session(), PushedSamplesDecode.Run::jitNanos)), latency, r.converted() ? "1/0+cnv" : "1/0",
                (r.valid() ? "yes" : "INVALID") + (!Double.isNaN(ratio) && ratio > TARGET_RATIO ? "  (over target)" : ""));
        out.flush();
    }

    private static final String SPLIT_ROW = "%-10s %8s %8s %9s %6s %6s %7s %8s %6s %9s%n";

    /** Where the session's CPU went, by kind of thread, beside the baseline's. */
    private static void printBreakdown(PrintWriter out, List<ClipResult> results) {
        if (results.stream().allMatch(r -> r.session().stream().allMatch(s -> s.cpuByThreads().isEmpty()))) {
            out.println("(no per-thread CPU breakdown: /proc/self/task is not readable here)");
            return;
        }
        out.println("where the session's CPU goes (ms, median over the runs, per-thread CPU from /proc, 10 ms ticks):");
        out.printf(Locale.ROOT, SPLIT_ROW, "clip", "base CPU", "sess CPU", "gstreamer", "jit", "gc", "pusher",
                "consumer", "other", "gst/base");
        for (ClipResult r : results) {
            long gst = median(r.session(), s -> s.cpuOf(PushedSamplesDecode.ThreadKind.GSTREAMER));
            long base = r.baselineCpu();
            out.printf(Locale.ROOT, SPLIT_ROW, r.clip().clipName(), ms(base), ms(r.sessionCpu()), ms(gst),
                    ms(median(r.session(), s -> s.cpuOf(PushedSamplesDecode.ThreadKind.JIT))),
                    ms(median(r.session(), s -> s.cpuOf(PushedSamplesDecode.ThreadKind.GC))),
                    ms(median(r.session(), s -> s.cpuOf(PushedSamplesDecode.ThreadKind.PUSHER))),
                    ms(median(r.session(), s -> s.cpuOf(PushedSamplesDecode.ThreadKind.CONSUMER))),
                    ms(median(r.session(), s -> s.cpuOf(PushedSamplesDecode.ThreadKind.OTHER))),
                    base > 0 && gst >= 0 ? String.format(Locale.ROOT, "%.2f", (double) gst / base) : "-");
        }
        out.println("  gstreamer: the session's streaming and decoder threads, with the engine's Java callbacks that run "
                + "on them; gst/base compares them with the whole gst-launch process");
        out.flush();
    }

    private void writeJson(JsonWriter j, String gstreamer, List<ClipResult> results, long startupCpu,
            long startupWall) {
        j.beginObject();
        j.name("benchmark").value("bench-decode");
        j.name("machine").beginObject();
        j.name("cpus").value(Runtime.getRuntime().availableProcessors());
        j.name("os").value(System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
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
        j.name("targetCpuRatio").value(TARGET_RATIO, 2);
        j.name("method").beginObject();
        j.name("baseline").value("gst-launch-1.0 -q filesrc ! demuxer ! parser ! decoder ! fakesink in a child "
                + "process (video only; same decoder decodebin picks); CPU = child user+sys from bash 'times'");
        j.name("session").value("video samples demuxed into memory first (untimed), then timed: open a SAMPLES session "
                + "(video only, IMMEDIATE, I420), push every sample from a pusher thread, take every frame from a "
                + "FrameQueue and read its number, close the session; CPU = process CPU time delta (all JVM threads)");
        j.name("order").value("all clips demuxed into memory; baseline warm-up: one gst-launch -v run per clip that "
                + "also learns the decoder's output format; session warm-up: warmupPasses untimed decodes of every "
                + "clip; then per clip the runs interleaved baseline/session; medians");
        j.endObject();
        j.name("gstLaunchStartup").beginObject();
        j.name("cpuMs").value(startupCpu / 1e6, 1);
        j.name("wallMs").value(startupWall / 1e6, 1);
        j.endObject();
        j.name("clips").beginArray();
        for (ClipResult r : results) {
            writeClip(j, r, startupCpu);
        }
        j.endArray();
        j.name("allValid").value(results.stream().allMatch(ClipResult::valid));
        j.name("allWithinTarget").value(results.stream().allMatch(r -> r.ratio() <= TARGET_RATIO));
        j.endObject();
    }

    private static void writeClip(JsonWriter j, ClipResult r, long startupCpu) {
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
            DecodeCommand.writePercentiles(j, r.latency(x -> x.stats().decodeP50Nanos()),
                    r.latency(x -> x.stats().decodeP95Nanos()), r.latency(x -> x.stats().decodeP99Nanos()));
        } else {
            j.nullValue();
        }
        j.name("liveDecodeLatencyMs");
        if (r.live() != null && r.live().stats() != null) {
            DecodeCommand.writePercentiles(j, r.live().stats().decodeP50Nanos(), r.live().stats().decodeP95Nanos(),
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
            for (PushedSamplesDecode.ThreadKind k : PushedSamplesDecode.ThreadKind.values()) {
                j.name(k.label()).value(s.cpuOf(k) / 1e6, 1);
            }
            j.endObject();
            j.name("decodeLatencyMs");
            if (s.stats() == null) {
                j.nullValue();
            } else {
                DecodeCommand.writePercentiles(j, s.stats().decodeP50Nanos(), s.stats().decodeP95Nanos(),
                        s.stats().decodeP99Nanos());
            }
            j.endObject();
        }
        j.endArray();
        j.endObject();
        j.name("cpuRatio").value(r.ratio(), 3);
        j.name("cpuRatioNetOfStartup").value(r.netRatio(startupCpu), 3);
        j.name("withinTarget").value(r.ratio() <= TARGET_RATIO);
        j.name("copiesPerFrame").beginObject();
        j.name("compressed").value(1);
        j.name("decoded").value(0);
        j.name("decoderOutputFormat").value(r.decodedFormat());
        j.name("convertedToI420").value(r.converted());
        j.endObject();
        j.endObject();
    }

    static <T> long median(List<T> runs, ToLongFunction<T> value) {
        if (runs.isEmpty()) {
            return -1;
        }
        long[] v = runs.stream().mapToLong(value).sorted().toArray();
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
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
