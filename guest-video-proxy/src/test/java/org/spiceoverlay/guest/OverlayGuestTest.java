package org.spiceoverlay.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.spiceoverlay.api.GuestDisplay;
import org.spiceoverlay.api.PixelFormat;
import org.spiceoverlay.api.Rect;
import org.spiceoverlay.api.transport.Endpoint;
import org.spiceoverlay.bridge.service.ClientService;
import org.spiceoverlay.bridge.service.RecordingVideoOutput;
import org.spiceoverlay.bridge.service.ServiceLimits;
import org.spiceoverlay.engine.EncodedSample;
import org.spiceoverlay.engine.gst.ClipDemuxer;
import org.spiceoverlay.engine.gst.DemuxedSample;
import org.spiceoverlay.engine.gst.GstMediaEngine;
import org.spiceoverlay.media.ClipGenerator;
import org.spiceoverlay.media.SampleClip;

/**
 * The guest library against the real client service (GStreamer decoding) over TCP and a Unix
 * socket: a clip sent through a small credit window arrives with every frame in order; controls come
 * back as listener events; an unknown codec is refused with its code; two streams send in parallel.
 */
@Tag("integration")
class OverlayGuestTest {

    /** A small credit window (1 MiB, chunks up to 512 KiB), so that credit is granted many times. */
    private static final ServiceLimits LIMITS =
            new ServiceLimits(4, 512 * 1024, 4096, 4096, 16, 5_000, 1024, 1024 * 1024, 16);

    private static final GuestGeometry WHERE = GuestGeometry.visible(0, 1024, 768, new Rect(300, 250, 640, 360));

    private static GstMediaEngine engine;
    private static String videoCaps;
    private static long startTimeNs;
    private static final List<EncodedSample> VIDEO = new ArrayList<>();

    private ClientService service;
    private RecordingVideoOutput output;
    private OverlayGuest guest;

    @BeforeAll
    static void clip() throws Exception {
        engine = new GstMediaEngine();
        Path clip = ClipGenerator.generate(
                        SampleClip.H264_720P, Path.of("target", "test-clips"), Duration.ofSeconds(3), false)
                .file();
        try (ClipDemuxer d = ClipDemuxer.open(clip, false)) {
            videoCaps = d.videoCaps();
            startTimeNs = d.startTimeNs();
            DemuxedSample s;
            while ((s = d.next(20, TimeUnit.SECONDS)) != null) {
                VIDEO.add(s.copy());
                s.close();
            }
        }
        assertEquals(90, VIDEO.size(), "a 3 s clip at 30 fps");
    }

    @AfterEach
    void stop() {
        if (guest != null) {
            guest.close();
        }
        if (service != null) {
            service.close();
        }
    }

    private Endpoint start(String kind, Path dir) throws IOException {
        output = new RecordingVideoOutput();
        service = new ClientService(engine, output, LIMITS, null, PixelFormat.I420, false);
        return service.listen(
                kind.equals("unix") ? Endpoint.unix(dir.resolve("overlay.sock")) : Endpoint.tcp("127.0.0.1", 0));
    }

    private static GuestOptions options() {
        return GuestOptions.builder(GuestDisplay.of(0, 1024, 768))
                .guestName("guest-library-test")
                .build();
    }

    private static GuestSample wire(EncodedSample s) {
        return GuestSample.video(s.data(), time(s.ptsNs()), time(s.dtsNs()), time(s.durationNs()), s.keyframe());
    }

    private static long time(long ns) {
        return ns == EncodedSample.NO_TIME ? GuestSample.NO_TIME : ns;
    }

    private static List<GuestSample> wire(List<EncodedSample> samples) {
        List<GuestSample> out = new ArrayList<>();
        for (EncodedSample s : samples) {
            out.add(wire(s));
        }
        return out;
    }

    private static List<Integer> allFrameNumbers() {
        List<Integer> expected = new ArrayList<>();
        for (int n = 0; n < VIDEO.size(); n++) {
            expected.add(n);
        }
        return expected;
    }

