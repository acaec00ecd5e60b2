package org.spiceoverlay.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
 * Reconnection: the client service is stopped mid-stream (its sockets and sessions gone, as when
 * the process is killed) and a new one started on the same Unix socket; the library reconnects by
 * itself, re-creates the stream under the same {@link GuestStream}, and the player, told where to
 * resume, sends the rest of the clip, which arrives in order at the new service. Without
 * reconnection, or when the client never comes back, sends end in {@link GuestConnectionException}.
 */
@Tag("integration")
class OverlayGuestReconnectTest {

    private static final ServiceLimits LIMITS =
            new ServiceLimits(4, 512 * 1024, 4096, 4096, 16, 5_000, 1024, 1024 * 1024, 16);
    private static final GuestGeometry WHERE = GuestGeometry.visible(0, 1024, 768, new Rect(300, 250, 640, 360));
    /** 30 fps clip, a keyframe every second. */
    private static final int FPS = 30;

    private static GstMediaEngine engine;
    private static String videoCaps;
    private static long startTimeNs;
    private static final List<EncodedSample> VIDEO = new ArrayList<>();

    private final List<ClientService> services = new ArrayList<>();
    private OverlayGuest guest;

    @BeforeAll
    static void clip() throws Exception {
        engine = new GstMediaEngine();
        Path clip = ClipGenerator.generate(
                        SampleClip.H264_720P, Path.of("target", "test-clips-reconnect"), Duration.ofSeconds(6), false)
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
        assertEquals(6 * FPS, VIDEO.size(), "a 6 s clip at 30 fps");
    }

    @AfterEach
    void stop() {
        if (guest != null) {
            guest.close();
        }
        services.forEach(ClientService::close);
    }

    private RecordingVideoOutput startService(Endpoint at) throws IOException {
        RecordingVideoOutput output = new RecordingVideoOutput();
        ClientService service = new ClientService(engine, output, LIMITS, null, PixelFormat.I420, false);
        services.add(service);
        service.listen(at);
        return output;
    }

    private static GuestOptions.Builder options() {
        return GuestOptions.builder(GuestDisplay.of(0, 1024, 768))
                .guestName("reconnect-test")
                .reconnectBackoffMs(50, 400)
                .reconnectGiveUpMs(10_000);
    }

    private static GuestSample wire(EncodedSample s) {
        return GuestSample.video(s.data(), time(s.ptsNs()), time(s.dtsNs()), time(s.durationNs()), s.keyframe());
    }

    private static long time(long ns) {
        return ns == EncodedSample.NO_TIME ? GuestSample.NO_TIME : ns;
    }

    /** Index of the keyframe at or before media time {@code positionNs}: where a demuxer seeks to. */
    private static int keyframeAtOrBefore(long positionNs) {
        int from = 0;
        for (int i = 0; i < VIDEO.size(); i++) {
            if (VIDEO.get(i).keyframe() && VIDEO.get(i).ptsNs() - startTimeNs <= positionNs) {
                from = i;
            }
        }
        return from;
    }

    /** The player's side of a resume: point the "demuxer" (an index into the samples) at the keyframe. */
    private static final class ResumingPlayer implements GuestStreamListener {
        final AtomicInteger resumeFrom = new AtomicInteger(-1);
        final CountDownLatch lost = new CountDownLatch(1);
        final CountDownLatch reconnected = new CountDownLatch(1);
        final CountDownLatch eos = new CountDownLatch(1);
        volatile GuestStream reconnectedStream;
        volatile long resumeAtNs = -1;

        @Override
        public void onConnectionLost(GuestStream stream, GuestConnectionException cause) {
            lost.countDown();
        }

        @Override
        public void onReconnected(GuestStream stream) {
            reconnectedStream = stream;
            reconnected.countDown();
        }

        @Override
        public boolean onResumeNeeded(GuestStream stream, long positionNs) {
            resumeAtNs = positionNs;
            resumeFrom.set(keyframeAtOrBefore(positionNs));
            return true;
        }

        @Override
        public void onEndOfStream(GuestStream stream) {
            eos.countDown();
        }

        /** Sends the clip one frame at a time at twice its pace, jumping back when asked to resume. */
        void play(GuestStream stream) throws Exception {
            int i = 0;
            while (i < VIDEO.size()) {
                boolean sent = stream.send(List.of(wire(VIDEO.get(i))));
                int jump = resumeFrom.getAndSet(-1);
                if (jump >= 0) {
                    i = jump;
                    continue;
                }
                if (sent) {
                    i++;
                }
                Thread.sleep(1000 / FPS / 2);
            }
            stream.endOfStream();
        }
    }

