package org.spiceoverlay.bridge.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.thrift.TException;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.transport.TTransport;
import org.apache.thrift.transport.layered.TFramedTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.spiceoverlay.api.PixelFormat;
import org.spiceoverlay.api.thrift.ControlAction;
import org.spiceoverlay.api.thrift.ControlCommand;
import org.spiceoverlay.api.thrift.CreateStreamRequest;
import org.spiceoverlay.api.thrift.CreateStreamResponse;
import org.spiceoverlay.api.thrift.DataChunk;
import org.spiceoverlay.api.thrift.ErrorCode;
import org.spiceoverlay.api.thrift.Event;
import org.spiceoverlay.api.thrift.EventBatch;
import org.spiceoverlay.api.thrift.EventKind;
import org.spiceoverlay.api.thrift.Geometry;
import org.spiceoverlay.api.thrift.GuestDisplay;
import org.spiceoverlay.api.thrift.HelloRequest;
import org.spiceoverlay.api.thrift.HelloResponse;
import org.spiceoverlay.api.thrift.IRect;
import org.spiceoverlay.api.thrift.MediaKind;
import org.spiceoverlay.api.thrift.OverlayError;
import org.spiceoverlay.api.thrift.OverlayProtocolConstants;
import org.spiceoverlay.api.thrift.OverlayService;
import org.spiceoverlay.api.thrift.ProtocolVersion;
import org.spiceoverlay.api.thrift.PushResult;
import org.spiceoverlay.api.thrift.Sample;
import org.spiceoverlay.api.thrift.SourceKind;
import org.spiceoverlay.api.thrift.TimingMode;
import org.spiceoverlay.api.thrift.TrackInfo;
import org.spiceoverlay.api.transport.Endpoint;
import org.spiceoverlay.api.transport.Transports;
import org.spiceoverlay.engine.EncodedSample;
import org.spiceoverlay.engine.gst.ClipDemuxer;
import org.spiceoverlay.engine.gst.DemuxedSample;
import org.spiceoverlay.engine.gst.GstMediaEngine;
import org.spiceoverlay.media.ClipGenerator;
import org.spiceoverlay.media.SampleClip;

/**
 * The client service over real sockets (TCP and a Unix socket): a guest says hello, opens a
 * stream, pushes a clip's samples within its credit, and every frame comes out in order; bad calls
 * get typed errors; a dropped connection releases its streams.
 */
@Tag("integration")
class ClientServiceTest {

    /** A small credit window, so that credit is granted many times over one clip. */
    private static final ServiceLimits LIMITS =
            new ServiceLimits(4, 512 * 1024, 4096, 4096, 16, 5_000, 1024, 1024 * 1024, 16);

    private static GstMediaEngine engine;
    private static Path clip;
    private static String videoCaps;
    private static long startTimeNs;
    private static List<EncodedSample> video = new ArrayList<>();

    private ClientService service;
    private RecordingVideoOutput output;

    @BeforeAll
    static void clip() throws Exception {
        engine = new GstMediaEngine();
        clip = ClipGenerator.generate(
                        SampleClip.H264_720P, Path.of("target", "test-clips"), Duration.ofSeconds(3), false)
                .file();
        try (ClipDemuxer d = ClipDemuxer.open(clip, false)) {
            videoCaps = d.videoCaps();
            startTimeNs = d.startTimeNs();
            DemuxedSample s;
            while ((s = d.next(20, TimeUnit.SECONDS)) != null) {
                video.add(s.copy());
                s.close();
            }
        }
    }

    @AfterEach
    void stop() {
        if (service != null) {
            service.close();
        }
    }

    private Endpoint start(String kind, Path dir) throws IOException {
        output = new RecordingVideoOutput();
        service = new ClientService(engine, output, LIMITS, null, PixelFormat.I420, false);
        return service.listen(
                switch (kind) {
                    case "unix" -> Endpoint.unix(dir.resolve("overlay.sock"));
                    case "mux+unix" -> Endpoint.unix(dir.resolve("overlay-mux.sock"))
                            .multiplexed();
                    default -> Endpoint.tcp("127.0.0.1", 0);
                });
    }