    /** Records what a stream's listener hears, as text, in order, from the event thread. */
    private static final class Heard implements GuestStreamListener {
        final BlockingQueue<String> events = new LinkedBlockingQueue<>();
        volatile Thread thread;

        private void add(String e) {
            thread = Thread.currentThread();
            events.add(e);
        }

        @Override
        public void onState(GuestStream stream, GuestStreamState state) {
            add("state " + state);
        }

        @Override
        public void onEndOfStream(GuestStream stream) {
            add("eos");
        }

        @Override
        public void onError(GuestStream stream, GuestStreamError error) {
            add("error " + error.code());
        }

        @Override
        public void onSeekDone(GuestStream stream, long positionNs) {
            add("seek-done " + positionNs);
        }

        @Override
        public void onClosed(GuestStream stream) {
            add("closed");
        }

        /** Waits for an event starting with {@code prefix}; returns it. */
        String await(String prefix, long timeoutMs) throws InterruptedException {
            long deadline = System.currentTimeMillis() + timeoutMs;
            List<String> seen = new ArrayList<>();
            while (System.currentTimeMillis() < deadline) {
                String e = events.poll(50, TimeUnit.MILLISECONDS);
                if (e == null) {
                    continue;
                }
                seen.add(e);
                if (e.startsWith(prefix)) {
                    return e;
                }
            }
            throw new AssertionError("no \"" + prefix + "\" event within " + timeoutMs + " ms; heard " + seen);
        }
    }

    /** Sends the whole clip in batches of {@code batch} samples, checking the credit is never exceeded. */
    private static void sendClip(GuestStream stream, int batch) throws Exception {
        for (int i = 0; i < VIDEO.size(); i += batch) {
            List<EncodedSample> part = VIDEO.subList(i, Math.min(VIDEO.size(), i + batch));
            assertTrue(stream.send(wire(part)));
            assertTrue(
                    stream.bytesSent() <= stream.bytesLimit(),
                    "sent " + stream.bytesSent() + " within the credit " + stream.bytesLimit());
        }
        stream.endOfStream();
    }

