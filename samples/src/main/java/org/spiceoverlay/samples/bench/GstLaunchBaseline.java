package org.spiceoverlay.samples.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.spiceoverlay.media.SampleClip;

/**
 * The decode benchmark's baseline: the plain GStreamer pipeline for a clip's video, run by
 * {@code gst-launch-1.0} as a separate process, with its wall time and CPU time.
 *
 * <p>The pipeline is {@code filesrc ! <demuxer> ! [parser !] <decoder> ! fakesink}: the
 * container's demuxer (its audio pad is left unlinked, so audio is neither parsed nor decoded),
 * then exactly the parser and decoder that the engine's {@code decodebin} plugs for the same
 * elementary stream on this machine (highest rank: avdec_h264, avdec_h265, vp8dec, vp9dec, av1dec;
 * decodebin adds the parser in front of all but VP8). Explicit elements rather than
 * {@code decodebin} keep the baseline free of typefinding and of the audio branch. The session
 * pays no demuxing (the guest demuxed); the baseline does, which costs little next to decoding.
 * When the decoder's output is not I420 (the odd-size clip decodes to Y444), the baseline converts
 * to I420 as the session does.
 *
 * <p>CPU time is the child's user + system time as bash's {@code times} reports it after the child
 * exits (getrusage of waited-for children, millisecond resolution), so nothing beyond bash is
 * needed. It includes gst-launch's start-up (GStreamer init, registry, plugin loading), which
 * {@link #startup} measures on an empty pipeline.
 *
 * <p>Immutable; any thread may run it (each run is its own process).
 */
public final class GstLaunchBaseline {

    /** One run: wall time in the parent, CPU time of the gst-launch process. */
    record Run(long wallNanos, long userNanos, long sysNanos) {
        long cpuNanos() {
            return userNanos + sysNanos;
        }
    }

    private static final String LAUNCHER = "gst-launch-1.0";
    /** bash runs the pipeline, then prints the children's CPU times on stderr; the pipeline's status is kept. */
    private static final String SCRIPT = LAUNCHER + " -q \"$@\"; rc=$?; times >&2; exit $rc";

    private static final Pattern TIMES_LINE = Pattern.compile("^(\\d+)m([\\d.]+)s (\\d+)m([\\d.]+)s$");
    private static final long TIMEOUT_SECONDS = 300;

    /** gst-launch -v prints the caps of each pad as they are set; this is the final sink's. */
    private static final Pattern SINK_CAPS = Pattern.compile(
            "GstFakeSink:out\\.GstPad:sink: caps = video/x-raw, " + "format=\\(string\\)([A-Za-z0-9_]+)");

    private final List<String> pipeline;
    private final String decodedFormat;

    private GstLaunchBaseline(List<String> pipeline, String decodedFormat) {
        this.pipeline = List.copyOf(pipeline);
        this.decodedFormat = decodedFormat;
    }

    /**
     * The baseline for a sample clip written to {@code file}. Runs the decode once with
     * {@code -v} to learn the decoder's output format (the run doubles as the baseline's warm-up);
     * when it is not I420 a conversion to I420 is added, since the session delivers I420.
     *
     * @throws IOException when the pipeline fails or its output caps cannot be read
     */
    static GstLaunchBaseline forClip(SampleClip clip, Path file) throws IOException, InterruptedException {
        List<String> p = new ArrayList<>(List.of("filesrc", "location=" + file.toAbsolutePath(), "!"));
        p.add(clip.container().equals("MP4") ? "qtdemux" : "matroskademux");
        p.add("!");
        switch (clip.videoMediaType()) {
            case "video/x-h264" -> p.addAll(List.of("h264parse", "!", "avdec_h264"));
            case "video/x-h265" -> p.addAll(List.of("h265parse", "!", "avdec_h265"));
            case "video/x-vp8" -> p.add("vp8dec");
            case "video/x-vp9" -> p.addAll(List.of("vp9parse", "!", "vp9dec"));
            case "video/x-av1" -> p.addAll(List.of("av1parse", "!", "av1dec"));
            default -> throw new IllegalArgumentException("no baseline decoder for " + clip.videoMediaType());
        }
        List<String> plain = new ArrayList<>(p);
        plain.addAll(List.of("!", "fakesink", "name=out"));
        String format = new GstLaunchBaseline(plain, null).decodedFormat();
        if (format.equals("I420")) {
            return new GstLaunchBaseline(plain, format);
        }
        // e.g. High 4:4:4 decodes to Y444, Main 10 to I420_10LE: the session converts those to I420, so here too.
        p.addAll(List.of("!", "videoconvert", "!", "video/x-raw,format=I420", "!", "fakesink", "name=out"));
        return new GstLaunchBaseline(p, format);
    }

