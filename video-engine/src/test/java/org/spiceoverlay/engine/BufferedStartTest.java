package org.spiceoverlay.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.spiceoverlay.api.PixelFormat;
import org.spiceoverlay.api.VideoFrame;
import org.spiceoverlay.engine.gst.ClipDemuxer;
import org.spiceoverlay.engine.gst.DemuxedSample;
import org.spiceoverlay.engine.gst.GstMediaEngine;
import org.spiceoverlay.engine.gst.GstRuntime;
import org.spiceoverlay.media.SampleClip;

/**
 * A BUFFERED stream's start on its sender's lead, and one timeline for both tracks of an MP4 whose
 * edit lists differ per track (the sample clips: the video delayed by its B-frames, the audio not).
 */
@Tag("integration")
class BufferedStartTest {

    private static final long LEAD_NS = 2_000_000_000L;
    /** The clock's and the scheduler's granularity. */
    private static final long SLACK_NS = 3_000_000L;

    @BeforeAll
    static void gstreamer() {
        GstRuntime.ensureInitialised();
    }

    @Test
    void audioSamplesAreOnTheVideosTimeline() throws Exception {
        Path clip = TestClips.get(SampleClip.AV_360P);
        long firstVideoPts = Long.MAX_VALUE;
        long firstAudioPts = -1;
        long startTimeNs;
        try (ClipDemuxer d = ClipDemuxer.open(clip, true)) {
            startTimeNs = d.startTimeNs();
            DemuxedSample next;
            int seen = 0;
            while (seen++ < 60 && (next = d.next(20, TimeUnit.SECONDS)) != null) {
                try (DemuxedSample s = next) {
                    EncodedSample e = s.sample();
                    if (e.track() == EncodedSample.Track.VIDEO) {
                        firstVideoPts = Math.min(firstVideoPts, e.ptsNs());
                    } else if (firstAudioPts < 0) {
                        firstAudioPts = e.ptsNs();
                    }
                }
            }
        }
        // The clip's B-frames put its first frame after 0 (the MP4 edit list); its audio starts at 0.
        assertTrue(startTimeNs > 0, "a clip with B-frames starts its video after 0, got " + startTimeNs);
        assertEquals(startTimeNs, firstVideoPts, "the first frame is media time 0");
        assertEquals(startTimeNs, firstAudioPts, "the first audio is media time 0 too, on the video's timeline");
    }

    @Test
    void aStreamWithALeadShowsItsFirstFrameNoSoonerThanTheLeadAfterItsFirstSample() throws Exception {
        PushedRun.Demuxed d = PushedRun.demux(TestClips.get(SampleClip.AV_360P), true);
        long anchored = firstFrameAfterArrival(d, LEAD_NS);
        long unanchored = firstFrameAfterArrival(d, 0);
        assertTrue(
                anchored >= LEAD_NS - SLACK_NS,
                "with a lead of " + LEAD_NS / 1e6 + " ms the first frame came " + anchored / 1e6
                        + " ms after the first sample");
        assertTrue(
                unanchored < LEAD_NS,
                "without a lead the first frame waits for nothing: it came " + unanchored / 1e6 + " ms after");
    }

    /** Pushes the clip's first second stamped as arrived now; how long until the first frame came out. */
    private static long firstFrameAfterArrival(PushedRun.Demuxed d, long leadNs) throws Exception {
        long arrived = System.nanoTime();
        List<EncodedSample> firstSecond = new ArrayList<>();
        for (EncodedSample s : d.samples()) {
            if (s.ptsNs() != EncodedSample.NO_TIME && s.ptsNs() < d.startTimeNs() + 1_000_000_000L) {
                firstSecond.add(new EncodedSample(
                        s.track(),
                        s.data(),
                        s.ptsNs(),
                        s.dtsNs(),
                        s.durationNs(),
                        s.keyframe(),
                        s.discontinuity(),
                        arrived));
            }
        }
        SessionSpec spec = PushedRun.spec(d, "lead-" + leadNs)
                .pacing(Pacing.CLOCK)
                .leadNs(leadNs)
                .outputFormat(PixelFormat.I420)
                .build();
        try (FrameQueue frames = new FrameQueue(4);
                DecodeSession session = new GstMediaEngine().open(spec, frames, SessionListener.NONE)) {
            for (EncodedSample s : firstSecond) {
                session.push(s);
            }
            VideoFrame first = frames.take(LEAD_NS / 1_000_000 + 20_000, TimeUnit.MILLISECONDS);
            long at = System.nanoTime();
            assertNotNull(first, "no frame within the lead and 20 s");
            first.close();
            return at - arrived;
        }
    }
}
