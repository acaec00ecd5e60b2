package org.spiceoverlay.bridge.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.transport.TTransport;
import org.apache.thrift.transport.layered.TFramedTransport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.spiceoverlay.api.FrameNumberCode;
import org.spiceoverlay.api.PixelFormat;
import org.spiceoverlay.api.Rect;
import org.spiceoverlay.api.VideoFrame;
import org.spiceoverlay.api.thrift.CreateStreamRequest;
import org.spiceoverlay.api.thrift.DataChunk;
import org.spiceoverlay.api.thrift.Geometry;
import org.spiceoverlay.api.thrift.GuestDisplay;
import org.spiceoverlay.api.thrift.HelloRequest;
import org.spiceoverlay.api.thrift.IRect;
import org.spiceoverlay.api.thrift.MediaKind;
import org.spiceoverlay.api.thrift.OverlayProtocolConstants;
import org.spiceoverlay.api.thrift.OverlayService;
import org.spiceoverlay.api.thrift.ProtocolVersion;
import org.spiceoverlay.api.thrift.Sample;
import org.spiceoverlay.api.thrift.SourceKind;
import org.spiceoverlay.api.thrift.TimingMode;
import org.spiceoverlay.api.thrift.TrackInfo;
import org.spiceoverlay.api.transport.Endpoint;
import org.spiceoverlay.api.transport.Transports;
import org.spiceoverlay.engine.EncodedSample;
import org.spiceoverlay.engine.FrameSink;
import org.spiceoverlay.engine.gst.ClipDemuxer;
import org.spiceoverlay.engine.gst.DemuxedSample;
import org.spiceoverlay.engine.gst.GstMediaEngine;
import org.spiceoverlay.media.ClipGenerator;
import org.spiceoverlay.media.SampleClip;
import org.spiceoverlay.render.Compositor;
import org.spiceoverlay.render.CompositorOptions;
import org.spiceoverlay.render.Placement;
import org.spiceoverlay.render.RefreshMode;
import org.spiceoverlay.render.RgbaImage;
import org.spiceoverlay.render.StreamLayer;

/**
 * The whole client path with the real renderer: a guest pushes the 720p sample clip over TCP, a Unix
 * socket, and a linked PTY pair standing in for a virtio-serial port (multiplexed),
 * the service decodes it and the compositor draws it (offscreen, no X needed). Every frame is drawn
 * and read back from the screen at the guest's requested rectangle: the frame numbers come out
 * complete and in order, and nothing is drawn outside the rectangle.
 */
@Tag("integration")
class RenderedPlaybackTest {

    private static final Rect GUEST_RECT = new Rect(300, 250, 640, 360);

    /** Draws each frame as it is decoded and reads the screen back before taking the next. */
    private static final class ReadbackOutput implements VideoOutput {
        final Compositor compositor =
                Compositor.offscreen(1024, 768, CompositorOptions.defaults().withRefreshMode(RefreshMode.MANUAL));
        final DisplayLayout layout = DisplayLayout.fixed(new Rect(0, 0, 1024, 768));
        final List<Integer> numbers = new CopyOnWriteArrayList<>();
        final List<String> outsideProblems = new CopyOnWriteArrayList<>();

        @Override
        public StreamView open(String name) {
            StreamLayer layer = compositor.addStream(name);
            return new StreamView() {
                private volatile Placement placement = Placement.HIDDEN;

                @Override
                public FrameSink frames() {
                    return new FrameSink() {
                        @Override
                        public void onFrame(VideoFrame frame) {
                            layer.submit(frame);
                            compositor.refresh();
                            Rect r = placement.rect();
                            RgbaImage shown = compositor.readPixels(new Rect(0, 0, 1024, 768));
                            numbers.add(FrameNumberCode.read(
                                            (x, y) -> brightness(shown, x, y), r.x(), r.y(), r.width(), r.height())
                                    .orElse(-1));
                            // just outside the rectangle: the (black) background, not video
                            for (int[] p : new int[][] {
                                {r.x() - 2, r.y() + 5},
                                {r.right() + 1, r.y() + 5},
                                {r.x() + 5, r.y() - 2},
                                {r.x() + 5, r.bottom() + 1}
                            }) {
                                if (brightness(shown, p[0], p[1]) > 8) {
                                    outsideProblems.add("pixel " + p[0] + "," + p[1] + " lit");
                                }
                            }
                        }

                        @Override
                        public void flush() {}
                    };
                }

                @Override
                public void place(GuestPlacement p) {
                    placement = CompositorVideoOutput.toScreen(
                            p, layout.mappingFor(p.displayId(), p.displayWidth(), p.displayHeight()));
                    layer.place(placement);
                }

                @Override
                public long framesPresented() {
                    return layer.stats().presented();
                }

                @Override
                public long framesDropped() {
                    return layer.stats().dropped();
                }

                @Override
                public Optional<PresentQos> takePresentQos() {
                    return Optional.of(PresentQos.takeFrom(layer));
                }

                @Override
                public void close() {
                    layer.close();
                }
            };
        }

