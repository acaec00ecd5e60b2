package org.spiceoverlay.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.thrift.TException;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.server.TServer;
import org.apache.thrift.server.TThreadPoolServer;
import org.apache.thrift.transport.TServerSocket;
import org.apache.thrift.transport.TSocket;
import org.apache.thrift.transport.TTransport;
import org.apache.thrift.transport.layered.TFramedTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.spiceoverlay.api.thrift.ClientLimits;
import org.spiceoverlay.api.thrift.CodecSupport;
import org.spiceoverlay.api.thrift.ControlCommand;
import org.spiceoverlay.api.thrift.CreateStreamRequest;
import org.spiceoverlay.api.thrift.CreateStreamResponse;
import org.spiceoverlay.api.thrift.DataChunk;
import org.spiceoverlay.api.thrift.ErrorCode;
import org.spiceoverlay.api.thrift.EventBatch;
import org.spiceoverlay.api.thrift.Geometry;
import org.spiceoverlay.api.thrift.HelloRequest;
import org.spiceoverlay.api.thrift.HelloResponse;
import org.spiceoverlay.api.thrift.MediaKind;
import org.spiceoverlay.api.thrift.OverlayError;
import org.spiceoverlay.api.thrift.OverlayService;
import org.spiceoverlay.api.thrift.ProtocolVersion;
import org.spiceoverlay.api.thrift.PushResult;
import org.spiceoverlay.api.thrift.SourceKind;

/**
 * hello over a real loopback socket: the generated Thrift code, framing, {@link HelloHandshake}
 * and typed errors, end to end.
 */
@Tag("integration")
class HelloLoopbackTest {

    private static final int MAX_FRAME = 1 << 20;
    private static final String TOKEN = "s3cret-token";

    private TServerSocket serverSocket;
    private TServer server;
    private Thread serverThread;
    private int port;

    /** Answers hello with {@link HelloHandshake}; the rest of the service is not part of this test. */
    private static final class HelloOnlyService implements OverlayService.Iface {
        private final HelloHandshake handshake = new HelloHandshake(TOKEN);

        @Override
        public HelloResponse hello(HelloRequest request) throws OverlayError {
            HelloHandshake.Accepted accepted = handshake.accept(request);
            ClientLimits limits = new ClientLimits(8, MAX_FRAME / 2, 4096, 4096, 64, 30_000, 1024, 8L << 20);
            return new HelloResponse(
                    accepted.version(),
                    "hello-test",
                    1L,
                    List.of(new CodecSupport(MediaKind.VIDEO, "video/x-h264")),
                    limits,
                    Set.of(SourceKind.PUSH_SAMPLES),
                    "token-for-" + accepted.displays().size() + "-displays");
        }

        private static OverlayError outOfScope() {
            return new OverlayError(ErrorCode.INVALID_STATE, "only hello is served by this test server");
        }

        @Override
        public void attach(String sessionToken, ProtocolVersion version) throws OverlayError {
            throw outOfScope();
        }

        @Override
        public void updateDisplays(List<org.spiceoverlay.api.thrift.GuestDisplay> displays) throws OverlayError {
            throw outOfScope();
        }

        @Override
        public CreateStreamResponse createStream(CreateStreamRequest request) throws OverlayError {
            throw outOfScope();
        }

        @Override
        public PushResult pushData(DataChunk chunk) throws OverlayError {
            throw outOfScope();
        }

        @Override
        public boolean setGeometry(long streamId, Geometry geometry) throws OverlayError {
            throw outOfScope();
        }

        @Override
        public void control(long streamId, ControlCommand command) throws OverlayError {
            throw outOfScope();
        }

        @Override
        public EventBatch pollEvents(long afterSeq, int timeoutMs, int maxEvents) throws OverlayError {
            throw outOfScope();
        }
    }

    @BeforeEach
    void startServer() throws Exception {
        serverSocket = new TServerSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        port = serverSocket.getServerSocket().getLocalPort();
        server = new TThreadPoolServer(new TThreadPoolServer.Args(serverSocket)
                .processor(new OverlayService.Processor<>(new HelloOnlyService()))
                .transportFactory(new TFramedTransport.Factory(MAX_FRAME))
                .protocolFactory(new TBinaryProtocol.Factory())
                .minWorkerThreads(1)
                .maxWorkerThreads(4));
        serverThread = new Thread(server::serve, "hello-test-server");
        serverThread.setDaemon(true);
        serverThread.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!server.isServing() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertTrue(server.isServing(), "server did not start");
    }

    @AfterEach
    void stopServer() throws InterruptedException {
        server.stop();
        serverSocket.close();
        serverThread.join(5000);
    }

    private TTransport connect() throws TException {
        TTransport t = new TFramedTransport(new TSocket("127.0.0.1", port, 5000), MAX_FRAME);
        t.open();
        return t;
    }

    private static HelloRequest hello(
            int major, int minor, String token, org.spiceoverlay.api.thrift.GuestDisplay... displays) {
        HelloRequest r =
                new HelloRequest(new ProtocolVersion(major, minor), List.of(displays)).setGuestName("test-player");
        if (token != null) {
            r.setAuthToken(token);
        }
        return r;
    }

