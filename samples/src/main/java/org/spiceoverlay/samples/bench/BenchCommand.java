package org.spiceoverlay.samples.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.spiceoverlay.api.Rect;
import org.spiceoverlay.media.ClipGenerator;
import org.spiceoverlay.media.SampleClip;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code overlay bench}: redirected, hair-pinned and local playback of one clip, side by side on this
 * machine, each mode on a fresh scene; prints a line per mode as it finishes and a table at the
 * end, and writes JSON and a PNG chart.
 *
 * <p>Main thread.
 */
@Command(
        name = "bench",
        sortOptions = false,
        description = {
            "Compare redirected, hair-pinned and local playback of one clip on a real Spice session "
                    + "(Xspice + remote-viewer, full screen at 1:1): bytes on the wire (counting relays), CPU of every "
                    + "process on each side (/proc), lag of each frame on the client screen (frame numbers read from "
                    + "screen grabs against the player's clock), A/V offset as heard (beeps recorded from a private "
                    + "sound server against flash frames on screen), PSNR of grabbed pictures against GStreamer's decode, "
                    + "and the time a pause and a seek take to show.",
            "Exit status: 0 when every mode ran and showed frames, 1 when one did not, 2 on a usage error."
        })
public final class BenchCommand implements Callable<Integer> {

    private static final int SCREEN_W = 1920;
    private static final int SCREEN_H = 1080;

