package org.spiceoverlay.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
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
import org.spiceoverlay.bridge.service.CompositorVideoOutput;
import org.spiceoverlay.bridge.service.DisplayLayout;
import org.spiceoverlay.bridge.service.HeadlessVideoOutput;
import org.spiceoverlay.bridge.service.ServiceLimits;
import org.spiceoverlay.bridge.service.VideoOutput;
import org.spiceoverlay.engine.EncodedSample;
import org.spiceoverlay.engine.gst.ClipDemuxer;
import org.spiceoverlay.engine.gst.DemuxedSample;
import org.spiceoverlay.engine.gst.GstMediaEngine;
import org.spiceoverlay.guest.GuestGeometry;
import org.spiceoverlay.guest.GuestOptions;
import org.spiceoverlay.guest.GuestQos;
import org.spiceoverlay.guest.GuestSample;
import org.spiceoverlay.guest.GuestStream;
import org.spiceoverlay.guest.GuestStreamListener;
import org.spiceoverlay.guest.GuestTiming;
import org.spiceoverlay.guest.OverlayGuest;
import org.spiceoverlay.guest.StreamOptions;
import org.spiceoverlay.media.ClipGenerator;
import org.spiceoverlay.media.SampleClip;
import org.spiceoverlay.render.Compositor;
import org.spiceoverlay.render.CompositorOptions;

/**
 * The QoS reports a guest receives, from a real client service decoding a clip (GStreamer): drawn
 * by the compositor (offscreen, refreshing by itself at 60 Hz), they carry the present latency
 * (received on the client to after the swap) and the repeated refreshes; with no screen output
 * (frames decoded and counted only) those fields are absent, not zero.
 */
@Tag("integration")
class QosReportTest {

    private static final GuestGeometry WHERE = GuestGeometry.visible(0, 1024, 768, new Rect(300, 250, 640, 360));

    private static GstMediaEngine engine;
    private static String videoCaps;
    private static long startTimeNs;
    private static final List<EncodedSample> VIDEO = new ArrayList<>();

    private ClientService service;
    private OverlayGuest guest;

    @BeforeAll
    static void clip() throws Exception {
        engine = new GstMediaEngine();
        Path clip = ClipGenerator.generate(
                        SampleClip.VP8_480P, Path.of("target", "test-clips"), Duration.ofSeconds(3), false)
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

    /** Every QoS report of the stream, in order, from the library's event thread. */
    private static final class QosHeard implements GuestStreamListener {
        final List<GuestQos> reports = new CopyOnWriteArrayList<>();
        final CountDownLatch ended = new CountDownLatch(1);

        @Override
        public void onQos(GuestStream stream, GuestQos qos) {
            reports.add(qos);
        }

        @Override
        public void onEndOfStream(GuestStream stream) {
            ended.countDown();
        }

        /** Waits until some report after index {@code from} satisfies {@code p}; returns it. */
        GuestQos await(int from, Predicate<GuestQos> p, String what) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (System.nanoTime() < deadline) {
                for (int i = from; i < reports.size(); i++) {
                    if (p.test(reports.get(i))) {
                        return reports.get(i);
                    }
                }
                Thread.sleep(50);
            }
            throw new AssertionError("no QoS report with " + what + " within 15 s; got " + reports);
        }
    }

    /** Plays the whole clip at its own pace (BUFFERED) and waits for its end on the client. */
    private QosHeard play(VideoOutput output, PixelFormat format, Path dir) throws Exception {
        service = new ClientService(engine, output, ServiceLimits.DEFAULT, null, format, false);
        Endpoint endpoint = service.listen(Endpoint.unix(dir.resolve("overlay.sock")));
        guest = OverlayGuest.connect(
                endpoint,
                GuestOptions.builder(GuestDisplay.of(0, 1024, 768))
                        .guestName("qos-test")
                        .build());
        QosHeard heard = new QosHeard();
        GuestStream stream = guest.createSamplesStream(
                StreamOptions.samples(videoCaps, WHERE)
                        .timing(GuestTiming.BUFFERED)
                        .startTimeNs(startTimeNs)
                        .build(),
                heard);
        List<GuestSample> samples = new ArrayList<>();
        for (EncodedSample s : VIDEO) {
            samples.add(GuestSample.video(
                    s.data(),
                    s.ptsNs(),
                    s.dtsNs() != EncodedSample.NO_TIME ? s.dtsNs() : GuestSample.NO_TIME,
                    s.durationNs() != EncodedSample.NO_TIME ? s.durationNs() : GuestSample.NO_TIME,
                    s.keyframe()));
        }
        assertTrue(stream.send(samples));
        stream.endOfStream();
        assertTrue(heard.ended.await(20, TimeUnit.SECONDS), "the clip ended on the client");
        return heard;
    }

    @Test
    void drawnStreamsReportPresentLatencyAndRepeatedRefreshes(@TempDir Path dir) throws Exception {
        Compositor compositor = Compositor.offscreen(1024, 768, CompositorOptions.defaults());
        QosHeard heard = play(
                new CompositorVideoOutput(compositor, DisplayLayout.fixed(new Rect(0, 0, 1024, 768))),
                compositor.preferredFormat(),
                dir);

        GuestQos timed = heard.await(0, q -> q.presentLatencyP50Us() >= 0, "a present latency");
        for (GuestQos q : heard.reports) {
            assertTrue(q.framesRepeated() >= 0, "framesRepeated set when drawn: " + q);
            if (q.presentLatencyP50Us() >= 0) {
                assertTrue(q.presentLatencyP50Us() > 0, "p50 measured, not zero: " + q);
                assertTrue(q.presentLatencyP95Us() >= q.presentLatencyP50Us(), "p95 >= p50: " + q);
                assertTrue(q.framesPresented() > 0, "a latency only with frames presented: " + q);
            } else {
                assertEquals(-1, q.presentLatencyP95Us(), "p95 without p50: " + q);
            }
        }
        assertTrue(timed.framesPresented() > 0, timed.toString());

        // After the end the last picture stays on screen: refreshes repeat it, and an interval that
        // presented nothing new reports no latency rather than a zero.
        int ended = heard.reports.size();
        GuestQos first = heard.await(ended, q -> true, "anything after the end");
        GuestQos idle = heard.await(
                heard.reports.indexOf(first) + 1,
                q -> q.framesPresented() == first.framesPresented(),
                "no new frame presented");
        assertEquals(-1, idle.presentLatencyP50Us(), "no latency for an interval without presents: " + idle);
        assertEquals(-1, idle.presentLatencyP95Us(), idle.toString());
        assertTrue(idle.framesRepeated() > 0, "the last frame was shown again: " + idle);
        System.out.println("QoS while playing: " + timed + "\nQoS after the end: " + idle);
    }

    @Test
    void withoutScreenOutputThePresentFieldsAreAbsent(@TempDir Path dir) throws Exception {
        QosHeard heard = play(new HeadlessVideoOutput(60), PixelFormat.I420, dir);

        GuestQos decoded = heard.await(0, q -> q.framesDecoded() > 0, "frames decoded");
        for (GuestQos q : heard.reports) {
            assertEquals(-1, q.framesRepeated(), "nothing presented, nothing repeated: " + q);
            assertEquals(-1, q.presentLatencyP50Us(), "no present latency without a screen: " + q);
            assertEquals(-1, q.presentLatencyP95Us(), q.toString());
        }
        assertTrue(decoded.decodeLatencyP50Us() >= 0, "decoding is still measured: " + decoded);
    }
}
