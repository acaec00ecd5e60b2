package org.spiceoverlay.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.spiceoverlay.api.PixelFormat;
import org.spiceoverlay.api.VideoFrame;
import org.spiceoverlay.engine.gst.ClipDemuxer;
import org.spiceoverlay.engine.gst.ClipFeeder;
import org.spiceoverlay.engine.gst.GstMediaEngine;
import org.spiceoverlay.media.SampleClip;

/**
 * Acceptance 2: an accurate seek to t lands on frame round(t·fps); pause holds the frame; rate 2.0
 * plays twice as fast. Pushed samples, as a guest sends them.
 */
@Tag("integration")
class SeekPauseRateTest {

    private static GstMediaEngine engine;

    @BeforeAll
    static void engine() {
        engine = new GstMediaEngine();
    }

    private static SessionSpec spec(ClipDemuxer d, Pacing pacing, String name) {
        return SessionSpec.builder(SourceType.SAMPLES)
                .name(name)
                .videoCaps(d.videoCaps())
                .audioCaps(d.audioCaps())
                .startTimeNs(d.startTimeNs())
                .pacing(pacing)
                .outputFormat(PixelFormat.I420)
                .build();
    }

    /** Takes frames until one numbered at least {@code n}; returns that number. */
    private static int skipTo(FrameQueue q, int n) throws Exception {
        while (true) {
            VideoFrame f = q.take(20, TimeUnit.SECONDS);
            assertNotNull(f, "stream ended before frame " + n);
            int got = FrameNumbers.read(f);
            f.close();
            if (got >= n) {
                return got;
            }
        }
    }

    private static List<Integer> next(FrameQueue q, int count) throws Exception {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            VideoFrame f = q.take(20, TimeUnit.SECONDS);
            assertNotNull(f, "stream ended after " + out);
            out.add(FrameNumbers.read(f));
            f.close();
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(
            value = SampleClip.class,
            names = {"H264_720P", "VP9_720P", "H265_720P"})
    void accurateSeekLandsOnRoundTTimesFps(SampleClip clip) throws Exception {
        try (ClipDemuxer d = ClipDemuxer.open(TestClips.get(clip), true);
                FrameQueue q = new FrameQueue(4);
                DecodeSession s =
                        engine.open(spec(d, Pacing.IMMEDIATE, clip.clipName() + "-seek"), q, SessionListener.NONE);
                ClipFeeder feeder = new ClipFeeder(d, s).start()) {
            skipTo(q, 5);
            for (double t : new double[] {2.5, 0.7, 3.3, 1.0}) {
                long pos = Math.round(t * 1e9);
                feeder.seek(pos, SeekMode.ACCURATE, 1.0);
                int expected = (int) Math.round(t * clip.framesPerSecond());
                assertEquals(
                        List.of(expected, expected + 1, expected + 2, expected + 3),
                        next(q, 4),
                        clip + ": frames after an accurate seek to " + t + " s");
            }
        }
    }

    @Test
    void keyUnitSeekLandsOnTheKeyframeBefore() throws Exception {
        // keyframe every 30 frames: a key-unit seek to 2.5 s shows frame 60 first
        try (ClipDemuxer d = ClipDemuxer.open(TestClips.get(SampleClip.H264_720P), true);
                FrameQueue q = new FrameQueue(4);
                DecodeSession s = engine.open(spec(d, Pacing.IMMEDIATE, "keyunit"), q, SessionListener.NONE);
                ClipFeeder feeder = new ClipFeeder(d, s).start()) {
            skipTo(q, 3);
            long start = feeder.seek(2_500_000_000L, SeekMode.KEY_UNIT, 1.0);
            assertEquals(2_000_000_000L, start, 1_000_000L);
            assertEquals(List.of(60, 61, 62), next(q, 3));
        }
    }

    @Test
    void pauseHoldsTheFrameAndResumeContinues() throws Exception {
        try (ClipDemuxer d = ClipDemuxer.open(TestClips.get(SampleClip.VP8_480P), true);
                FrameMailbox box = new FrameMailbox();
                DecodeSession s = engine.open(spec(d, Pacing.CLOCK, "pause"), box, SessionListener.NONE);
                ClipFeeder feeder = new ClipFeeder(d, s).start()) {
            int shown = -1;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (shown < 15 && System.nanoTime() < deadline) {
                VideoFrame f = box.take();
                if (f != null) {
                    shown = FrameNumbers.read(f);
                    f.close();
                }
                Thread.sleep(5);
            }
            assertTrue(shown >= 15, "playing before the pause, last frame " + shown);
            s.pause();
            Thread.sleep(300); // let the pause settle: a frame already due may still arrive
            VideoFrame held = box.take();
            int heldNumber = held == null ? shown : FrameNumbers.read(held);
            if (held != null) {
                held.close();
            }
            long pos = s.positionNs();
            long offered = box.offeredCount();
            Thread.sleep(1000);
            assertEquals(offered, box.offeredCount(), "no frame delivered while paused");
            assertFalse(box.hasFrame());
            assertEquals(pos, s.positionNs(), 1_000_000L, "position held while paused");
            s.play();
            int after = -1;
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (after < 0 && System.nanoTime() < deadline) {
                VideoFrame f = box.take();
                if (f != null) {
                    after = FrameNumbers.read(f);
                    f.close();
                }
                Thread.sleep(2);
            }
            assertTrue(
                    after > heldNumber && after <= heldNumber + 3,
                    "resumed at frame " + after + " after holding frame " + heldNumber);
        }
    }

    @Test
    void rateTwoPlaysTwiceAsFast() throws Exception {
        try (ClipDemuxer d = ClipDemuxer.open(TestClips.get(SampleClip.VP8_480P), true);
                FrameQueue q = new FrameQueue(64);
                DecodeSession s = engine.open(spec(d, Pacing.CLOCK, "rate"), q, SessionListener.NONE);
                ClipFeeder feeder = new ClipFeeder(d, s).start()) {
            skipTo(q, 10);
            long from = feeder.setRate(2.0);
            assertTrue(from >= 0);
            List<long[]> arrivals = new ArrayList<>(); // {pts, wall, number}
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (arrivals.size() < 45 && System.nanoTime() < deadline) {
                VideoFrame f = q.take(20, TimeUnit.SECONDS);
                if (f == null) {
                    break;
                }
                arrivals.add(new long[] {f.ptsNs(), System.nanoTime(), FrameNumbers.read(f)});
                f.close();
            }
            assertTrue(arrivals.size() >= 40, "frames after the rate change: " + arrivals.size());
            // skip the first frames (pipeline restart after the flush), measure over the rest
            long[] a = arrivals.get(5);
            long[] b = arrivals.get(arrivals.size() - 1);
            double mediaSpan = (b[0] - a[0]) / 1e9;
            double wallSpan = (b[1] - a[1]) / 1e9;
            double speed = mediaSpan / wallSpan;
            assertTrue(
                    speed > 1.7 && speed < 2.3,
                    String.format(
                            "rate 2.0 should show %.2f s of media in about %.2f s; took %.2f s (x%.2f)",
                            mediaSpan, mediaSpan / 2, wallSpan, speed));
            for (int i = 1; i < arrivals.size(); i++) {
                assertTrue(arrivals.get(i)[2] > arrivals.get(i - 1)[2], "frame numbers keep increasing at rate 2");
            }
        }
    }
}