    /** A guest connection. */
    private static final class Guest implements AutoCloseable {
        final TTransport transport;
        final OverlayService.Client client;

        Guest(Endpoint endpoint) throws Exception {
            transport = new TFramedTransport(Transports.connect(endpoint), 8 << 20);
            client = new OverlayService.Client(new TBinaryProtocol(transport));
        }

        @Override
        public void close() {
            transport.close();
        }
    }

    private static HelloRequest hello() {
        return new HelloRequest(
                        new ProtocolVersion(
                                OverlayProtocolConstants.PROTOCOL_VERSION_MAJOR,
                                OverlayProtocolConstants.PROTOCOL_VERSION_MINOR),
                        List.of(new GuestDisplay(0, 1024, 768)))
                .setGuestName("test-player");
    }

    private static Geometry geometry(long seq) {
        IRect rect = new IRect(300, 250, 640, 360);
        return new Geometry(seq, 0, 1024, 768, rect, List.of(rect));
    }

    private static CreateStreamRequest samplesStream() {
        return new CreateStreamRequest(SourceKind.PUSH_SAMPLES, geometry(1))
                .setTracks(List.of(new TrackInfo(1, MediaKind.VIDEO, videoCaps)))
                .setTiming(TimingMode.LIVE)
                .setStartTimeNs(startTimeNs)
                .setTitle("h264-720p");
    }

    private static Sample wire(EncodedSample s) {
        Sample w = new Sample(1, s.data());
        if (s.ptsNs() != EncodedSample.NO_TIME) {
            w.setPtsNs(s.ptsNs());
        }
        if (s.dtsNs() != EncodedSample.NO_TIME) {
            w.setDtsNs(s.dtsNs());
        }
        if (s.durationNs() != EncodedSample.NO_TIME) {
            w.setDurationNs(s.durationNs());
        }
        w.setFlags(s.keyframe() ? OverlayProtocolConstants.SAMPLE_FLAG_KEYFRAME : 0);
        return w;
    }

