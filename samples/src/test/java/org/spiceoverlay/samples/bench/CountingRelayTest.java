package org.spiceoverlay.samples.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The relay against real sockets: a server that, per connection, reads everything its client sends
 * while sending back a number of random bytes the client names first. Counts and contents are
 * compared end to end; timings only as lower bounds.
 */
class CountingRelayTest {

    /** Reads a 4-byte count, sends that many random bytes while reading all the client sends, keeps what it read. */
    private static final class SinkSourceServer implements AutoCloseable {
        final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final Map<Integer, byte[]> received = new ConcurrentHashMap<>();
        final Map<Integer, byte[]> sent = new ConcurrentHashMap<>();
        final ExecutorService pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "sink-source");
            t.setDaemon(true);
            return t;
        });

        SinkSourceServer() throws IOException {
            pool.submit(() -> {
                while (!server.isClosed()) {
                    Socket s = server.accept();
                    pool.submit(() -> serve(s));
                }
                return null;
            });
        }

        private Void serve(Socket s) throws Exception {
            try (s) {
                InputStream in = s.getInputStream();
                int id = readInt(in);
                int count = readInt(in);
                byte[] data = new byte[count];
                new Random(id).nextBytes(data);
                sent.put(id, data);
                Future<?> writer = pool.submit(() -> {
                    OutputStream out = s.getOutputStream();
                    out.write(data);
                    out.flush();
                    return null;
                });
                received.put(id, in.readAllBytes());
                writer.get(60, TimeUnit.SECONDS);
                // The client sees the end of its stream only now, once what it sent is recorded.
                s.shutdownOutput();
            }
            return null;
        }

        InetSocketAddress address() {
            return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
        }

        @Override
        public void close() throws IOException {
            server.close();
            pool.shutdownNow();
        }
    }

    private static int readInt(InputStream in) throws IOException {
        byte[] b = in.readNBytes(4);
        return ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    }

    private static byte[] intBytes(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    /** One client: sends its id, the count it wants back, then {@code send} bytes; returns what came back. */
    private static byte[] exchange(InetSocketAddress to, int id, byte[] send, int want) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(to, 5000);
            ExecutorService w = Executors.newSingleThreadExecutor();
            try {
                Future<?> writing = w.submit(() -> {
                    OutputStream out = s.getOutputStream();
                    out.write(intBytes(id));
                    out.write(intBytes(want));
                    out.write(send);
                    out.flush();
                    s.shutdownOutput();
                    return null;
                });
                ByteArrayOutputStream back = new ByteArrayOutputStream();
                s.getInputStream().transferTo(back);
                writing.get(60, TimeUnit.SECONDS);
                return back.toByteArray();
            } finally {
                w.shutdownNow();
            }
        }
    }

    private static void relaysExactly(WanLink link) throws Exception {
        try (SinkSourceServer server = new SinkSourceServer();
                CountingRelay relay = CountingRelay.start(server.address(), link)) {
            Random r = new Random(42);
            int n = 5;
            List<byte[]> sends = new ArrayList<>();
            int[] wants = new int[n];
            long up = 0;
            long down = 0;
            for (int i = 0; i < n; i++) {
                byte[] b = new byte[r.nextInt(300_000)];
                r.nextBytes(b);
                sends.add(b);
                wants[i] = r.nextInt(300_000);
                up += 8 + b.length;
                down += wants[i];
            }
            ExecutorService clients = Executors.newFixedThreadPool(n);
            try {
                List<Future<byte[]>> backs = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    int id = i;
                    backs.add(clients.submit(() -> exchange(relay.address(), id, sends.get(id), wants[id])));
                }
                for (int i = 0; i < n; i++) {
                    byte[] back = backs.get(i).get(60, TimeUnit.SECONDS);
                    assertArrayEquals(server.sent.get(i), back, "bytes back on connection " + i);
                }
            } finally {
                clients.shutdownNow();
            }
            for (int i = 0; i < n; i++) {
                assertArrayEquals(sends.get(i), server.received.get(i), "bytes through on connection " + i);
            }
            assertEquals(n, relay.connections());
            assertEquals(up, relay.bytesToTarget(), relay.toString());
            assertEquals(down, relay.bytesFromTarget(), relay.toString());
        }
    }

    @Test
    void countsEveryByteBothWaysOverSeveralConnections() throws Exception {
        relaysExactly(WanLink.NONE);
    }

    @Test
    void countsEveryByteWithAnEmulatedLink() throws Exception {
        relaysExactly(new WanLink(TimeUnit.MILLISECONDS.toNanos(20), 200_000_000L));
    }

    @Test
    void aRoundTripTakesAtLeastTheRtt() throws Exception {
        try (ServerSocket echo = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
                CountingRelay relay = CountingRelay.start(
                        new InetSocketAddress(echo.getInetAddress(), echo.getLocalPort()),
                        new WanLink(TimeUnit.MILLISECONDS.toNanos(60), 0))) {
            Thread server = new Thread(
                    () -> {
                        try (Socket s = echo.accept()) {
                            s.getInputStream().transferTo(s.getOutputStream());
                        } catch (IOException e) {
                            // the test fails on the client side
                        }
                    },
                    "echo");
            server.setDaemon(true);
            server.start();
            try (Socket s = new Socket()) {
                s.setTcpNoDelay(true);
                s.connect(relay.address(), 5000);
                for (int i = 0; i < 3; i++) {
                    long t0 = System.nanoTime();
                    s.getOutputStream().write(i);
                    assertEquals(i, s.getInputStream().read());
                    long rtt = System.nanoTime() - t0;
                    assertTrue(rtt >= TimeUnit.MILLISECONDS.toNanos(60), "round trip " + rtt / 1e6 + " ms");
                }
            }
        }
    }

    @Test
    void aBandwidthCapSlowsATransferToItsRate() throws Exception {
        long bps = 20_000_000L;
        try (SinkSourceServer server = new SinkSourceServer();
                CountingRelay relay = CountingRelay.start(server.address(), new WanLink(0, bps))) {
            byte[] mb = new byte[1_000_000];
            new Random(7).nextBytes(mb);
            long t0 = System.nanoTime();
            exchange(relay.address(), 1, mb, 0);
            // The client is done once its socket took the bytes; the server, once they all arrived.
            while (!server.received.containsKey(1) && System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(60)) {
                Thread.sleep(1);
            }
            long took = System.nanoTime() - t0;
            long atLeast = (long) ((mb.length + 8) * 8e9 / bps);
            assertTrue(took >= atLeast, "1 MB at 20 Mbit/s took " + took / 1e6 + " ms, at least " + atLeast / 1e6);
            assertArrayEquals(mb, server.received.get(1));
        }
    }

    @Test
    void parsesRttAndBandwidth() {
        assertEquals(30_000_000L, WanLink.parseRtt("30ms"));
        assertEquals(100_000_000L, WanLink.parseRtt("0.1s"));
        assertEquals(0, WanLink.parseRtt("0"));
        assertEquals(20_000_000L, WanLink.parseBandwidth("20mbit"));
        assertEquals(512_000L, WanLink.parseBandwidth("512kbit"));
        assertEquals(1_000_000_000L, WanLink.parseBandwidth("1Gbit"));
        assertEquals(0, WanLink.parseBandwidth("0"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WanLink.parseRtt("30"));
        assertTrue(e.getMessage().contains("give a unit, ms or s"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> WanLink.parseRtt("30us"));
        assertTrue(e.getMessage().contains("unknown unit \"us\""), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> WanLink.parseBandwidth("fast"));
        assertTrue(e.getMessage().contains("--bandwidth fast is not a rate such as 20mbit"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> WanLink.parseBandwidth("20mb"));
        assertTrue(e.getMessage().contains("unknown unit \"mb\""), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new WanLink(-1, 0));
    }
}
