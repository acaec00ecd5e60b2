package org.spiceoverlay.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.spiceoverlay.api.PixelFormat;
import org.spiceoverlay.engine.gst.GstMediaEngine;
import org.spiceoverlay.media.SampleClip;

/**
 * URI sources: off unless the policy allows the scheme and host; never local files; when allowed,
 * the client fetches and decodes the stream itself (here from a real HTTP server on loopback).
 */
@Tag("integration")
class UriSourceTest {

    private static SessionSpec uriSpec(String uri) {
        return SessionSpec.builder(SourceType.URI)
                .name("uri")
                .uri(uri)
                .pacing(Pacing.IMMEDIATE)
                .outputFormat(PixelFormat.I420)
                .build();
    }

    private static EngineErrorCode refusal(UriPolicy policy, String uri) {
        GstMediaEngine engine = new GstMediaEngine(policy);
        EngineException e = assertThrows(
                EngineException.class, () -> engine.open(uriSpec(uri), new FrameQueue(1), SessionListener.NONE));
        return e.code();
    }

    @Test
    void offByDefault() {
        assertEquals(EngineErrorCode.URI_NOT_ALLOWED, refusal(UriPolicy.denyAll(), "http://127.0.0.1/clip.mp4"));
    }

    @Test
    void hostileUrisAreRefusedWhateverThePolicy() {
        UriPolicy open = UriPolicy.allow(Set.of("http", "https"), Set.of("127.0.0.1", "*.example.com"));
        assertEquals(EngineErrorCode.URI_NOT_ALLOWED, refusal(open, "file:///etc/passwd"));
        assertEquals(EngineErrorCode.URI_NOT_ALLOWED, refusal(open, "FILE:///etc/shadow"));
        assertEquals(EngineErrorCode.URI_NOT_ALLOWED, refusal(open, "/etc/passwd"));
        assertEquals(EngineErrorCode.URI_NOT_ALLOWED, refusal(open, "v4l2:///dev/video0"));
        assertEquals(EngineErrorCode.URI_NOT_ALLOWED, refusal(open, "http://user:secret@127.0.0.1/x.mp4"));
        assertEquals(EngineErrorCode.URI_NOT_ALLOWED, refusal(open, "http://10.0.0.1/x.mp4"));
        assertEquals(EngineErrorCode.URI_NOT_ALLOWED, refusal(open, "http://example.com.evil.org/x.mp4"));
        assertEquals(EngineErrorCode.URI_NOT_ALLOWED, refusal(open, "rtsp://127.0.0.1/x"));
        assertEquals(EngineErrorCode.INVALID_ARGUMENT, refusal(open, "http://127.0.0.1/a b"));
        assertEquals(EngineErrorCode.INVALID_ARGUMENT, refusal(open, "http://127.0.0.1/" + "a".repeat(5000)));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> UriPolicy.allow(Set.of("file"), Set.of("localhost")));
        assertTrue(e.getMessage().contains("file"), e.getMessage());
    }

    @Test
    void subdomainWildcard() throws EngineException {
        UriPolicy p = UriPolicy.allow(Set.of("https"), Set.of("*.example.com"));
        assertEquals(
                "cdn.example.com", p.check("https://cdn.example.com/v.webm").getHost());
        EngineException bare = assertThrows(EngineException.class, () -> p.check("https://example.com/v.webm"));
        assertEquals(EngineErrorCode.URI_NOT_ALLOWED, bare.code());
    }

    @Test
    void allowedHttpStreamIsFetchedAndDecoded() throws Exception {
        byte[] clip = Files.readAllBytes(TestClips.get(SampleClip.VP8_480P));
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/clip.webm", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "video/webm");
            exchange.sendResponseHeaders(200, clip.length);
            try (var out = exchange.getResponseBody()) {
                out.write(clip);
            }
        });
        server.start();
        try {
            GstMediaEngine engine = new GstMediaEngine(UriPolicy.allow(Set.of("http"), Set.of("127.0.0.1")));
            String uri = "http://127.0.0.1:" + server.getAddress().getPort() + "/clip.webm";
            try (FrameQueue q = new FrameQueue(4);
                    DecodeSession s = engine.open(uriSpec(uri), q, SessionListener.NONE)) {
                List<FrameNumbers.Seen> seen = FrameNumbers.drain(q, 30);
                assertEquals(FrameNumbers.range(0, TestClips.frames(SampleClip.VP8_480P)), FrameNumbers.numbers(seen));
            }
        } finally {
            server.stop(0);
        }
    }

    @Test
    void unreachableAllowedUriIsATypedErrorNotAHang() throws Exception {
        // A port nobody listens on.
        int port;
        try (java.net.ServerSocket ss = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = ss.getLocalPort();
        }
        GstMediaEngine engine = new GstMediaEngine(UriPolicy.allow(Set.of("http"), Set.of("127.0.0.1")));
        List<EngineError> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (FrameQueue q = new FrameQueue(1);
                DecodeSession s =
                        engine.open(uriSpec("http://127.0.0.1:" + port + "/none.webm"), q, new SessionListener() {
                            @Override
                            public void onError(EngineError error) {
                                errors.add(error);
                            }
                        })) {
            assertEquals(FrameQueue.END, q.take(30, TimeUnit.SECONDS), "no frame, and the wait ends");
        }
        assertTrue(!errors.isEmpty() && errors.get(0).fatal(), errors.toString());
        assertEquals(
                EngineErrorCode.RESOURCE_UNAVAILABLE,
                errors.get(0).code(),
                errors.get(0).toString());
    }
}