    /** Waits on the events connection for an event of {@code kind}; returns it and the last seq seen. */
    private static Event awaitEvent(
            OverlayService.Client events, long[] after, EventKind kind, long streamId, long timeoutMs)
            throws TException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline) {
            EventBatch b = events.pollEvents(after[0], 500, 100);
            for (Event e : b.getEvents()) {
                after[0] = e.getSeq();
                if (e.getKind() == kind && e.getStreamId() == streamId) {
                    return e;
                }
            }
        }
        throw new AssertionError("no " + kind + " event for stream " + streamId + " within " + timeoutMs + " ms");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "unix", "mux+unix"})
    void aClipPlaysThroughTheServiceWithEveryFrameInOrder(String transport, @TempDir Path dir) throws Exception {
        Endpoint endpoint = start(transport, dir);
        try (Guest data = new Guest(endpoint);
                Guest events = new Guest(endpoint)) {
            HelloResponse hello = data.client.hello(hello());
            assertTrue(hello.getDecoders().stream().anyMatch(d -> d.getCaps().equals("video/x-h264")));
            assertEquals(LIMITS.maxBufferedBytesPerStream(), hello.getLimits().getMaxBufferedBytesPerStream());
            events.client.attach(hello.getSessionToken(), hello.getVersion());

            CreateStreamResponse created = data.client.createStream(samplesStream());
            long stream = created.getStreamId();
            long limit = created.getCredit().getBytesLimit();
            assertEquals(LIMITS.maxBufferedBytesPerStream(), limit, "first grant is one window");

            long[] after = {0};
            long sent = 0;
            long seq = 0;
            int grants = 0;
            List<Sample> batch = new ArrayList<>();
            long batchBytes = 0;
            for (int i = 0; i <= video.size(); i++) {
                boolean last = i == video.size();
                if (!last) {
                    EncodedSample s = video.get(i);
                    if (batchBytes + s.size() <= LIMITS.maxChunkBytes() && batch.size() < 4) {
                        batch.add(wire(s));
                        batchBytes += s.size();
                        continue;
                    }
                }
                // Never more in flight than granted: wait for credit first.
                while (sent + batchBytes > limit) {
                    Event credit = awaitEvent(events.client, after, EventKind.CREDIT, stream, 10_000);
                    if (credit.getCredit().getBytesLimit() > limit) {
                        limit = credit.getCredit().getBytesLimit();
                        grants++;
                    }
                }
                DataChunk chunk = new DataChunk(stream, ++seq)
                        .setSamples(new ArrayList<>(batch))
                        .setEndOfStream(last);
                PushResult r = data.client.pushData(chunk);
                assertEquals(seq, r.getAcceptedSeq());
                limit = Math.max(limit, r.getCredit().getBytesLimit());
                sent += batchBytes;
                batch.clear();
                batchBytes = 0;
                if (!last) {
                    EncodedSample s = video.get(i);
                    batch.add(wire(s));
                    batchBytes += s.size();
                }
            }
            assertTrue(grants >= 1, "the clip (" + sent + " B) needed credit beyond the first window: " + grants);
            awaitEvent(events.client, after, EventKind.END_OF_STREAM, stream, 20_000);

            RecordingVideoOutput.Recorder view = output.views.get(0);
            long deadline = System.currentTimeMillis() + 5000;
            while (view.numbers.size() < video.size() && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            List<Integer> expected = new ArrayList<>();
            for (int n = 0; n < video.size(); n++) {
                expected.add(n);
            }
            assertEquals(expected, view.numbers(), "every frame, in order, through " + transport);
            assertEquals(
                    new org.spiceoverlay.api.Rect(300, 250, 640, 360),
                    view.placements.get(0).videoRect());

            // geometry: newer applied, stale dropped
            assertTrue(data.client.setGeometry(stream, geometry(5)));
            assertFalse(data.client.setGeometry(stream, geometry(3)), "a stale update is dropped");

            data.client.control(stream, new ControlCommand(ControlAction.CLOSE));
            awaitEvent(events.client, after, EventKind.STREAM_CLOSED, stream, 5000);
            OverlayError gone = assertThrows(OverlayError.class, () -> data.client.setGeometry(stream, geometry(9)));
            assertEquals(ErrorCode.UNKNOWN_STREAM, gone.getCode());
        }
    }

    @Test
    void badCallsGetTypedErrorsAndTheConnectionStaysUsable(@TempDir Path dir) throws Exception {
        Endpoint endpoint = start("tcp", dir);
        try (Guest g = new Guest(endpoint)) {
            OverlayError early = assertThrows(OverlayError.class, () -> g.client.createStream(samplesStream()));
            assertEquals(ErrorCode.HELLO_REQUIRED, early.getCode());
            g.client.hello(hello());

            OverlayError unknown = assertThrows(OverlayError.class, () -> g.client.pushData(new DataChunk(99, 1)));
            assertEquals(ErrorCode.UNKNOWN_STREAM, unknown.getCode());

            OverlayError codec = assertThrows(
                    OverlayError.class,
                    () -> g.client.createStream(
                            samplesStream().setTracks(List.of(new TrackInfo(1, MediaKind.VIDEO, "video/x-made-up")))));
            assertEquals(ErrorCode.UNSUPPORTED_CODEC, codec.getCode());
            assertTrue(codec.getMessage().contains("video/x-made-up"), codec.getMessage());

            OverlayError display = assertThrows(
                    OverlayError.class,
                    () -> g.client.createStream(samplesStream()
                            .setGeometry(new Geometry(1, 7, 1024, 768, new IRect(0, 0, 10, 10), List.of()))));
            assertEquals(ErrorCode.UNKNOWN_DISPLAY, display.getCode());

            OverlayError rect = assertThrows(
                    OverlayError.class,
                    () -> g.client.createStream(samplesStream()
                            .setGeometry(new Geometry(1, 0, 1024, 768, new IRect(0, 0, -5, 10), List.of()))));
            assertEquals(ErrorCode.INVALID_ARGUMENT, rect.getCode());
            assertTrue(rect.getMessage().contains("geometry.videoRect.width"), rect.getMessage());

            for (long lead : new long[] {-1, 10_000_000_001L}) {
                OverlayError badLead = assertThrows(
                        OverlayError.class,
                        () -> g.client.createStream(samplesStream().setLeadNs(lead)));
                assertEquals(ErrorCode.INVALID_ARGUMENT, badLead.getCode());
                assertTrue(badLead.getMessage().contains("request.leadNs"), badLead.getMessage());
            }

            long stream = g.client.createStream(samplesStream()).getStreamId();
            OverlayError gap = assertThrows(
                    OverlayError.class,
                    () -> g.client.pushData(new DataChunk(stream, 5).setSamples(List.of(wire(video.get(0))))));
            assertEquals(ErrorCode.OUT_OF_SEQUENCE, gap.getCode());
            assertEquals(1, gap.getExpectedSeq());

            OverlayError bytes = assertThrows(
                    OverlayError.class, () -> g.client.pushData(new DataChunk(stream, 1).setBytes(new byte[16])));
            assertEquals(ErrorCode.INVALID_STATE, bytes.getCode());

            OverlayError big = assertThrows(
                    OverlayError.class,
                    () -> g.client.pushData(new DataChunk(stream, 1)
                            .setSamples(List.of(
                                    new Sample(1, java.nio.ByteBuffer.wrap(new byte[LIMITS.maxChunkBytes() + 1]))))));
            assertEquals(ErrorCode.LIMIT_EXCEEDED, big.getCode());

            // A paused stream stops consuming after its first picture: pushing on regardless runs
            // into the credit, and the chunk past it is refused whole.
            CreateStreamResponse paused = g.client.createStream(samplesStream().setStartPaused(true));
            long ps = paused.getStreamId();
            long granted = paused.getCredit().getBytesLimit();
            long sent = 0;
            OverlayError credit = null;
            for (int i = 0; i < video.size() && credit == null; i++) {
                byte[] data = video.get(i).toArray();
                try {
                    PushResult r = g.client.pushData(new DataChunk(ps, i + 1).setSamples(List.of(wire(video.get(i)))));
                    sent += data.length;
                    granted = r.getCredit().getBytesLimit();
                    assertTrue(sent <= granted, "accepted only within credit: sent " + sent + ", granted " + granted);
                } catch (OverlayError e) {
                    credit = e;
                    assertTrue(sent + data.length > granted, "refused only past the credit");
                }
            }
            assertTrue(
                    credit != null && credit.getCode() == ErrorCode.CREDIT_EXCEEDED,
                    "pushing past the credit is refused: " + credit);
            assertTrue(credit.getMessage().contains("credit"), credit.getMessage());
            // the connection still answers
            assertTrue(g.client.setGeometry(stream, geometry(2)));
        }
    }

    @Test
    void aDroppedConnectionReleasesItsStreams(@TempDir Path dir) throws Exception {
        Endpoint endpoint = start("tcp", dir);
        Guest g = new Guest(endpoint);
        g.client.hello(hello());
        g.client.createStream(samplesStream());
        assertEquals(1, service.streamCount());
        g.close();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (service.sessionCount() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(0, service.sessionCount(), "session released within 1 s");
        assertEquals(0, service.streamCount());
        assertTrue(output.views.get(0).closed, "its view closed");
    }
}