    /** An empty pipeline: what gst-launch costs before any media flows (start-up and teardown). */
    static GstLaunchBaseline startup() {
        return new GstLaunchBaseline(List.of("fakesrc", "num-buffers=1", "!", "fakesink"), null);
    }

    /** The decoder's output format (e.g. "I420", "Y444"), or null for the empty pipeline. */
    String decoderOutputFormat() {
        return decodedFormat;
    }

    /** Whether the pipeline converts the decoder's output to I420 (as the session does for such streams). */
    boolean converts() {
        return decodedFormat != null && !decodedFormat.equals("I420");
    }

    /** The command line, for the report. */
    String commandLine() {
        StringBuilder b = new StringBuilder(LAUNCHER).append(" -q");
        for (String s : pipeline) {
            b.append(' ').append(s.contains(" ") || s.contains(",") ? "'" + s + "'" : s);
        }
        return b.toString();
    }

    /**
     * Checks that bash and gst-launch-1.0 run here.
     *
     * @throws IOException saying what to install
     */
    static void requireTools() throws IOException {
        try {
            Process p = new ProcessBuilder("bash", "-c", LAUNCHER + " --version")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(LAUNCHER + " does not run here (" + out.trim()
                        + "): install gstreamer1.0-tools (./overlay setup does)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while checking for " + LAUNCHER, e);
        }
    }

    /**
     * Runs the pipeline once to its end.
     *
     * @throws IOException when the process cannot start, fails (the message has its error output),
     *                     runs over the timeout, or its CPU times cannot be read
     */
    Run run() throws IOException, InterruptedException {
        return execute(false).run();
    }

    /** Runs the pipeline once with {@code -v} and reads the format its sink was given. */
    private String decodedFormat() throws IOException, InterruptedException {
        Execution e = execute(true);
        Matcher m = SINK_CAPS.matcher(e.output());
        if (!m.find()) {
            throw new IOException(
                    "cannot tell the decoder's output format: no sink caps in the output of " + commandLine() + " -v");
        }
        return m.group(1);
    }

    private record Execution(Run run, String output) {}

    private Execution execute(boolean verbose) throws IOException, InterruptedException {
        List<String> cmd =
                new ArrayList<>(List.of("bash", "-c", verbose ? SCRIPT.replace(" -q ", " -v ") : SCRIPT, "bash"));
        cmd.addAll(pipeline);
        Path output = verbose ? Files.createTempFile("bench-decode-baseline", ".txt") : null;
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd)
                    .redirectOutput(
                            output == null
                                    ? ProcessBuilder.Redirect.DISCARD
                                    : ProcessBuilder.Redirect.to(output.toFile()));
            long start = System.nanoTime();
            Process p = pb.start();
            // The error stream is small (the times lines, or an error): read it to the end, then wait.
            byte[] errBytes = p.getErrorStream().readAllBytes();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("baseline did not finish within " + TIMEOUT_SECONDS + " s: " + commandLine());
            }
            long wall = System.nanoTime() - start;
            String err = new String(errBytes, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IOException(
                        "baseline failed (exit " + p.exitValue() + "): " + commandLine() + ": " + err.strip());
            }
            // times prints two lines: the shell's own user/sys, then its children's; the last match is the children.
            Matcher children = null;
            for (String line : err.split("\n")) {
                Matcher m = TIMES_LINE.matcher(line.strip());
                if (m.matches()) {
                    children = m;
                }
            }
            if (children == null) {
                throw new IOException(
                        "no CPU times from bash after the baseline; its error output was: " + err.strip());
            }
            Run run = new Run(
                    wall,
                    duration(children.group(1), children.group(2)),
                    duration(children.group(3), children.group(4)));
            return new Execution(run, output == null ? "" : Files.readString(output, StandardCharsets.UTF_8));
        } finally {
            if (output != null) {
                Files.deleteIfExists(output);
            }
        }
    }

    private static long duration(String minutes, String seconds) {
        return Long.parseLong(minutes) * 60_000_000_000L + Math.round(Double.parseDouble(seconds) * 1e9);
    }

    @Override
    public String toString() {
        return commandLine();
    }
}