    private static void awaitFrames(RecordingVideoOutput.Recorder view, int count) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5000;
        while (view.numbers.size() < count && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "unix"})
    void aClipSentThroughTheLibraryArrivesWithEveryFrameInOrder(String transport, @TempDir Path dir) throws Exception {
        guest = OverlayGuest.connect(start(transport, dir), options());
        assertTrue(guest.canDecode(videoCaps), "the client decodes " + videoCaps);
        assertFalse(guest.canDecode("video/x-made-up, width=2"));
        assertEquals(LIMITS.maxChunkBytes(), guest.client().limits().maxChunkBytes());

        Heard heard = new Heard();
        GuestStream stream = guest.createSamplesStream(
                StreamOptions.samples(videoCaps, WHERE)
                        .timing(GuestTiming.LIVE)
                        .startTimeNs(startTimeNs)
                        .title("h264-720p")
                        .build(),
                heard);
        long firstWindow = stream.bytesLimit();
        assertEquals(LIMITS.maxBufferedBytesPerStream(), firstWindow);

        sendClip(stream, 16);
        long total = VIDEO.stream().mapToLong(s -> s.size()).sum();
        assertEquals(total, stream.bytesSent());
        assertTrue(total > firstWindow, "the clip (" + total + " B) is larger than one credit window");
        assertTrue(stream.bytesLimit() > firstWindow, "credit was granted beyond the first window");
        heard.await("eos", 20_000);
        assertTrue(heard.thread.getName().startsWith("overlay-guest-events"), "listeners run on the event thread");

        RecordingVideoOutput.Recorder view = output.views.get(0);
        awaitFrames(view, VIDEO.size());
        assertEquals(allFrameNumbers(), view.numbers(), "every frame, in order, through " + transport);
        assertEquals(new Rect(300, 250, 640, 360), view.placements.get(0).videoRect());

        GuestGeometry moved = GuestGeometry.visible(0, 1024, 768, new Rect(10, 20, 320, 180));
        assertTrue(stream.setGeometry(moved));
        assertEquals(
                new Rect(10, 20, 320, 180),
                view.placements.get(view.placements.size() - 1).videoRect());
        assertEquals(moved, stream.geometry());

        stream.close();
        heard.await("closed", 5000);
        OverlayException gone = assertThrows(OverlayException.class, () -> stream.send(wire(VIDEO.subList(0, 1))));
        assertEquals(GuestErrorCode.STREAM_CLOSED, gone.code());
    }

    @Test
    void pauseSeekAndCloseComeBackAsEvents(@TempDir Path dir) throws Exception {
        guest = OverlayGuest.connect(start("tcp", dir), options());
        Heard heard = new Heard();
        GuestStream stream = guest.createSamplesStream(
                StreamOptions.samples(videoCaps, WHERE)
                        .timing(GuestTiming.BUFFERED)
                        .startTimeNs(startTimeNs)
                        .build(),
                heard);
        assertTrue(stream.send(wire(VIDEO.subList(0, 30))));
        heard.await("state PLAYING", 10_000);

        stream.pause();
        heard.await("state PAUSED", 5000);

        long target = 2_000_000_000L;
        long seqBefore = stream.nextSeq();
        stream.seek(target, GuestSeekMode.KEY_UNIT);
        assertEquals(seqBefore, stream.nextSeq(), "the next chunk is the seek's resumeSeq");
        // The player resends from the keyframe at or before the target.
        int from = 0;
        for (int i = 0; i < VIDEO.size(); i++) {
            if (VIDEO.get(i).keyframe() && VIDEO.get(i).ptsNs() - startTimeNs <= target) {
                from = i;
            }
        }
        assertTrue(stream.send(wire(VIDEO.subList(from, VIDEO.size()))));
        String done = heard.await("seek-done", 10_000);
        long landed = Long.parseLong(done.substring("seek-done ".length()));
        assertTrue(
                landed <= target && landed >= VIDEO.get(from).ptsNs() - startTimeNs - 1_000_000,
                "landed at " + landed + " for a key-unit seek to " + target);

        stream.play();
        heard.await("state PLAYING", 5000);
        stream.setVolume(0.5);
        stream.setMute(true);

        stream.close();
        heard.await("closed", 5000);
        assertTrue(stream.isClosed());
        assertTrue(guest.streams().isEmpty(), "a closed stream is forgotten");
    }

    @Test
    void anUnknownCodecIsRefusedAtCreateWithItsCode(@TempDir Path dir) throws Exception {
        guest = OverlayGuest.connect(start("unix", dir), options());
        OverlayException e = assertThrows(
                OverlayException.class,
                () -> guest.createSamplesStream(
                        StreamOptions.samples("video/x-made-up", WHERE).build()));
        assertEquals(GuestErrorCode.UNSUPPORTED_CODEC, e.code());
        assertTrue(e.getMessage().contains("video/x-made-up"), e.getMessage());
        // the session stays usable
        GuestStream ok = guest.createSamplesStream(
                StreamOptions.samples(videoCaps, WHERE).build());
        assertFalse(ok.isClosed());
    }

    @Test
    void aSampleLargerThanAChunkIsRefusedBeforeAnythingIsSent(@TempDir Path dir) throws Exception {
        guest = OverlayGuest.connect(start("tcp", dir), options());
        GuestStream stream = guest.createSamplesStream(
                StreamOptions.samples(videoCaps, WHERE).build());
        GuestSample big = GuestSample.video(
                ByteBuffer.wrap(new byte[LIMITS.maxChunkBytes() + 1]),
                0,
                GuestSample.NO_TIME,
                GuestSample.NO_TIME,
                true);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> stream.send(List.of(wire(VIDEO.get(0)), big)));
        assertTrue(
                e.getMessage().contains(String.valueOf(LIMITS.maxChunkBytes() + 1))
                        && e.getMessage().contains(String.valueOf(LIMITS.maxChunkBytes())),
                e.getMessage());
        assertEquals(0, stream.bytesSent());
        assertEquals(1, stream.nextSeq());
    }

    @Test
    void twoStreamsSendFromTwoThreadsAtOnce(@TempDir Path dir) throws Exception {
        guest = OverlayGuest.connect(start("tcp", dir), options());
        Heard heardA = new Heard();
        Heard heardB = new Heard();
        GuestStream a = guest.createSamplesStream(
                StreamOptions.samples(videoCaps, WHERE)
                        .timing(GuestTiming.LIVE)
                        .startTimeNs(startTimeNs)
                        .title("a")
                        .build(),
                heardA);
        GuestStream b = guest.createSamplesStream(
                StreamOptions.samples(videoCaps, GuestGeometry.visible(0, 1024, 768, new Rect(0, 0, 320, 180)))
                        .timing(GuestTiming.LIVE)
                        .startTimeNs(startTimeNs)
                        .title("b")
                        .build(),
                heardB);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CompletableFuture<Void> go = new CompletableFuture<>();
            Future<?> fa = pool.submit(() -> {
                go.join();
                sendClip(a, 3);
                return null;
            });
            Future<?> fb = pool.submit(() -> {
                go.join();
                sendClip(b, 5);
                return null;
            });
            go.complete(null);
            fa.get(60, TimeUnit.SECONDS);
            fb.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        heardA.await("eos", 20_000);
        heardB.await("eos", 20_000);
        for (RecordingVideoOutput.Recorder view : output.views) {
            awaitFrames(view, VIDEO.size());
            assertEquals(allFrameNumbers(), view.numbers(), "every frame in order on " + view.name);
        }
        assertEquals(2, output.views.size());
    }

    @Test
    void theFirstConnectWaitsForAClientThatComesUpLater(@TempDir Path dir) throws Exception {
        Endpoint endpoint = Endpoint.unix(dir.resolve("overlay.sock"));
        GuestOptions waiting = GuestOptions.builder(GuestDisplay.of(0, 1024, 768))
                .guestName("guest-library-test")
                .connectWaitMs(60_000)
                .build();
        java.util.concurrent.CompletableFuture<OverlayGuest> connecting =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try {
                        return OverlayGuest.connect(endpoint, waiting);
                    } catch (OverlayException e) {
                        throw new java.util.concurrent.CompletionException(e);
                    }
                });
        Thread.sleep(1500); // nobody listens yet: the guest keeps trying
        assertFalse(connecting.isDone(), "still waiting for the client: " + connecting);
        assertEquals(endpoint, start("unix", dir));
        guest = connecting.get(30, java.util.concurrent.TimeUnit.SECONDS);
        Heard heard = new Heard();
        GuestStream stream = guest.createSamplesStream(
                StreamOptions.samples(videoCaps, WHERE).startTimeNs(startTimeNs).build(), heard);
        sendClip(stream, 16);
        heard.await("eos", 20_000);
        RecordingVideoOutput.Recorder view = output.views.get(0);
        awaitFrames(view, VIDEO.size());
        assertEquals(allFrameNumbers(), view.numbers(), "every frame, in order, once the client came up");
    }

    @Test
    void aFirstConnectThatWaitsSaysForHowLong(@TempDir Path dir) {
        GuestOptions waiting = GuestOptions.builder(GuestDisplay.of(0, 1024, 768))
                .connectWaitMs(700)
                .build();
        GuestConnectionException e = assertThrows(
                GuestConnectionException.class,
                () -> OverlayGuest.connect(Endpoint.unix(dir.resolve("nobody.sock")), waiting));
        assertTrue(e.getMessage().contains("nobody.sock") && e.getMessage().contains("waited 0.7 s"), e.getMessage());
    }

    @Test
    void aRefusedConnectionIsAConnectionException(@TempDir Path dir) {
        GuestConnectionException e = assertThrows(
                GuestConnectionException.class,
                () -> OverlayGuest.connect(Endpoint.unix(dir.resolve("nobody.sock")), options()));
        assertTrue(e.getMessage().contains("nobody.sock"), e.getMessage());
    }
}