    private static org.spiceoverlay.api.thrift.GuestDisplay display(int id, int w, int h) {
        return new org.spiceoverlay.api.thrift.GuestDisplay(id, w, h);
    }

    @Test
    void helloNegotiatesVersionAndAnswersCapabilities() throws TException {
        try (TTransport t = connect()) {
            OverlayService.Client client = new OverlayService.Client(new TBinaryProtocol(t));
            HelloResponse r = client.hello(hello(1, 0, TOKEN, display(0, 1024, 768), display(1, 1280, 1024)));
            assertEquals(new ProtocolVersion(1, 0), r.getVersion());
            assertEquals("hello-test", r.getClientName());
            assertEquals("video/x-h264", r.getDecoders().get(0).getCaps());
            assertEquals(8, r.getLimits().getMaxStreams());
            assertEquals("token-for-2-displays", r.getSessionToken());
        }
    }

    @Test
    void newerMinorFromGuestIsAnsweredWithOurs() throws TException {
        try (TTransport t = connect()) {
            OverlayService.Client client = new OverlayService.Client(new TBinaryProtocol(t));
            HelloResponse r = client.hello(hello(1, 7, TOKEN, display(0, 800, 600)));
            assertEquals(new ProtocolVersion(1, 0), r.getVersion());
        }
    }

    @Test
    void majorMismatchIsATypedErrorAndTheConnectionStaysUsable() throws TException {
        try (TTransport t = connect()) {
            OverlayService.Client client = new OverlayService.Client(new TBinaryProtocol(t));
            OverlayError e =
                    assertThrows(OverlayError.class, () -> client.hello(hello(2, 0, TOKEN, display(0, 1024, 768))));
            assertEquals(ErrorCode.VERSION_MISMATCH, e.getCode());
            assertTrue(e.getMessage().contains("guest speaks 2.0"), e.getMessage());
            assertTrue(e.getMessage().contains("client speaks 1.0"), e.getMessage());
            // the same connection answers a correct hello afterwards
            assertEquals(
                    1,
                    client.hello(hello(1, 0, TOKEN, display(0, 1024, 768)))
                            .getVersion()
                            .getMajor());
        }
    }

    @Test
    void wrongOrMissingTokenIsRefused() throws TException {
        try (TTransport t = connect()) {
            OverlayService.Client client = new OverlayService.Client(new TBinaryProtocol(t));
            OverlayError wrong =
                    assertThrows(OverlayError.class, () -> client.hello(hello(1, 0, "guess", display(0, 1024, 768))));
            assertEquals(ErrorCode.AUTH_FAILED, wrong.getCode());
            assertFalse(wrong.getMessage().contains(TOKEN), "the error must not leak the token");
            OverlayError missing =
                    assertThrows(OverlayError.class, () -> client.hello(hello(1, 0, null, display(0, 1024, 768))));
            assertEquals(ErrorCode.AUTH_FAILED, missing.getCode());
            assertTrue(missing.getMessage().contains("requires an auth token"), missing.getMessage());
        }
    }

    @Test
    void invalidDisplaysNameTheField() throws TException {
        try (TTransport t = connect()) {
            OverlayService.Client client = new OverlayService.Client(new TBinaryProtocol(t));
            OverlayError zero = assertThrows(
                    OverlayError.class,
                    () -> client.hello(hello(1, 0, TOKEN, display(0, 1024, 768), display(1, 0, 768))));
            assertEquals(ErrorCode.INVALID_ARGUMENT, zero.getCode());
            assertEquals("displays[1].width must be > 0, got 0", zero.getMessage());
            OverlayError none = assertThrows(OverlayError.class, () -> client.hello(hello(1, 0, TOKEN)));
            assertEquals(ErrorCode.INVALID_ARGUMENT, none.getCode());
            assertTrue(none.getMessage().contains("at least one display"), none.getMessage());
            OverlayError dup = assertThrows(
                    OverlayError.class,
                    () -> client.hello(hello(1, 0, TOKEN, display(3, 640, 480), display(3, 640, 480))));
            assertTrue(dup.getMessage().contains("displays[1].displayId 3"), dup.getMessage());
        }
    }

    @Test
    void oversizedFrameFromOnePeerDoesNotDisturbOthers() throws Exception {
        // A hostile peer announces a 2 GiB frame and sends junk: the server must drop that connection.
        try (Socket hostile = new Socket(InetAddress.getLoopbackAddress(), port)) {
            hostile.setSoTimeout(5000);
            OutputStream out = hostile.getOutputStream();
            out.write(new byte[] {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1, 2, 3, 4});
            out.flush();
            InputStream in = hostile.getInputStream();
            assertEquals(-1, in.read(), "server should close a connection that exceeds the frame limit");
        }
        try (TTransport t = connect()) {
            OverlayService.Client client = new OverlayService.Client(new TBinaryProtocol(t));
            assertEquals(
                    1,
                    client.hello(hello(1, 0, TOKEN, display(0, 1024, 768)))
                            .getVersion()
                            .getMajor());
        }
    }
}
