package org.spiceoverlay.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.spiceoverlay.api.PixelFormat;
import org.spiceoverlay.api.Rect;
import org.spiceoverlay.api.transport.Endpoint;
import org.spiceoverlay.bridge.service.ClientService;
import org.spiceoverlay.bridge.service.PtyPair;
import org.spiceoverlay.bridge.service.RecordingVideoOutput;
import org.spiceoverlay.bridge.service.ServiceLimits;
import org.spiceoverlay.engine.gst.GstMediaEngine;
import org.spiceoverlay.guest.proxy.GuestProxy;
import org.spiceoverlay.guest.proxy.GuestProxyOptions;
import org.spiceoverlay.media.ClipGenerator;
import org.spiceoverlay.media.SampleClip;
import org.spiceoverlay.samples.bench.OverlayJava;
import picocli.CommandLine;

/**
 * Two player apps (separate processes running {@code overlay play}) through one guest proxy, whose
 * channel to the client is a byte stream (a linked PTY pair, as a virtio-serial port is). One app is
 * killed mid-stream: the other's frames all arrive, in order; the killed app's stream is released on
 * the client within a second.
 */
@Timeout(180)
@Tag("integration")
class GuestProxyTest {

    private static final Rect RECT_A = new Rect(10, 10, 320, 180);
    private static final Rect RECT_B = new Rect(400, 300, 320, 180);

    @Test
    void anAppKilledMidStreamIsReleasedAndTheOtherLosesNothing(@TempDir Path dir) throws Exception {
        Path longClip = ClipGenerator.generate(SampleClip.VP8_480P, dir.resolve("a"), Duration.ofSeconds(20), false)
                .file();
        Path clip = ClipGenerator.generate(SampleClip.VP8_480P, dir.resolve("b"), Duration.ofSeconds(4), false)
                .file();

        RecordingVideoOutput output = new RecordingVideoOutput();
        List<Process> apps = new ArrayList<>();
        try (PtyPair pty = PtyPair.start(dir);
                ClientService service = new ClientService(
                        new GstMediaEngine(), output, ServiceLimits.DEFAULT, null, PixelFormat.I420, false)) {
            service.listen(pty.hostEndpoint());
            Endpoint appSocket = Endpoint.unix(dir.resolve("guest.sock"));
            try (GuestProxy proxy = GuestProxy.start(appSocket, pty.guestEndpoint(), GuestProxyOptions.DEFAULT)) {
                Process a = play(longClip, appSocket, RECT_A, dir.resolve("a.log"));
                apps.add(a);
                Process b = play(clip, appSocket, RECT_B, dir.resolve("b.log"));
                apps.add(b);

                RecordingVideoOutput.Recorder recA = awaitRecorder(output, RECT_A, dir.resolve("a.log"));
                awaitRecorder(output, RECT_B, dir.resolve("b.log"));
                awaitFrames(recA, 30, dir.resolve("a.log"));
                assertEquals(2, service.streamCount());
                assertEquals(4, proxy.connectionCount(), "two connections (data, events) per app through the proxy");

                // A misbehaving app: a frame claiming 2 GiB, then noise. The client refuses that
                // connection, the proxy closes it, and nobody else notices.
                try (java.nio.channels.SocketChannel junk =
                        java.nio.channels.SocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
                    junk.connect(java.net.UnixDomainSocketAddress.of(appSocket.path()));
                    java.nio.ByteBuffer bad = java.nio.ByteBuffer.allocate(4 + 4096);
                    new java.util.Random(1).nextBytes(bad.array());
                    bad.putInt(0, 0x7fffffff);
                    while (bad.hasRemaining()) {
                        junk.write(bad);
                    }
                    java.nio.ByteBuffer answer = java.nio.ByteBuffer.allocate(256);
                    int n = 0;
                    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                    while (n >= 0 && System.nanoTime() < until) {
                        n = junk.read(answer.clear());
                    }
                    assertEquals(-1, n, "the proxy closed the misbehaving app's connection");
                }

                a.destroyForcibly(); // SIGKILL: no goodbye from the app
                long killed = System.nanoTime();
                while ((service.streamCount() > 1 || !recA.closed)
                        && System.nanoTime() - killed < TimeUnit.SECONDS.toNanos(10)) {
                    Thread.sleep(2);
                }
                long releaseMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
                System.out.printf("killed app's stream released on the client %d ms after SIGKILL%n", releaseMs);
                assertEquals(1, service.streamCount(), "the killed app's stream is gone on the client");
                assertTrue(releaseMs <= 1000, "released " + releaseMs + " ms after the kill (limit 1000 ms)");
                assertTrue(recA.closed, "the killed app's stream view is closed");

                assertTrue(b.waitFor(60, TimeUnit.SECONDS), "app B finished");
                String logB = Files.readString(dir.resolve("b.log"));
                assertEquals(0, b.exitValue(), logB);
                assertTrue(logB.contains("the client played to the end"), logB);
                RecordingVideoOutput.Recorder recB = awaitRecorder(output, RECT_B, dir.resolve("b.log"));
                java.util.regex.Matcher sent =
                        java.util.regex.Pattern.compile("sent (\\d+) frames").matcher(logB);
                assertTrue(sent.find(), logB);
                int frames = Integer.parseInt(sent.group(1));
                assertEquals(4 * SampleClip.VP8_480P.framesPerSecond(), frames, "frames in app B's clip");
                List<Integer> expected = new ArrayList<>();
                for (int i = 0; i < frames; i++) {
                    expected.add(i);
                }
                assertEquals(expected, recB.numbers(), "app B's frames, every one in order, despite app A's death");
                assertEquals(0, proxy.connectionsRefused());
            }
        } finally {
            for (Process p : apps) {
                p.destroyForcibly();
            }
        }
    }