    private static void awaitFrames(RecordingVideoOutput output, int count, long timeoutMs)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline
                && (output.views.isEmpty() || output.views.get(0).numbers.size() < count)) {
            Thread.sleep(10);
        }
        assertFalse(output.views.isEmpty(), "a stream was opened on the client");
        assertTrue(
                output.views.get(0).numbers.size() >= count,
                "at least " + count + " frames within " + timeoutMs + " ms, got "
                        + output.views.get(0).numbers());
    }

    @Test
    void aRestartedClientGetsTheStreamBackAndPlaybackResumesWhereItWas(@TempDir Path dir) throws Exception {
        Endpoint at = Endpoint.unix(dir.resolve("overlay.sock"));
        RecordingVideoOutput before = startService(at);
        guest = OverlayGuest.connect(at, options().build());
        ResumingPlayer player = new ResumingPlayer();
        GuestStream stream = guest.createSamplesStream(
                StreamOptions.samples(videoCaps, WHERE)
                        .timing(GuestTiming.LIVE)
                        .startTimeNs(startTimeNs)
                        .title("reconnect")
                        .build(),
                player);
        long firstId = stream.id();
        GuestGeometry moved = GuestGeometry.visible(0, 1024, 768, new Rect(100, 50, 320, 180));

        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<?> playing = pool.submit(() -> {
                player.play(stream);
                return null;
            });
            awaitFrames(before, 40, 10_000);
            services.get(0).close(); // the client goes away mid-stream
            List<Integer> shownBefore = before.views.get(0).numbers();
            assertTrue(player.lost.await(5, TimeUnit.SECONDS), "onConnectionLost at the drop");
            assertTrue(guest.isReconnecting() && !guest.isClosed(), "reconnecting, not closed: " + guest);
            stream.setGeometry(moved); // kept for the replay
            Thread.sleep(500);
            RecordingVideoOutput after = startService(at); // the client comes back on the same socket

            assertTrue(player.reconnected.await(10, TimeUnit.SECONDS), "onReconnected");
            assertSame(stream, player.reconnectedStream, "the player's GuestStream stays the same object");
            assertFalse(stream.isClosed());
            assertFalse(guest.isReconnecting());
            playing.get(20, TimeUnit.SECONDS);
            assertTrue(player.eos.await(10, TimeUnit.SECONDS), "end of stream from the new client");
            assertEquals(List.of(stream), guest.streams());
            assertNotEquals(-1, player.resumeAtNs);

            int lastBefore = shownBefore.get(shownBefore.size() - 1);
            awaitFrames(after, 1, 5000);
            RecordingVideoOutput.Recorder view = after.views.get(0);
            long deadline = System.currentTimeMillis() + 5000;
            while (!view.numbers.contains(VIDEO.size() - 1) && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            List<Integer> shownAfter = view.numbers();
            int firstAfter = shownAfter.get(0);
            assertTrue(
                    Math.abs(firstAfter - lastBefore) <= 2 * FPS,
                    "resumed at frame " + firstAfter
                            + ", within 2 s of frame " + lastBefore + " shown before the drop (asked to resume at "
                            + player.resumeAtNs / 1_000_000 + " ms)");
            for (int k = 1; k < shownAfter.size(); k++) {
                assertEquals(
                        shownAfter.get(k - 1) + 1,
                        shownAfter.get(k),
                        "frames in order after the restart: " + shownAfter);
            }
            assertEquals(VIDEO.size() - 1, shownAfter.get(shownAfter.size() - 1), "the clip played to its end");
            assertEquals(
                    moved.videoRect(),
                    view.placements.get(view.placements.size() - 1).videoRect(),
                    "the geometry set during the outage reached the new client");
            assertEquals(moved, stream.geometry());
            assertNotEquals(-1, stream.id());
            assertTrue(stream.id() > 0 && firstId > 0);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void withoutReconnectionTheNextSendAfterTheDropThrows(@TempDir Path dir) throws Exception {
        Endpoint at = Endpoint.unix(dir.resolve("overlay.sock"));
        startService(at);
        guest = OverlayGuest.connect(at, options().reconnect(false).build());
        GuestStream stream = guest.createSamplesStream(StreamOptions.samples(videoCaps, WHERE)
                .timing(GuestTiming.LIVE)
                .startTimeNs(startTimeNs)
                .build());
        assertTrue(stream.send(List.of(wire(VIDEO.get(0)), wire(VIDEO.get(1)))));
        services.get(0).close();
        Thread.sleep(500);
        startService(at); // back, but this guest does not reconnect
        GuestConnectionException e = assertThrows(GuestConnectionException.class, () -> {
            for (int i = 2; i < VIDEO.size(); i++) {
                stream.send(List.of(wire(VIDEO.get(i))));
            }
        });
        assertTrue(guest.isClosed(), "the guest is unusable");
        assertTrue(e.getMessage().contains(at.toString()) || e.getMessage().contains("closed"), e.getMessage());
        assertThrows(GuestConnectionException.class, () -> stream.send(List.of(wire(VIDEO.get(0)))));
    }

    @Test
    void aClientThatNeverComesBackMakesTheGuestGiveUp(@TempDir Path dir) throws Exception {
        Endpoint at = Endpoint.unix(dir.resolve("overlay.sock"));
        startService(at);
        guest = OverlayGuest.connect(at, options().reconnectGiveUpMs(1500).build());
        GuestStream stream = guest.createSamplesStream(StreamOptions.samples(videoCaps, WHERE)
                .timing(GuestTiming.LIVE)
                .startTimeNs(startTimeNs)
                .build());
        assertTrue(stream.send(List.of(wire(VIDEO.get(0)))));
        services.get(0).close();
        long t0 = System.nanoTime();
        // A send during the outage waits for the reconnect, then fails when the guest gives up.
        GuestConnectionException e = assertThrows(GuestConnectionException.class, () -> {
            for (int i = 1; i < VIDEO.size(); i++) {
                stream.send(List.of(wire(VIDEO.get(i))));
            }
        });
        long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(e.getMessage().contains("gave up reconnecting to " + at), e.getMessage());
        assertTrue(waitedMs >= 1000 && waitedMs < 8000, "gave up after " + waitedMs + " ms");
        assertTrue(guest.isClosed());
        assertTrue(stream.isClosed());
        assertThrows(
                GuestConnectionException.class,
                () -> guest.createSamplesStream(
                        StreamOptions.samples(videoCaps, WHERE).build()));
    }
}
