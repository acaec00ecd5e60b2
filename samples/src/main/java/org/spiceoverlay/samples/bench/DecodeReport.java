package org.spiceoverlay.samples.bench;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.spiceoverlay.api.PixelFormat;
import org.spiceoverlay.engine.LatencyRecorder;
import org.spiceoverlay.engine.Pacing;
import org.spiceoverlay.engine.SessionStats;

/** Everything one {@code overlay decode} found; printed for people and written as JSON. Immutable. */
public record DecodeReport(
        Path file,
        String videoCaps,
        String audioCaps,
        long startTimeNs,
        boolean noAudio,
        PixelFormat format,
        Pacing pacing,
        int videoSamples,
        FrameDrain.Outcome outcome,
        SessionStats stats,
        long wallNanos,
        FrameNumberCheck.Result numbers,
        List<String> errors) {

    static final String LEGEND =
            """
            legend:
              decode latency  SessionStats: from when the feeder pushed a sample into the session to when its
                              frame reached the session's appsink (matched by pts), over the last 2048 frames.
                              The feeder pushes as fast as the session's input queue takes samples (up to
                              8 MiB queued), so with IMMEDIATE pacing this is mostly time queued ahead of the
                              decoder, not the decoder's own time per frame.
              pushed->taken   measured here: the same start (VideoFrame.receivedNanos) to when this command took
                              the frame from the FrameQueue; adds the frames' wait in the output queue.
              fps             frames / wall time from opening the session to its end of stream.""";

    static final String CLOCK_NOTE =
            """
              clock pacing    frames that would be shown late are dropped, as a viewer's player does: by the decoder
                              on the sink's QoS feedback (never decoded, so not in the engine's framesLate) or by
                              the sink (framesLate). Missing numbers here are such drops.""";

    public DecodeReport {
        errors = List.copyOf(errors);
    }

    int frames() {
        return outcome == null ? 0 : outcome.frames();
    }

    double fps() {
        return wallNanos > 0 ? frames() * 1e9 / wallNanos : Double.NaN;
    }

    public int exitCode() {
        return errors.isEmpty() && numbers.ok() ? 0 : 1;
    }

    public void print(PrintWriter o) {
        CapsSummary video = CapsSummary.of(videoCaps);
        row(o, "file", file.toString());
        row(o, "video", video + "   (caps " + abbreviate(videoCaps, 90) + ")");
        row(
                o,
                "audio",
                noAudio
                        ? "left out (--no-audio)"
                        : audioCaps == null
                                ? "none in the file"
                                : CapsSummary.of(audioCaps) + " (decoded"
                                        + (stats == null ? "" : ", " + stats.audioBuffers() + " buffers") + ")");
        row(
                o,
                "output",
                format.gstName() + ", pacing " + pacing.name().toLowerCase(Locale.ROOT)
                        + (startTimeNs != 0
                                ? String.format(Locale.ROOT, ", stream starts at pts %.3f s", startTimeNs / 1e9)
                                : ""));
        row(
                o,
                "frames",
                frames() + " taken, " + videoSamples + " video samples in the file"
                        + (stats == null
                                ? ""
                                : "; engine: " + stats.framesDecoded() + " decoded, " + stats.framesDelivered()
                                        + " delivered, " + stats.samplesReceived() + " samples pushed"));
        row(
                o,
                "size",
                outcome == null || outcome.format() == null
                        ? "-"
                        : outcome.width() + "x" + outcome.height() + " "
                                + outcome.format().gstName());
        row(
                o,
                "speed",
                wallNanos <= 0
                        ? "-"
                        : String.format(
                                Locale.ROOT, "%.1f fps (%d frames in %.3f s)", fps(), frames(), wallNanos / 1e9));
        row(
                o,
                "decode latency",
                stats == null
                        ? "-"
                        : percentiles(stats.decodeP50Nanos(), stats.decodeP95Nanos(), stats.decodeP99Nanos())
                                + "   (SessionStats: pushed -> decoded)");
        row(
                o,
                "pushed->taken",
                outcome == null
                        ? "-"
                        : percentiles(outcome.pushedToTaken())
                                + "   (measured here: pushed -> taken from the FrameQueue)");
        row(o, "frame numbers", numbers.describe());
        for (String e : errors) {
            row(o, "error", e);
        }
        row(o, "result", (exitCode() == 0 ? "OK" : "FAILED") + " (exit " + exitCode() + ")");
        o.println(LEGEND);
        if (pacing == Pacing.CLOCK) {
            o.println(CLOCK_NOTE);
        }
    }

    public void writeJson(JsonWriter j) {
        CapsSummary video = CapsSummary.of(videoCaps);
        j.beginObject();
        j.name("command").value("decode");
        j.name("file").value(file.toString());
        j.name("video").beginObject();
        j.name("caps").value(videoCaps);
        j.name("mediaType").value(video.mediaType());
        j.name("width").value(video.width());
        j.name("height").value(video.height());
        j.endObject();
        j.name("audio").beginObject();
        j.name("caps").value(audioCaps);
        j.name("decoded").value(!noAudio && audioCaps != null);
        j.endObject();
        j.name("outputFormat").value(format.gstName());
        j.name("pacing").value(pacing.name());
        j.name("startTimeNs").value(startTimeNs);
        j.name("videoSamples").value(videoSamples);
        j.name("frames").value(frames());
        j.name("frameSize");
        if (outcome == null || outcome.format() == null) {
            j.nullValue();
        } else {
            j.beginObject();
            j.name("width").value(outcome.width());
            j.name("height").value(outcome.height());
            j.name("format").value(outcome.format().gstName());
            j.endObject();
        }
        j.name("wallMs").value(wallNanos / 1e6, 3);
        j.name("fps").value(fps(), 2);
        j.name("engine");
        if (stats == null) {
            j.nullValue();
        } else {
            j.beginObject();
            j.name("samplesReceived").value(stats.samplesReceived());
            j.name("bytesReceived").value(stats.bytesReceived());
            j.name("framesDecoded").value(stats.framesDecoded());
            j.name("framesDelivered").value(stats.framesDelivered());
            j.name("framesLate").value(stats.framesLate());
            j.name("framesOutstanding").value(stats.framesOutstanding());
            j.name("audioBuffers").value(stats.audioBuffers());
            j.endObject();
        }
        j.name("decodeLatencyMs");
        writePercentiles(
                j,
                stats == null ? -1 : stats.decodeP50Nanos(),
                stats == null ? -1 : stats.decodeP95Nanos(),
                stats == null ? -1 : stats.decodeP99Nanos());
        j.name("pushedToTakenMs");
        LatencyRecorder taken = outcome == null ? null : outcome.pushedToTaken();
        writePercentiles(
                j,
                taken == null ? -1 : taken.percentile(50),
                taken == null ? -1 : taken.percentile(95),
                taken == null ? -1 : taken.percentile(99));
        j.name("frameNumbers");
        numbers.writeJson(j);
        j.name("errors").beginArray();
        errors.forEach(j::value);
        j.endArray();
        j.name("ok").value(exitCode() == 0);
        j.name("exitCode").value(exitCode());
        j.endObject();
    }

    private static void row(PrintWriter o, String label, String value) {
        o.printf(Locale.ROOT, "%-15s %s%n", label, value);
    }

    private static String abbreviate(String s, int max) {
        return s == null ? "-" : s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }

    static String percentiles(LatencyRecorder r) {
        return percentiles(r.percentile(50), r.percentile(95), r.percentile(99));
    }

    static String percentiles(long p50, long p95, long p99) {
        if (p50 < 0) {
            return "unknown";
        }
        return String.format(Locale.ROOT, "p50 %.1f ms  p95 %.1f ms  p99 %.1f ms", p50 / 1e6, p95 / 1e6, p99 / 1e6);
    }

    static void writePercentiles(JsonWriter j, long p50, long p95, long p99) {
        if (p50 < 0) {
            j.nullValue();
            return;
        }
        j.beginObject();
        j.name("p50").value(p50 / 1e6, 3);
        j.name("p95").value(p95 / 1e6, 3);
        j.name("p99").value(p99 / 1e6, 3);
        j.endObject();
    }
}
