package org.spiceoverlay.samples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import org.spiceoverlay.media.SampleClip;
import org.spiceoverlay.samples.bench.JsonWriter;
import org.spiceoverlay.samples.player.SamplePlayer;

/**
 * What {@code overlay demo} prints and writes at the end: it stops the client (which writes what it
 * presented), then frames sent / presented / dropped, latency, the player's last QoS report, the
 * placement error; and the demo's exit rule.
 *
 * <p>Stateless; the command's thread.
 */
public final class DemoReport {

    private DemoReport() {}

    /**
     * Stops the client (it writes what it presented), prints and writes the report.
     *
     * @param placementError the measured placement error in px, -1 when it could not be measured,
     *                       {@code Integer.MIN_VALUE} when there is nothing to measure (no Spice)
     */
    static int write(
            Path report,
            Path screenshot,
            double seconds,
            PrintWriter out,
            PrintWriter err,
            SampleClip clip,
            ClientProcess client,
            SamplePlayer.Outcome outcome,
            int placementError)
            throws Exception {
        ClientProcess.Report r;
        try {
            r = client.stop();
        } catch (IOException e) {
            err.println("overlay demo: " + e.getMessage());
            return 1;
        }
        long presented = r.framesPresented();
        double p50 = r.latencyMs() == null ? -1 : r.latencyMs()[0];
        double p95 = r.latencyMs() == null ? -1 : r.latencyMs()[1];
        double p99 = r.latencyMs() == null ? -1 : r.latencyMs()[2];
        long sent = outcome.framesSent();
        long dropped = Math.max(0, sent - presented);
        double share = sent == 0 ? 0 : 100.0 * presented / sent;
        out.printf(
                Locale.ROOT,
                "frames sent %d, presented %d (%.1f%%), dropped %d, bytes sent %d%n",
                sent,
                presented,
                share,
                dropped,
                outcome.bytesSent());
        if (p50 < 0) {
            out.println("latency sent -> on screen: not measured (the client presented no timed frame)");
        } else {
            out.printf(
                    Locale.ROOT, "latency sent -> on screen: p50 %.1f ms, p95 %.1f ms, p99 %.1f ms%n", p50, p95, p99);
        }
        r.printStages(out);
        if (outcome.lastQos() != null) {
            out.printf(
                    Locale.ROOT,
                    "client's last QoS report: %d frames decoded, %d presented, %d dropped%n",
                    outcome.lastQos().framesDecoded(),
                    outcome.lastQos().framesPresented(),
                    outcome.lastQos().framesDropped());
        }
        if (!outcome.errors().isEmpty()) {
            out.println("errors reported by the client: " + outcome.errors());
        }
        if (screenshot != null) {
            out.println("screenshot: " + screenshot.toAbsolutePath());
        }
        if (report != null) {
            JsonWriter j = new JsonWriter();
            j.beginObject();
            j.name("clip").value(clip.clipName());
            j.name("seconds").value(seconds, 1);
            j.name("frames_sent").value(sent);
            j.name("frames_presented").value(presented);
            j.name("frames_dropped").value(dropped);
            j.name("latency_ms");
            if (p50 < 0) {
                j.nullValue(); // the client's report had none: nothing measured, not zero
            } else {
                j.beginObject();
                j.name("p50").value(p50, 1);
                j.name("p95").value(p95, 1);
                j.name("p99").value(p99, 1);
                j.endObject();
            }
            r.writeStages(j);
            j.name("bytes_sent").value(outcome.bytesSent());
            if (placementError != Integer.MIN_VALUE) {
                j.name("placement_error_px").value(placementError);
            }
            j.name("errors").beginArray();
            for (String e : outcome.errors()) {
                j.value(e);
            }
            j.endArray();
            j.endObject();
            j.writeTo(report);
            out.println("report: " + report.toAbsolutePath());
        }
        out.flush();
        boolean placed = placementError == Integer.MIN_VALUE || placementError >= 0 && placementError <= 1;
        return share >= 95.0 && outcome.errors().isEmpty() && placed ? 0 : 1;
    }
}