        private static int brightness(RgbaImage img, int x, int y) {
            return (img.channel(x, y, 0) + img.channel(x, y, 1) + img.channel(x, y, 2)) / 3;
        }

        @Override
        public void close() {
            compositor.close();
        }
    }

    /** Over TCP, a Unix socket, and a byte-stream pair (multiplexed, as over a virtio-serial port). */
    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"tcp", "unix", "byte-stream pair"})
    void everyFrameIsDrawnInOrderAtTheGuestsRectangle(String transport, @TempDir Path dir) throws Exception {
        Path clip = ClipGenerator.generate(
                        SampleClip.H264_720P, Path.of("target", "test-clips"), Duration.ofSeconds(3), false)
                .file();
        String caps;
        long start;
        List<EncodedSample> video = new ArrayList<>();
        try (ClipDemuxer d = ClipDemuxer.open(clip, false)) {
            caps = d.videoCaps();
            start = d.startTimeNs();
            DemuxedSample s;
            while ((s = d.next(20, TimeUnit.SECONDS)) != null) {
                video.add(s.copy());
                s.close();
            }
        }
        ReadbackOutput output = new ReadbackOutput();
        PtyPair pty = transport.equals("byte-stream pair") ? PtyPair.start(dir) : null;
        try (ClientService service =
                new ClientService(new GstMediaEngine(), output, ServiceLimits.DEFAULT, null, PixelFormat.RGBA, false)) {
            Endpoint endpoint =
                    switch (transport) {
                        case "tcp" -> service.listen(Endpoint.tcp("127.0.0.1", 0));
                        case "unix" -> service.listen(Endpoint.unix(dir.resolve("s.sock")));
                        default -> {
                            service.listen(pty.hostEndpoint());
                            yield pty.guestEndpoint();
                        }
                    };
            try (TTransport t = new TFramedTransport(Transports.connect(endpoint), 8 << 20)) {
                OverlayService.Client client = new OverlayService.Client(new TBinaryProtocol(t));
                client.hello(new HelloRequest(new ProtocolVersion(1, 0), List.of(new GuestDisplay(0, 1024, 768))));
                IRect rect = new IRect(GUEST_RECT.x(), GUEST_RECT.y(), GUEST_RECT.width(), GUEST_RECT.height());
                long stream = client.createStream(new CreateStreamRequest(
                                        SourceKind.PUSH_SAMPLES, new Geometry(1, 0, 1024, 768, rect, List.of(rect)))
                                .setTracks(List.of(new TrackInfo(1, MediaKind.VIDEO, caps)))
                                .setTiming(TimingMode.LIVE)
                                .setStartTimeNs(start))
                        .getStreamId();
                long seq = 0;
                for (EncodedSample s : video) {
                    Sample w = new Sample(1, s.data())
                            .setPtsNs(s.ptsNs())
                            .setFlags(s.keyframe() ? OverlayProtocolConstants.SAMPLE_FLAG_KEYFRAME : 0);
                    if (s.dtsNs() != EncodedSample.NO_TIME) {
                        w.setDtsNs(s.dtsNs());
                    }
                    client.pushData(new DataChunk(stream, ++seq).setSamples(List.of(w)));
                }
                client.pushData(new DataChunk(stream, ++seq).setEndOfStream(true));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (output.numbers.size() < video.size() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
            }
        } finally {
            if (pty != null) {
                pty.close();
            }
        }
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < video.size(); i++) {
            expected.add(i);
        }
        assertEquals(
                expected, new ArrayList<>(output.numbers), "frame numbers read back from the screen at " + GUEST_RECT);
        assertTrue(output.outsideProblems.isEmpty(), "drawn outside the rectangle: " + output.outsideProblems);
    }
}
