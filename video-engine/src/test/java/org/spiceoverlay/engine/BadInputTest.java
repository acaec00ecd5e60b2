package org.spiceoverlay.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.spiceoverlay.api.PixelFormat;
import org.spiceoverlay.engine.gst.GstMediaEngine;
import org.spiceoverlay.media.SampleClip;

/**
 * Acceptance 3: damaged and hostile input gives a typed error or concealment, never a hang or a
 * crash, and a second session decoding at the same time loses no frame.
 */
@Tag("integration")
class BadInputTest {

    private static GstMediaEngine engine;
    private static PushedRun.Demuxed good;
    private static PushedRun.Demuxed h264;

    @BeforeAll
    static void setUp() throws Exception {
        engine = new GstMediaEngine();
        good = PushedRun.demux(TestClips.get(SampleClip.VP8_480P), false);
        h264 = PushedRun.demux(TestClips.get(SampleClip.H264_720P), false);
    }

    /** Runs the bad session and a good one side by side; checks the good one lost nothing. */
    private static PushedRun.Result alongsideGoodSession(SessionSpec badSpec, List<EncodedSample> badSamples)
            throws Exception {
        CompletableFuture<PushedRun.Result> goodRun = CompletableFuture.supplyAsync(() -> {
            try {
                return PushedRun.run(engine, PushedRun.spec(good, "bystander").build(), good.samples(), 30);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        PushedRun.Result bad = PushedRun.run(engine, badSpec, badSamples, 30);
        PushedRun.Result bystander = goodRun.get(60, TimeUnit.SECONDS);
        assertEquals(
                FrameNumbers.range(0, TestClips.frames(SampleClip.VP8_480P)),
                bystander.numbers(),
                "the session decoding good data beside the bad one lost frames");
        assertTrue(bystander.errors().isEmpty(), "bystander errors: " + bystander.errors());
        // never a hang: the bad session ended, by end of stream or by a typed fatal error
        assertTrue(bad.ended() || bad.fatal(), "bad session neither ended nor failed: " + bad.errors());
        return bad;
    }

    @Test
    void randomBytesSplicedIntoTheStreamAreConcealed() throws Exception {
        Random rnd = new Random(7);
        List<EncodedSample> damaged = new ArrayList<>();
        List<EncodedSample> video = h264.video();
        for (int i = 0; i < video.size(); i++) {
            EncodedSample s = video.get(i);
            byte[] data = s.toArray();
            if (i >= 40 && i < 50) {
                // overwrite a run in the middle of the frame with noise
                int from = data.length / 3;
                int len = Math.min(data.length - from, 64 + rnd.nextInt(512));
                for (int k = 0; k < len; k++) {
                    data[from + k] = (byte) rnd.nextInt(256);
                }
            }
            damaged.add(new EncodedSample(
                    s.track(),
                    java.nio.ByteBuffer.wrap(data),
                    s.ptsNs(),
                    s.dtsNs(),
                    s.durationNs(),
                    s.keyframe(),
                    s.discontinuity(),
                    EncodedSample.NO_TIME));
        }
        PushedRun.Result bad =
                alongsideGoodSession(PushedRun.spec(h264, "spliced").build(), damaged);
        assertTrue(bad.ended(), "damage inside frames is concealed, the stream plays to the end: " + bad.errors());
        // frames before the damage are intact; the stream recovers at the next keyframe (every 30 frames)
        List<Integer> n = bad.numbers();
        assertTrue(n.size() >= 100, "most frames still come out: " + n.size());
        assertEquals(FrameNumbers.range(0, 30), n.subList(0, 30), "frames before the damage");
        assertTrue(n.containsAll(FrameNumbers.range(60, 120)), "frames after the next keyframe: " + n);
    }

    @Test
    void truncatedStreamEndsCleanly() throws Exception {
        List<EncodedSample> video = h264.video();
        List<EncodedSample> cut = new ArrayList<>(video.subList(0, 70));
        EncodedSample last = video.get(70);
        byte[] half = java.util.Arrays.copyOf(last.toArray(), last.size() / 2);
        cut.add(new EncodedSample(
                last.track(),
                java.nio.ByteBuffer.wrap(half),
                last.ptsNs(),
                last.dtsNs(),
                last.durationNs(),
                last.keyframe(),
                false,
                EncodedSample.NO_TIME));
        PushedRun.Result bad =
                alongsideGoodSession(PushedRun.spec(h264, "truncated").build(), cut);
        assertTrue(bad.ended(), "a truncated stream reaches end of stream: " + bad.errors());
        List<Integer> n = bad.numbers();
        assertEquals(FrameNumbers.range(0, 60), n.subList(0, 60), "whole frames before the cut come out in order");
        assertTrue(n.size() <= 71, "no frames invented after the cut: " + n.size());
    }

    @Test
    void capsThatLieAboutTheCodecGiveATypedError() throws Exception {
        // H.264 data announced as VP9
        SessionSpec lying = PushedRun.spec(h264, "lying")
                .videoCaps("video/x-vp9, width=(int)1280, height=(int)720")
                .build();
        PushedRun.Result bad = alongsideGoodSession(lying, h264.video());
        assertTrue(
                bad.numbers().stream().allMatch(x -> x < 0) || bad.numbers().isEmpty(),
                "no real picture can come out of mislabelled data: " + bad.numbers());
        assertFalse(bad.errors().isEmpty(), "mislabelled data is reported");
        EngineError e = bad.errors().get(0);
        assertTrue(
                e.code() == EngineErrorCode.DECODE_ERROR || e.code() == EngineErrorCode.UNSUPPORTED_CODEC,
                e.toString());
        assertTrue(e.message().contains("video/x-vp9"), "the message names the caps: " + e.message());
    }

    @Test
    void hugeSizeClaimIsRefusedUpFront() {
        SessionSpec huge = PushedRun.spec(h264, "huge")
                .videoCaps(
                        "video/x-h264, stream-format=(string)byte-stream, alignment=(string)au, width=(int)32768, height=(int)32768")
                .build();
        EngineException e =
                assertThrows(EngineException.class, () -> engine.open(huge, new FrameQueue(1), SessionListener.NONE));
        assertEquals(EngineErrorCode.LIMIT_EXCEEDED, e.code());
        assertTrue(e.getMessage().contains("32768x32768") && e.getMessage().contains("4096x4096"), e.getMessage());
    }

    @Test
    void garbageCapsAndUnknownCodecsAreTypedErrors() {
        EngineException unparsable = assertThrows(
                EngineException.class,
                () -> engine.open(
                        PushedRun.spec(h264, "garbage")
                                .videoCaps("video/x-h264, width=(int)!!!, ! fakesink")
                                .build(),
                        new FrameQueue(1),
                        SessionListener.NONE));
        assertEquals(EngineErrorCode.INVALID_ARGUMENT, unparsable.code());
        EngineException unknown = assertThrows(
                EngineException.class,
                () -> engine.open(
                        PushedRun.spec(h264, "unknown")
                                .videoCaps("video/x-made-up-codec")
                                .build(),
                        new FrameQueue(1),
                        SessionListener.NONE));
        assertEquals(EngineErrorCode.UNSUPPORTED_CODEC, unknown.code());
        assertTrue(unknown.getMessage().contains("video/x-made-up-codec"), unknown.getMessage());
        EngineException audioAsVideo = assertThrows(
                EngineException.class,
                () -> engine.open(
                        PushedRun.spec(h264, "audio-as-video")
                                .videoCaps("audio/mpeg, mpegversion=(int)4")
                                .build(),
                        new FrameQueue(1),
                        SessionListener.NONE));
        assertEquals(EngineErrorCode.INVALID_ARGUMENT, audioAsVideo.code());
    }

    @Test
    void randomBytesAsAContainerAreATypedError() throws Exception {
        byte[] noise = new byte[300_000];
        new Random(11).nextBytes(noise);
        SessionSpec spec = SessionSpec.builder(SourceType.BYTES)
                .name("noise-bytes")
                .pacing(Pacing.IMMEDIATE)
                .outputFormat(PixelFormat.I420)
                .build();
        List<EngineError> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (FrameQueue q = new FrameQueue(2);
                DecodeSession s = engine.open(spec, q, new SessionListener() {
                    @Override
                    public void onError(EngineError error) {
                        errors.add(error);
                    }
                })) {
            for (int off = 0; off < noise.length && s.state() != SessionState.CLOSED; off += 65536) {
                if (s.awaitRoom(65536, 2, TimeUnit.SECONDS)) {
                    try {
                        s.pushBytes(noise, off, Math.min(65536, noise.length - off));
                    } catch (EngineException e) {
                        break; // closed by the error meanwhile
                    }
                }
            }
            try {
                s.endOfStream();
            } catch (EngineException e) {
                // already closed by the error
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (errors.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        }
        assertFalse(errors.isEmpty(), "noise as a container must be reported");
        assertEquals(
                EngineErrorCode.UNSUPPORTED_CODEC,
                errors.get(0).code(),
                errors.get(0).toString());
    }

    @Test
    void closedSessionRefusesDataWithATypedError() throws Exception {
        DecodeSession s = engine.open(PushedRun.spec(good, "closed").build(), new FrameQueue(1), SessionListener.NONE);
        s.close();
        s.close(); // idempotent
        EngineException e =
                assertThrows(EngineException.class, () -> s.push(good.samples().get(0)));
        assertEquals(EngineErrorCode.STREAM_CLOSED, e.code());
        assertTrue(Files.exists(TestClips.get(SampleClip.VP8_480P)));
    }
}
