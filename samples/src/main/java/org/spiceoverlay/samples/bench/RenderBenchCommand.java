package org.spiceoverlay.samples.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.spiceoverlay.api.PixelFormat;
import org.spiceoverlay.render.RenderBenchmark;
import org.spiceoverlay.render.RenderException;
import org.spiceoverlay.render.UploadMethod;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code overlay render-bench}: the renderer benchmark. Parses the options, runs
 * {@link RenderBenchmark} (an offscreen compositor, so no X server is needed) and prints a table of
 * per-frame upload, draw and present times beside a plain memcpy of the same frame, measured in
 * the same run; writes the same as JSON.
 *
 * <p>A program, not a test: nothing is asserted; the exit status is 0 when the run was valid (every
 * frame presented, the last frame's number read back from the picture), 1 otherwise, 2 on a usage
 * error. Main thread.
 */
@Command(
        name = "render-bench",
        description = {
            "Renderer benchmark: an offscreen compositor (EGL surfaceless, no X needed) shows WxH frames "
                    + "1:1, one refresh per frame; prints upload, draw and present time p50/p95/p99 per frame beside a "
                    + "plain memcpy of the same frame bytes (the floor), and copies per frame. Writes JSON."
        })
public final class RenderBenchCommand implements Callable<Integer> {

    private static final String ROW = "%-9s %9s %9s %9s %9s%n";

    @Spec
    CommandSpec spec;

    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "Show this help and exit.")
    boolean help;

    @Option(
            names = "--size",
            paramLabel = "WxH",
            defaultValue = "1280x720",
            description = "Frame (and screen) size (default ${DEFAULT-VALUE}).")
    String size;

    @Option(
            names = "--format",
            paramLabel = "FORMAT",
            defaultValue = "RGBA",
            description = "Frame format: RGBA, RGBx, BGRA, BGRx, I420 or NV12 (default ${DEFAULT-VALUE}).")
    String format;

    @Option(
            names = "--upload",
            paramLabel = "METHOD",
            defaultValue = "direct",
            description = "Upload method: direct (glTexSubImage2D from the frame) or pbo (ring of pixel buffers) "
                    + "(default ${DEFAULT-VALUE}).")
    String upload;

    @Option(
            names = "--frames",
            paramLabel = "N",
            defaultValue = "300",
            description = "Timed frames (default ${DEFAULT-VALUE}).")
    int frames;

    @Option(
            names = "--warmup",
            paramLabel = "N",
            defaultValue = "30",
            description = "Untimed frames first (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(
            names = "--json",
            paramLabel = "FILE",
            defaultValue = "target/render-bench.json",
            description = "Where to write the JSON report (default ${DEFAULT-VALUE}).")
    Path json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        RenderBenchmark.Options options;
        try {
            options = new RenderBenchmark.Options(width(), height(), pixelFormat(), uploadMethod(), frames, warmup);
        } catch (IllegalArgumentException e) {
            err.println("overlay render-bench: " + e.getMessage());
            err.flush();
            return CommandLine.ExitCode.USAGE;
        }
        RenderBenchmark.Result r;
        try {
            r = RenderBenchmark.run(options);
        } catch (RenderException e) {
            err.println("overlay render-bench: " + e.getMessage());
            err.flush();
            return 1;
        }
        print(out, r);
        try {
            JsonWriter j = new JsonWriter();
            writeJson(j, r);
            j.writeTo(json);
            out.println("JSON written to " + json.toAbsolutePath());
        } catch (IOException e) {
            err.println("overlay render-bench: cannot write " + json + ": " + e.getMessage());
            err.flush();
            return 1;
        }
        out.flush();
        return r.valid() ? 0 : 1;
    }

    private int width() {
        return dimension(0);
    }

    private int height() {
        return dimension(1);
    }

    private int dimension(int which) {
        String[] parts = size.toLowerCase(Locale.ROOT).split("x");
        if (parts.length != 2) {
            throw new IllegalArgumentException("--size must be WxH, e.g. 1920x1080, got \"" + size + "\"");
        }
        try {
            return Integer.parseInt(parts[which].trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--size must be WxH, e.g. 1920x1080, got \"" + size + "\"");
        }
    }

    private PixelFormat pixelFormat() {
        for (PixelFormat f : PixelFormat.values()) {
            if (f.gstName().equalsIgnoreCase(format)) {
                return f;
            }
        }
        throw new IllegalArgumentException(
                "--format must be one of RGBA, RGBx, BGRA, BGRx, I420, NV12, got \"" + format + "\"");
    }

    private UploadMethod uploadMethod() {
        for (UploadMethod m : UploadMethod.values()) {
            if (m.name().equalsIgnoreCase(upload)) {
                return m;
            }
        }
        throw new IllegalArgumentException("--upload must be direct or pbo, got \"" + upload + "\"");
    }

    private static void print(PrintWriter out, RenderBenchmark.Result r) {
        RenderBenchmark.Options o = r.options();
        out.printf(
                Locale.ROOT,
                "render-bench: %dx%d %s, upload %s, %d frames after %d warm-up, %s, %d CPUs%n",
                o.width(),
                o.height(),
                o.format().gstName(),
                o.upload().name().toLowerCase(Locale.ROOT),
                o.frames(),
                o.warmupFrames(),
                r.renderer(),
                Runtime.getRuntime().availableProcessors());
        out.printf(
                Locale.ROOT,
                "frame: %d bytes; copies per frame: %d (%s)%n",
                r.frameBytes(),
                r.copiesPerFrame(),
                o.upload() == UploadMethod.DIRECT
                        ? "glTexSubImage2D from the frame's memory"
                        : "memcpy into a mapped PBO, then PBO to texture");
        out.printf(Locale.ROOT, ROW, "ms", "p50", "p95", "p99", "mean");
        row(out, "memcpy", r.memcpy());
        row(out, "upload", r.upload());
        row(out, "draw", r.draw());
        row(out, "present", r.present());
        row(out, "total", r.total());
        out.println(
                """
                  memcpy   the floor: MemoryUtil.memCopy of the same frame bytes, timed in the same run
                  upload   frame -> textures, until glFinish returned
                  draw     issuing the refresh's draw calls (clear, letterbox, shader quad)
                  present  glFinish after the draw: the offscreen picture complete
                  total    refresh start to presented (one frame per refresh)""");
        out.printf(
                Locale.ROOT,
                "valid: %s (%d of %d frames presented; last frame number read back: %d)%n",
                r.valid() ? "yes" : "NO",
                r.presented(),
                o.frames(),
                r.lastFrameRead());
        out.flush();
    }

    private static void row(PrintWriter out, String name, RenderBenchmark.Percentiles p) {
        out.printf(Locale.ROOT, ROW, name, ms(p.p50Nanos()), ms(p.p95Nanos()), ms(p.p99Nanos()), ms(p.meanNanos()));
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.3f", nanos / 1e6);
    }

    private static void writeJson(JsonWriter j, RenderBenchmark.Result r) {
        RenderBenchmark.Options o = r.options();
        j.beginObject();
        j.name("benchmark").value("render-bench");
        j.name("machine").beginObject();
        j.name("cpus").value(Runtime.getRuntime().availableProcessors());
        j.name("java").value(System.getProperty("java.version"));
        j.name("glRenderer").value(r.renderer().renderer());
        j.name("glVersion").value(r.renderer().version());
        j.endObject();
        j.name("width").value(o.width());
        j.name("height").value(o.height());
        j.name("format").value(o.format().gstName());
        j.name("upload").value(o.upload().name().toLowerCase(Locale.ROOT));
        j.name("frames").value(o.frames());
        j.name("warmupFrames").value(o.warmupFrames());
        j.name("frameBytes").value(r.frameBytes());
        j.name("copiesPerFrame").value(r.copiesPerFrame());
        j.name("ms").beginObject();
        timing(j, "memcpy", r.memcpy());
        timing(j, "upload", r.upload());
        timing(j, "draw", r.draw());
        timing(j, "present", r.present());
        timing(j, "total", r.total());
        j.endObject();
        j.name("presented").value(r.presented());
        j.name("lastFrameRead").value(r.lastFrameRead());
        j.name("valid").value(r.valid());
        j.endObject();
    }

    private static void timing(JsonWriter j, String name, RenderBenchmark.Percentiles p) {
        j.name(name).beginObject();
        j.name("p50").value(p.p50Nanos() / 1e6, 3);
        j.name("p95").value(p.p95Nanos() / 1e6, 3);
        j.name("p99").value(p.p99Nanos() / 1e6, 3);
        j.name("mean").value(p.meanNanos() / 1e6, 3);
        j.name("max").value(p.maxNanos() / 1e6, 3);
        j.endObject();
    }
}
