package org.spiceoverlay.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.spiceoverlay.api.PixelFormat;
import org.spiceoverlay.api.VideoFrame;
import org.spiceoverlay.render.PresentedFrame;
import org.spiceoverlay.render.RefreshReport;

class LatencyStagesTest {

    private static final long MS = 1_000_000L;

    @Test
    void theStagesOfAFrameFollowOneAnotherAndAddUpToItsLatency() {
        LatencyStages stages = new LatencyStages(16);
        // Received at 100 ms, decoded at 112, handed over at 113, its refresh began at 120 and swapped at 127.
        PresentedFrame f = frame(100 * MS, 112 * MS, 113 * MS, 127 * MS, 2 * MS, 4 * MS);
        stages.record(report(120 * MS, 127 * MS, f));
        stages.recordWire(3 * MS);
        Map<LatencyStages.Stage, LatencyStages.Figures> by = byStage(stages);
        assertEquals(12 * MS, by.get(LatencyStages.Stage.TO_DECODED).p50Nanos());
        assertEquals(1 * MS, by.get(LatencyStages.Stage.TO_COMPOSITOR).p50Nanos());
        assertEquals(7 * MS, by.get(LatencyStages.Stage.REFRESH_WAIT).p50Nanos());
        assertEquals(7 * MS, by.get(LatencyStages.Stage.REFRESH).p50Nanos());
        assertEquals(2 * MS, by.get(LatencyStages.Stage.UPLOAD).p50Nanos());
        assertEquals(4 * MS, by.get(LatencyStages.Stage.SWAP).p50Nanos());
        assertEquals(3 * MS, by.get(LatencyStages.Stage.WIRE).p50Nanos());
        long path = List.of(
                        LatencyStages.Stage.TO_DECODED,
                        LatencyStages.Stage.TO_COMPOSITOR,
                        LatencyStages.Stage.REFRESH_WAIT,
                        LatencyStages.Stage.REFRESH)
                .stream()
                .mapToLong(s -> by.get(s).p50Nanos())
                .sum();
        assertEquals(f.latencyNanos(), path, "received to presented, stage by stage");
    }

    @Test
    void aFrameHandedOverDuringItsRefreshWaitedForNone() {
        LatencyStages stages = new LatencyStages(16);
        stages.record(report(120 * MS, 130 * MS, frame(100 * MS, 110 * MS, 122 * MS, 130 * MS, MS, MS)));
        Map<LatencyStages.Stage, LatencyStages.Figures> by = byStage(stages);
        assertEquals(0, by.get(LatencyStages.Stage.REFRESH_WAIT).p50Nanos());
        assertEquals(8 * MS, by.get(LatencyStages.Stage.REFRESH).p50Nanos());
    }

    @Test
    void stagesNobodyMeasuredAreLeftOut() {
        LatencyStages stages = new LatencyStages(16);
        assertEquals(List.of(), stages.figures());
        // A frame that did not say when it was received or decoded: only the renderer's stages.
        stages.record(
                report(120 * MS, 125 * MS, frame(VideoFrame.NO_TIME, VideoFrame.NO_TIME, 118 * MS, 125 * MS, MS, MS)));
        assertEquals(
                List.of(
                        LatencyStages.Stage.REFRESH_WAIT,
                        LatencyStages.Stage.REFRESH,
                        LatencyStages.Stage.UPLOAD,
                        LatencyStages.Stage.SWAP),
                stages.figures().stream().map(LatencyStages.Figures::stage).toList());
    }

    private static PresentedFrame frame(
            long received, long decoded, long submitted, long presented, long upload, long swap) {
        return new PresentedFrame(
                1, 0, PixelFormat.RGBA, 64, 64, 0, received, decoded, submitted, presented, upload, MS, swap);
    }

    private static RefreshReport report(long start, long presented, PresentedFrame f) {
        return new RefreshReport(1, start, presented, List.of(f), 0, true, f.uploadNanos(), MS, f.presentNanos());
    }

    private static Map<LatencyStages.Stage, LatencyStages.Figures> byStage(LatencyStages stages) {
        return stages.figures().stream().collect(Collectors.toMap(LatencyStages.Figures::stage, Function.identity()));
    }
}
