package org.spiceoverlay.samples;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
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
import org.spiceoverlay.api.thrift.OverlayProtocolConstants;
import org.spiceoverlay.api.thrift.QosReport;
import org.spiceoverlay.api.thrift.Sample;
import org.spiceoverlay.api.thrift.TimingMode;
import org.spiceoverlay.bridge.service.ClientService;
import org.spiceoverlay.bridge.service.CompositorVideoOutput;
import org.spiceoverlay.bridge.service.DisplayLayout;
import org.spiceoverlay.bridge.service.HeadlessVideoOutput;
import org.spiceoverlay.bridge.service.ServiceLimits;
import org.spiceoverlay.bridge.service.VideoOutput;
import org.spiceoverlay.engine.EncodedSample;
import org.spiceoverlay.engine.gst.ClipDemuxer;
import org.spiceoverlay.engine.gst.ClipGenerator;
import org.spiceoverlay.engine.gst.GstMediaEngine;
import org.spiceoverlay.engine.gst.SampleClip;
import org.spiceoverlay.guest.GuestGeometry;
import org.spiceoverlay.guest.GuestOptions;
import org.spiceoverlay.guest.GuestStream;
import org.spiceoverlay.guest.GuestStreamListener;
import org.spiceoverlay.guest.OverlayGuest;
import org.spiceoverlay.guest.StreamOptions;
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
        Path clip = ClipGenerator.generate(SampleClip.VP8_480P, Path.of("target", "test-clips"), Duration.ofSeconds(3),
                false).file();
        try (ClipDemuxer d = ClipDemuxer.open(clip, false)) {
            videoCaps = d.videoCaps();
            startTimeNs = d.startTimeNs();
            EncodedSample s;
            while ((s = d.next(20, TimeUnit.SECONDS)) != null) {
                VIDEO.add(s);
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
        final List<QosReport> reports = new CopyOnWriteArrayList<>();
        final CountDownLatch ended = new CountDownLatch(1);

        @Override
        public void onQos(GuestStream stream, QosReport qos) {
            reports.add(qos);
        }

        @Override
        public void onEndOfStream(GuestStream stream) {
            ended.countDown();
        }

        /** Waits until some report after index {@code from} satisfies {@code p}; returns it. */
        QosReport await(int from, Predicate<QosReport> p, String what) throws InterruptedException {
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
        guest = OverlayGuest.connect(endpoint, GuestOptions.builder(GuestDisplay.of(0, 1024, 768))
                .guestName("qos-test").build());
        QosHeard heard = new QosHeard();
        GuestStream stream = guest.createSamplesStream(StreamOptions.samples(videoCaps, WHERE)
                .timing(TimingMode.BUFFERED).startTimeNs(startTimeNs).build(), heard);
        List<Sample> samples = new ArrayList<>();
        for (EncodedSample s : VIDEO) {
            Sample w = new Sample(GuestStream.VIDEO_TRACK, ByteBuffer.wrap(s.data())).setPtsNs(s.ptsNs())
                    .setFlags(s.keyframe() ? OverlayProtocolConstants.SAMPLE_FLAG_KEYFRAME : 0);
            if (s.dtsNs() != EncodedSample.NO_TIME) {
                w.setDtsNs(s.dtsNs());
            }
            if (s.durationNs() != EncodedSample.NO_TIME) {
                w.setDurationNs(s.durationNs());
            }
            samples.add(w);
        }
        assertTrue(stream.send(samples));
        stream.endOfStream();
        assertTrue(heard.ended.await(20, TimeUnit.SECONDS), "the clip ended on the client");
        return heard;
    }

    @Test
    void drawnStreamsReportPresentLatencyAndRepeatedRefreshes(@TempDir Path dir) throws Exception {
        Compositor compositor = Compositor.offscreen(1024, 768, CompositorOptions.defaults());
        QosHeard heard = play(new CompositorVideoOutput(compositor, DisplayLayout.fixed(new Rect(0, 0, 1024, 768))),
                compositor.preferredFormat(), dir);

        QosReport timed = heard.await(0, QosReport::isSetPresentLatencyP50Us, "a present latency");
        for (QosReport q : heard.reports) {
            assertTrue(q.isSetFramesRepeated() && q.getFramesRepeated() >= 0, "framesRepeated set when drawn: " + q);
            if (q.isSetPresentLatencyP50Us()) {
                assertTrue(q.getPresentLatencyP50Us() > 0, "p50 measured, not zero: " + q);
                assertTrue(q.isSetPresentLatencyP95Us() && q.getPresentLatencyP95Us() >= q.getPresentLatencyP50Us(),
                        "p95 >= p50: " + q);
                assertTrue(q.getFramesPresented() > 0, "a latency only with frames presented: " + q);
            } else {
                assertFalse(q.isSetPresentLatencyP95Us(), "p95 without p50: " + q);
            }
        }
        assertTrue(timed.getFramesPresented() > 0, timed.toString());

        // After the end the last picture stays on screen: refreshes repeat it, and an interval that
        // presented nothing new reports no latency rather than a zero.
        int ended = heard.reports.size();
        QosReport first = heard.await(ended, q -> true, "anything after the end");
        QosReport idle = heard.await(heard.reports.indexOf(first) + 1,
                q -> q.getFramesPresented() == first.getFramesPresented(), "no new frame presented");
        assertFalse(idle.isSetPresentLatencyP50Us(), "no latency for an interval without presents: " + idle);
        assertFalse(idle.isSetPresentLatencyP95Us(), idle.toString());
        assertTrue(idle.getFramesRepeated() > 0, "the last frame was shown again: " + idle);
        System.out.println("QoS while playing: " + timed + "\nQoS after the end: " + idle);
    }

    @Test
    void withoutScreenOutputThePresentFieldsAreAbsent(@TempDir Path dir) throws Exception {
        QosHeard heard = play(new HeadlessVideoOutput(60), PixelFormat.I420, dir);

        QosReport decoded = heard.await(0, q -> q.getFramesDecoded() > 0, "frames decoded");
        for (QosReport q : heard.reports) {
            assertFalse(q.isSetFramesRepeated(), "nothing presented, nothing repeated: " + q);
            assertFalse(q.isSetPresentLatencyP50Us(), "no present latency without a screen: " + q);
            assertFalse(q.isSetPresentLatencyP95Us(), q.toString());
        }
        assertTrue(decoded.isSetDecodeLatencyP50Us(), "decoding is still measured: " + decoded);
    }
}
