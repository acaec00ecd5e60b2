package org.spiceoverlay.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.spiceoverlay.api.PixelFormat;
import org.spiceoverlay.engine.gst.ClipDemuxer;
import org.spiceoverlay.engine.gst.ClipFeeder;
import org.spiceoverlay.engine.gst.GstMediaEngine;
import org.spiceoverlay.media.SampleClip;

/**
 * Acceptance 1: every sample clip decodes through pushed samples and through pushed container
 * bytes with every frame present and in order, read back from the frame numbers drawn in them.
 */
@Tag("integration")
class DecodeAllClipsTest {

    private static GstMediaEngine engine;

    @BeforeAll
    static void engine() {
        engine = new GstMediaEngine();
    }

    /** Records what the session reported. */
    static final class Recorder implements SessionListener {
        final List<EngineError> errors = new CopyOnWriteArrayList<>();
        final List<SessionState> states = new CopyOnWriteArrayList<>();
        volatile boolean ended;

        @Override
        public void onError(EngineError error) {
            errors.add(error);
        }

        @Override
        public void onStateChanged(SessionState state) {
            states.add(state);
        }

        @Override
        public void onEndOfStream() {
            ended = true;
        }
    }

    @ParameterizedTest
    @EnumSource(SampleClip.class)
    void pushedSamples(SampleClip clip) throws Exception {
        Path file = TestClips.get(clip);
        PixelFormat out = clip == SampleClip.H264_ODD ? PixelFormat.RGBA : PixelFormat.I420;
        Recorder events = new Recorder();
        try (ClipDemuxer demuxer = ClipDemuxer.open(file, true);
                FrameQueue frames = new FrameQueue(4)) {
            assertTrue(demuxer.videoCaps().startsWith(clip.videoMediaType()), demuxer.videoCaps());
            SessionSpec spec = SessionSpec.builder(SourceType.SAMPLES)
                    .name(clip.clipName() + "-samples")
                    .videoCaps(demuxer.videoCaps())
                    .audioCaps(demuxer.audioCaps())
                    .pacing(Pacing.IMMEDIATE)
                    .outputFormat(out)
                    .build();
            try (DecodeSession session = engine.open(spec, frames, events);
                    ClipFeeder feeder = new ClipFeeder(demuxer, session).start()) {
                List<FrameNumbers.Seen> seen = FrameNumbers.drain(frames, 30);
                assertNull(feeder.failure());
                assertEquals(
                        FrameNumbers.range(0, TestClips.frames(clip)),
                        FrameNumbers.numbers(seen),
                        clip + ": frame numbers through PUSH_SAMPLES");
                FrameNumbers.Seen first = seen.get(0);
                assertEquals(out, first.format());
                assertEquals(clip.width(), first.width());
                assertEquals(clip.height(), first.height());
                for (int i = 1; i < seen.size(); i++) {
                    assertTrue(seen.get(i).ptsNs() > seen.get(i - 1).ptsNs(), "pts increase at frame " + i);
                }
                SessionStats stats = session.stats();
                assertEquals(TestClips.frames(clip), stats.framesDelivered());
                assertTrue(stats.decodeP50Nanos() >= 0, "decode latency measured: " + stats);
            }
        }
        assertTrue(events.ended, "end of stream reported");
        assertTrue(events.errors.isEmpty(), "errors: " + events.errors);
        assertTrue(events.states.contains(SessionState.PLAYING), "states: " + events.states);
    }

    @ParameterizedTest
    @EnumSource(SampleClip.class)
    void pushedContainerBytes(SampleClip clip) throws Exception {
        byte[] bytes = Files.readAllBytes(TestClips.get(clip));
        Recorder events = new Recorder();
        try (FrameQueue frames = new FrameQueue(4)) {
            SessionSpec spec = SessionSpec.builder(SourceType.BYTES)
                    .name(clip.clipName() + "-bytes")
                    .pacing(Pacing.IMMEDIATE)
                    .outputFormat(PixelFormat.I420)
                    .build();
            try (DecodeSession session = engine.open(spec, frames, events)) {
                Thread pusher = new Thread(
                        () -> {
                            try {
                                int chunk = 64 * 1024;
                                for (int off = 0; off < bytes.length; off += chunk) {
                                    int n = Math.min(chunk, bytes.length - off);
                                    while (!session.awaitRoom(n, 100, TimeUnit.MILLISECONDS)) {
                                        if (session.state() == SessionState.CLOSED) {
                                            return;
                                        }
                                    }
                                    session.pushBytes(bytes, off, n);
                                }
                                session.endOfStream();
                            } catch (Exception e) {
                                events.errors.add(new EngineError(EngineErrorCode.INTERNAL, e.toString(), true));
                            }
                        },
                        "bytes-pusher");
                pusher.start();
                List<FrameNumbers.Seen> seen = FrameNumbers.drain(frames, 30);
                pusher.join(10_000);
                assertEquals(
                        FrameNumbers.range(0, TestClips.frames(clip)),
                        FrameNumbers.numbers(seen),
                        clip + ": frame numbers through PUSH_BYTES");
            }
        }
        assertTrue(events.ended, "end of stream reported");
        assertTrue(events.errors.isEmpty(), "errors: " + events.errors);
    }
}