    @Test
    void theCommandRefusesEndpointsOfTheWrongKind() {
        StringWriter err = new StringWriter();
        CommandLine cl = OverlayCommand.commandLine();
        cl.setErr(new PrintWriter(err, true));
        assertEquals(2, cl.execute("guest-proxy", "--listen", "tcp:127.0.0.1:5000", "--connect", "serial:/dev/null"));
        assertTrue(err.toString().contains("listens for apps on unix:PATH"), err.toString());
        err.getBuffer().setLength(0);
        assertEquals(2, cl.execute("guest-proxy", "--listen", "unix:/tmp/x.sock", "--connect", "tcp:127.0.0.1:7390"));
        assertTrue(err.toString().contains("multiplexed"), err.toString());
        err.getBuffer().setLength(0);
        assertEquals(
                1,
                cl.execute(
                        "guest-proxy", "--listen", "unix:/tmp/x.sock", "--connect", "serial:/nonexistent/virtio-port"));
        assertTrue(err.toString().contains("no such byte-stream device"), err.toString());
    }

    private static Process play(Path clip, Endpoint endpoint, Rect rect, Path log) throws Exception {
        List<String> cmd = OverlayJava.command(
                List.of(),
                List.of(
                        "play",
                        clip.toString(),
                        "--connect",
                        endpoint.toString(),
                        "--rect",
                        rect.x() + "," + rect.y() + "," + rect.width() + "," + rect.height(),
                        "--seconds",
                        "60"));
        return new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    private static RecordingVideoOutput.Recorder awaitRecorder(RecordingVideoOutput output, Rect rect, Path log)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            for (RecordingVideoOutput.Recorder r : output.views) {
                if (!r.placements.isEmpty() && r.placements.get(0).videoRect().equals(rect)) {
                    return r;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no stream at " + rect + " reached the client; app log:\n" + Files.readString(log));
    }

    private static void awaitFrames(RecordingVideoOutput.Recorder r, int n, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (r.numbers.size() < n && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(r.numbers.size() >= n, "app's frames arriving; log:\n" + Files.readString(log));
    }
}
