package org.spiceoverlay.samples.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.spiceoverlay.engine.EngineException;
import org.spiceoverlay.engine.gst.GstMediaEngine;
import org.spiceoverlay.media.ClipGenerator;
import org.spiceoverlay.media.GeneratedClip;
import org.spiceoverlay.media.SampleClip;
import org.spiceoverlay.media.SampleClips;
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
@Command(
        name = "bench-decode",
        description = {
            "Decode benchmark: for each sample clip, the plain GStreamer pipeline (gst-launch-1.0, video "
                    + "only) against the engine decoding the same clip through pushed samples in this JVM (video only, "
                    + "IMMEDIATE pacing, I420). Prints a table and writes JSON; frame numbers are checked in every "
                    + "session run.",
            "To profile the session side: OVERLAY_JAVA_OPTS='-XX:StartFlightRecording=filename=bench.jfr,"
                    + "settings=profile' ./overlay bench-decode ..."
        })
public final class DecodeBenchCommand implements Callable<Integer> {

    /** The session/baseline CPU ratio the engine is held to. */
    static final double TARGET_RATIO = 1.15;
    /** Length of the live-paced latency run per clip. */
    static final double LIVE_SECONDS = 2.0;

    @Spec
    CommandSpec spec;

    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "Show this help and exit.")
    boolean help;

    @Option(
            names = "--clips",
            paramLabel = "DIR",
            defaultValue = "target/bench-clips",
            description = "Where the sample clips are (generated when missing, reused when present; "
                    + "default ${DEFAULT-VALUE}).")
    Path clipsDir;

    @Option(
            names = "--seconds",
            paramLabel = "N",
            defaultValue = "10",
            description = "Length of clips generated (default ${DEFAULT-VALUE}); existing files are used as they are.")
    double seconds;

    @Option(
            names = "--only",
            split = ",",
            paramLabel = "NAME",
            completionCandidates = SampleClips.Names.class,
            description = "Only these clips, comma-separated: ${COMPLETION-CANDIDATES}.")
    List<String> only = new ArrayList<>();

    @Option(
            names = "--runs",
            paramLabel = "R",
            defaultValue = "3",
            description = "Timed runs of each side per clip (default ${DEFAULT-VALUE}); medians are reported.")
    int runs;

    @Option(
            names = "--warmup",
            paramLabel = "N",
            defaultValue = "1",
            description = "Untimed session decodes of every clip before any is timed, so that the JVM's JIT "
                    + "compilation settles (default ${DEFAULT-VALUE}; 0 measures a cold JVM).")
    int warmup;

    @Option(
            names = "--json",
            paramLabel = "FILE",
            defaultValue = "target/bench-decode.json",
            description = "Where to write the JSON report (default ${DEFAULT-VALUE}).")
    Path json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<SampleClip> clips;
        Duration length;
        try {
            clips = SampleClips.select(only);
            length = SampleClips.lengthOf(seconds, clips);
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
                out.printf(
                        Locale.ROOT,
                        "generated %s (%d frames, %.1f s)%n",
                        g.file(),
                        g.frames(),
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
        long startupCpu = DecodeBenchResult.median(startupRuns, GstLaunchBaseline.Run::cpuNanos);
        long startupWall = DecodeBenchResult.median(startupRuns, GstLaunchBaseline.Run::wallNanos);

        out.printf(
                Locale.ROOT,
                "bench-decode: %d clip(s) from %s, %d warm-up pass(es) then %d run(s) each, %s, " + "%d CPUs, %s%n",
                clips.size(),
                clipsDir.toAbsolutePath(),
                warmup,
                runs,
                engine.description(),
                Runtime.getRuntime().availableProcessors(),
                "Java " + System.getProperty("java.version"));
        out.printf(
                Locale.ROOT,
                "gst-launch startup (empty pipeline): %.0f ms CPU, %.0f ms wall%n",
                startupCpu / 1e6,
                startupWall / 1e6);
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

        out.printf(
                Locale.ROOT,
                DecodeBenchReport.ROW,
                "clip",
                "frames",
                "base fps",
                "sess fps",
                "base CPU",
                "sess CPU",
                "ratio",
                "net",
                "JIT",
                "live latency p50/95/99",
                "copies",
                "valid");
        out.flush();
        List<DecodeBenchResult> results = new ArrayList<>();
        for (int i = 0; i < prepared.size(); i++) {
            DecodeBenchResult r = benchClip(prepared.get(i), warmups.get(i));
            results.add(r);
            DecodeBenchReport.printRow(out, r, startupCpu);
        }
        out.println(DecodeBenchReport.LEGEND.formatted(TARGET_RATIO));
        DecodeBenchReport.printBreakdown(out, results);
        for (DecodeBenchResult r : results) {
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
        DecodeBenchReport.writeJson(j, engine.description(), results, startupCpu, startupWall, clipsDir, runs, warmup);
        j.writeTo(json);
        out.println("JSON written to " + json.toAbsolutePath());
        out.flush();
        boolean allValid = results.stream().allMatch(DecodeBenchResult::valid);
        return allValid ? 0 : 1;
    }

    /** A clip ready to be measured: its samples in memory and its baseline pipeline, or why not. */
    private record Prepared(
            GeneratedClip clip,
            PushedSamplesDecode session,
            GstLaunchBaseline baseline,
            String sessionError,
            String baselineError) {}

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

    private DecodeBenchResult benchClip(Prepared p, List<PushedSamplesDecode.Run> warmups) throws InterruptedException {
        SampleClip clip = p.clip().clip();
        Path file = p.clip().file();
        List<GstLaunchBaseline.Run> baseRuns = new ArrayList<>();
        // An invalid warm-up counts, so that the clip is marked invalid.
        List<PushedSamplesDecode.Run> sessionRuns =
                new ArrayList<>(warmups.stream().filter(w -> !w.valid()).toList());
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
        return new DecodeBenchResult(
                clip,
                file,
                s == null ? 0 : s.sampleCount(),
                s == null ? 0 : s.compressedBytes(),
                s == null ? null : s.videoCaps(),
                p.baseline() == null ? null : p.baseline().decoderOutputFormat(),
                p.baseline() == null ? "-" : p.baseline().commandLine(),
                baseRuns,
                sessionRuns,
                baselineError,
                p.sessionError(),
                live);
    }
}