    @Spec
    CommandSpec spec;

    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "Show this help and exit.")
    boolean help;

    @Option(
            names = "--clip",
            paramLabel = "NAME|FILE",
            defaultValue = "av-720p",
            description = "A sample clip (generated when missing; av-720p and av-1080p carry the flash frames and "
                    + "beeps the A/V figures need) or a video file of at most 1920x1080 (default: ${DEFAULT-VALUE}).")
    String clipName;

    @Option(
            names = "--seconds",
            paramLabel = "N",
            defaultValue = "20",
            description = "How long each mode plays; at least 12 (default: ${DEFAULT-VALUE}). The last 6 s hold a "
                    + "pause, a resume and a seek back to 2 s.")
    int seconds;

    @Option(
            names = "--warmup",
            paramLabel = "S",
            defaultValue = "5",
            description = "Seconds after the first frame before the steady state begins (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(
            names = "--modes",
            paramLabel = "LIST",
            split = ",",
            defaultValue = "redirect,hairpin,local",
            description = "Groups (redirect, hairpin, local) or single modes (redirect-buffered, redirect-live, "
                    + "hairpin-filter, hairpin-mjpeg, hairpin-h264, hairpin-vp8, local-ximagesink, local-glimagesink); "
                    + "default: ${DEFAULT-VALUE}.")
    List<String> modes;

    @Option(names = "--rtt", paramLabel = "TIME", description = "Round-trip delay the relays add, e.g. 30ms.")
    String rtt;

    @Option(
            names = "--bandwidth",
            paramLabel = "RATE",
            description = "Bandwidth cap of the relays each way, e.g. 20mbit.")
    String bandwidth;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the figures of every mode as JSON.")
    Path json;

    @Option(names = "--chart", paramLabel = "FILE", description = "Write a PNG chart: lag distribution, bytes, CPU.")
    Path chart;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<BenchMode> chosen;
        WanLink link;
        try {
            chosen = BenchMode.parse(modes);
            link = new WanLink(
                    rtt == null ? 0 : WanLink.parseRtt(rtt), bandwidth == null ? 0 : WanLink.parseBandwidth(bandwidth));
        } catch (IllegalArgumentException e) {
            err.println("overlay bench: " + e.getMessage());
            return 2;
        }
        if (seconds < 12) {
            err.println("overlay bench: --seconds must be at least 12 (warm-up, steady state, pause, resume, seek)");
            return 2;
        }
        if (warmup < 1 || warmup > seconds - 9) {
            err.println("overlay bench: --warmup must be between 1 and " + (seconds - 9) + " s for " + seconds + " s");
            return 2;
        }
        Path clipFile;
        ClipFacts facts;
        try {
            Path given = Path.of(clipName);
            if (Files.isRegularFile(given)) {
                clipFile = given;
                facts = ClipFacts.probe(given);
            } else {
                SampleClip clip = SampleClip.byName(clipName);
                Path dir = Path.of(
                        System.getProperty("user.home"),
                        ".cache",
                        "spice-overlay",
                        "clips",
                        "bench-" + (seconds + 4) + "s");
                out.println("sample clip " + clip.clipName() + " (" + (seconds + 4) + " s; generating if needed)");
                out.flush();
                clipFile = ClipGenerator.generate(clip, dir, Duration.ofSeconds(seconds + 4), false)
                        .file();
                facts = ClipFacts.of(clip, clipFile, seconds + 4);
            }
        } catch (IllegalArgumentException | IOException e) {
            err.println("overlay bench: " + e.getMessage());
            return 2;
        }
        if (facts.width() > SCREEN_W || facts.height() > SCREEN_H) {
            err.println("overlay bench: " + facts.name() + " is " + facts.width() + "x" + facts.height()
                    + "; the bench shows pictures at 1:1 on a " + SCREEN_W + "x" + SCREEN_H + " screen");
            return 2;
        }
        Rect video = new Rect(
                (SCREEN_W - facts.width()) / 2 & ~1,
                (SCREEN_H - facts.height()) / 2 & ~1,
                facts.width(),
                facts.height());
        Path work = Files.createTempDirectory("spice-overlay-bench");
        BenchPlan plan = new BenchPlan(
                clipFile,
                facts,
                video,
                SCREEN_W,
                SCREEN_H,
                seconds * 1_000_000_000L,
                warmup * 1_000_000_000L,
                (seconds - 6) * 1_000_000_000L,
                link,
                work);
        out.printf(
                Locale.ROOT,
                "clip %s: %dx%d@%d, %.2f Mbit/s; %d s per mode, warm-up %d s, steady state until "
                        + "%d s; modes %s; %s; logs in %s%n",
                facts.name(),
                facts.width(),
                facts.height(),
                facts.fps(),
                facts.mbitPerSecond(),
                seconds,
                warmup,
                seconds - 6,
                chosen.stream().map(BenchMode::label).toList(),
                link.emulates() ? "relays emulate " + link : "relays add no delay",
                work);
        out.flush();

        List<ModeResult> results = new ArrayList<>();
        for (BenchMode mode : chosen) {
            out.printf("%-18s running...%n", mode.label());
            out.flush();
            ModeResult r = new ModeRunner(plan).run(mode);
            results.add(r);
            out.println(BenchTable.progressLine(r));
            out.flush();
        }
        out.println();
        BenchTable.print(out, facts, results);
        if (json != null) {
            writeJson(json, facts, plan, link, results);
            out.println("JSON: " + json.toAbsolutePath());
        }
        if (chart != null) {
            BenchCharts.write(chart, facts.name(), results);
            out.println("chart: " + chart.toAbsolutePath());
        }
        out.flush();
        boolean ok = results.stream().allMatch(r -> r.error() == null && r.framesShown > 0);
        return ok ? 0 : 1;
    }

    private void writeJson(Path file, ClipFacts facts, BenchPlan plan, WanLink link, List<ModeResult> results)
            throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        ObjectNode clip = root.putObject("clip");
        clip.put("name", facts.name());
        clip.put("width", facts.width());
        clip.put("height", facts.height());
        clip.put("fps", facts.fps());
        clip.put("mbit_s", Math.round(facts.mbitPerSecond() * 1000) / 1000.0);
        clip.put("av_marks", facts.avMarks());
        ObjectNode run = root.putObject("run");
        run.put("seconds_per_mode", seconds);
        run.put("warmup_s", warmup);
        run.put("steady_until_s", seconds - 6);
        run.put("screen", SCREEN_W + "x" + SCREEN_H);
        run.put("video_rect", plan.video().toString());
        run.put("rtt_ms", link.rttNanos() / 1e6);
        run.put("bandwidth_bit_s", link.bitsPerSecond());
        run.put("cores", Runtime.getRuntime().availableProcessors());
        run.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        ArrayNode modesNode = root.putArray("modes");
        for (ModeResult r : results) {
            modesNode.add(r.toJson(mapper));
        }
        mapper.writeValue(file.toFile(), root);
    }
}
