package org.spiceoverlay.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.spiceoverlay.api.Colorimetry;
import org.spiceoverlay.api.FrameLayout;
import org.spiceoverlay.api.PixelFormat;
import org.spiceoverlay.api.VideoFrame;
import org.spiceoverlay.engine.gst.GstMediaEngine;
import org.spiceoverlay.media.SampleClip;

/**
 * Frames come out in the format the renderer asks for, with GStreamer's plane layout for any size,
 * with their colorimetry and pixel aspect ratio; 10-bit streams come out as 8-bit frames; audio is
 * decoded and played.
 */
@Tag("integration")
class FormatsAndAudioTest {

    private static GstMediaEngine engine;

    @BeforeAll
    static void engine() {
        engine = new GstMediaEngine();
    }

    /** Decodes the clip's first frame in {@code format} and hands it to {@code check}. */
    private static void firstFrame(
            SampleClip clip,
            PixelFormat format,
            String videoCapsOverride,
            java.util.function.Consumer<VideoFrame> check)
            throws Exception {
        PushedRun.Demuxed d = PushedRun.demux(TestClips.get(clip), false);
        SessionSpec.Builder spec =
                PushedRun.spec(d, clip.clipName() + "-" + format).outputFormat(format);
        if (videoCapsOverride != null) {
            spec.videoCaps(videoCapsOverride);
        }
        try (FrameQueue q = new FrameQueue(2);
                DecodeSession s = engine.open(spec.build(), q, SessionListener.NONE)) {
            for (EncodedSample sample : d.video().subList(0, 10)) {
                assertTrue(s.awaitRoom(sample.size(), 10, TimeUnit.SECONDS));
                s.push(sample);
            }
            VideoFrame f = q.take(20, TimeUnit.SECONDS);
            assertNotNull(f);
            try {
                check.accept(f);
            } finally {
                f.close();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = PixelFormat.class)
    void everyOutputFormatAtAnOddSize(PixelFormat format) throws Exception {
        firstFrame(SampleClip.H264_ODD, format, null, f -> {
            assertEquals(format, f.format());
            assertEquals(321, f.width());
            assertEquals(241, f.height());
            assertEquals(FrameLayout.gstreamerDefault(format, 321, 241), f.layout(), "plane offsets and strides");
            assertEquals(0, FrameNumbers.read(f), "frame 0 reads back in " + format);
            if (format == PixelFormat.NV12) {
                // interleaved chroma of the strip is neutral grey (128 +- coding error)
                ByteBuffer uv = f.plane(1);
                int u = uv.get(2) & 0xff;
                int v = uv.get(3) & 0xff;
                assertTrue(Math.abs(u - 128) < 12 && Math.abs(v - 128) < 12, "UV under the strip: " + u + "," + v);
            }
        });
    }

    @Test
    void colorimetryIsCarried() throws Exception {
        firstFrame(
                SampleClip.H264_720P,
                PixelFormat.I420,
                null,
                f -> assertEquals(Colorimetry.BT709_LIMITED, f.colorimetry(), "HD H.264 from x264"));
        firstFrame(
                SampleClip.VP8_480P,
                PixelFormat.I420,
                null,
                f -> assertEquals(Colorimetry.Range.LIMITED, f.colorimetry().range()));
    }

    @Test
    void pixelAspectRatioIsCarried() throws Exception {
        // The guest says the pixels are 4:3 wide (anamorphic): the frame says so too.
        PushedRun.Demuxed d = PushedRun.demux(TestClips.get(SampleClip.VP8_480P), false);
        firstFrame(
                SampleClip.VP8_480P,
                PixelFormat.I420,
                d.videoCaps().replaceAll("pixel-aspect-ratio=\\(fraction\\)[0-9]+/[0-9]+, ?", "")
                        + ", pixel-aspect-ratio=(fraction)4/3",
                f -> {
                    assertEquals(4, f.parNumerator());
                    assertEquals(3, f.parDenominator());
                    assertEquals(854.0 * 4 / (480 * 3), f.displayAspectRatio(), 1e-9);
                });
    }

    @Test
    void tenBitStreamComesOutAsEightBitFrames() throws Exception {
        PushedRun.Demuxed d = PushedRun.demux(TestClips.get(SampleClip.H265_10BIT), false);
        assertTrue(d.videoCaps().contains("main-10"), d.videoCaps());
        PushedRun.Result r = PushedRun.run(engine, PushedRun.spec(d, "ten-bit").build(), d.samples(), 30);
        assertEquals(FrameNumbers.range(0, TestClips.frames(SampleClip.H265_10BIT)), r.numbers());
        assertTrue(r.errors().isEmpty(), r.errors().toString());
    }

    @Test
    void audioIsDecodedAndPlayedAndCanBeMuted() throws Exception {
        PushedRun.Demuxed withAudio = PushedRun.demux(TestClips.get(SampleClip.VP9_720P), true);
        assertNotNull(withAudio.audioCaps(), "the sample clip has a tone track");
        PushedRun.Result played =
                PushedRun.run(engine, PushedRun.spec(withAudio, "audio").build(), withAudio.samples(), 30);
        assertTrue(played.ended());
        assertTrue(
                played.stats().audioBuffers() > 50,
                "audio buffers played: " + played.stats().audioBuffers());

        PushedRun.Result guestPlaysAudio = PushedRun.run(
                engine, PushedRun.spec(withAudio, "audio-off").audio(false).build(), withAudio.samples(), 30);
        assertEquals(0, guestPlaysAudio.stats().audioBuffers(), "audio off: nothing played on the client");
        assertEquals(FrameNumbers.range(0, TestClips.frames(SampleClip.VP9_720P)), guestPlaysAudio.numbers());

        try (FrameMailbox box = new FrameMailbox();
                DecodeSession s =
                        engine.open(PushedRun.spec(withAudio, "volume").build(), box, SessionListener.NONE)) {
            s.setVolume(0.25);
            s.setMute(true);
            s.setVolume(7.0); // clamped, not an error
            s.setMute(false);
        }
    }

    @Test
    void positionAndStateEventsArrive() throws Exception {
        PushedRun.Demuxed d = PushedRun.demux(TestClips.get(SampleClip.VP8_480P), true);
        List<Long> positions = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<SessionState> states = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.CountDownLatch ended = new java.util.concurrent.CountDownLatch(1);
        SessionListener l = new SessionListener() {
            @Override
            public void onPosition(long positionNs, long durationNs) {
                positions.add(positionNs);
            }

            @Override
            public void onStateChanged(SessionState state) {
                states.add(state);
            }

            @Override
            public void onEndOfStream() {
                ended.countDown();
            }
        };
        try (FrameMailbox box = new FrameMailbox();
                DecodeSession s = engine.open(
                        PushedRun.spec(d, "events").pacing(Pacing.CLOCK).build(), box, l)) {
            for (EncodedSample sample : d.samples()) {
                assertTrue(s.awaitRoom(sample.size(), 10, TimeUnit.SECONDS));
                s.push(sample);
            }
            s.endOfStream();
            assertTrue(ended.await(20, TimeUnit.SECONDS), "end of stream after playing at normal speed");
        }
        assertTrue(states.contains(SessionState.PLAYING), states.toString());
        assertTrue(positions.size() >= 5, "about two position reports a second over 4 s: " + positions);
        for (int i = 1; i < positions.size(); i++) {
            assertTrue(positions.get(i) >= positions.get(i - 1), "positions advance: " + positions);
        }
        assertTrue(positions.get(positions.size() - 1) > 2_500_000_000L, "reached the end: " + positions);
        assertEquals(SessionState.CLOSED, states.get(states.size() - 1));
    }
}
