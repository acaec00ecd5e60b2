package org.spiceoverlay.bridge;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.spiceoverlay.api.VideoFrame;
import org.spiceoverlay.engine.LatencyRecorder;
import org.spiceoverlay.render.PresentedFrame;
import org.spiceoverlay.render.RefreshReport;

/**
 * Where a frame's time goes on its way to the screen, stage by stage, over the frames the client
 * presented: the budget that the end-to-end latency (sent, or received, → on screen) is made of.
 * The four path stages follow one another, so per frame they add up to the whole; {@link
 * Stage#WIRE}, {@link Stage#UPLOAD} and {@link Stage#SWAP} are parts of them, given apart.
 *
 * <p>Thread-safe: the compositor's render thread and the service's connection threads record, any
 * thread reads.
 */
public final class LatencyStages {

    /** One stage: its name in reports and what it spans. */
    public enum Stage {
        /** Guest sent the sample → its chunk was read here (shared clock only; else absent). */
        WIRE("wire"),
        /** Sent (or received) → the decoder handed the frame out: wire, queueing, decoding, reordering. */
        TO_DECODED("to_decoded"),
        /** Decoded → handed to the compositor: the sink's pacing (BUFFERED waits for the frame's time). */
        TO_COMPOSITOR("to_compositor"),
        /** Handed to the compositor → the refresh that shows it began. */
        REFRESH_WAIT("refresh_wait"),
        /** That refresh: upload, draw, swap, until the picture is on screen. */
        REFRESH("refresh"),
        /** Within the refresh: this frame's upload into textures. */
        UPLOAD("upload"),
        /** Within the refresh: the swap (or, offscreen, the finish). */
        SWAP("swap");

        private final String key;

        Stage(String key) {
            this.key = key;
        }

        /** The name reports use, e.g. "refresh_wait". */
        public String key() {
            return key;
        }
    }

    /**
     * One stage's figures.
     *
     * @param stage    which
     * @param frames   frames measured
     * @param p50Nanos median, or -1 when none was measured
     * @param p95Nanos 95th percentile, or -1
     * @param p99Nanos 99th percentile, or -1
     */
    public record Figures(Stage stage, long frames, long p50Nanos, long p95Nanos, long p99Nanos) {}

    private final Map<Stage, LatencyRecorder> recorders = new EnumMap<>(Stage.class);

    /** @param capacity how many recent frames each stage's percentiles cover (&gt; 0) */
    public LatencyStages(int capacity) {
        for (Stage s : Stage.values()) {
            recorders.put(s, new LatencyRecorder(capacity));
        }
    }

    /** Records the frames a refresh showed for the first time (render thread). */
    public void record(RefreshReport report) {
        for (PresentedFrame f : report.presented()) {
            if (f.receivedNanos() != VideoFrame.NO_TIME && f.decodedNanos() != VideoFrame.NO_TIME) {
                recorders.get(Stage.TO_DECODED).record(f.decodedNanos() - f.receivedNanos());
            }
            if (f.decodedNanos() != VideoFrame.NO_TIME) {
                recorders.get(Stage.TO_COMPOSITOR).record(f.submittedNanos() - f.decodedNanos());
            }
            recorders.get(Stage.REFRESH_WAIT).record(Math.max(0, report.startNanos() - f.submittedNanos()));
            recorders.get(Stage.REFRESH).record(f.presentedNanos() - Math.max(report.startNanos(), f.submittedNanos()));
            recorders.get(Stage.UPLOAD).record(f.uploadNanos());
            recorders.get(Stage.SWAP).record(f.presentNanos());
        }
    }

    /** Records one sample's time from the guest's send to its arrival here (connection threads). */
    public void recordWire(long nanos) {
        recorders.get(Stage.WIRE).record(nanos);
    }

    /** Every stage measured so far, in path order (stages without a frame left out). */
    public List<Figures> figures() {
        List<Figures> out = new ArrayList<>();
        for (Stage s : Stage.values()) {
            LatencyRecorder r = recorders.get(s);
            if (r.count() > 0) {
                out.add(new Figures(s, r.count(), r.percentile(50), r.percentile(95), r.percentile(99)));
            }
        }
        return out;
    }
}
