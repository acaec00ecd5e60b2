package org.spiceoverlay.api.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mux over a real kernel byte stream (a connected Unix socket pair): data integrity and order
 * per connection, per-connection flow control and isolation, limits, and recovery from a restarted
 * or garbled other end, the latter written byte for byte as it appears on the wire.
 */
@Timeout(60)
class ByteStreamMuxTest {

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();
    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        pool.shutdownNow();
    }

    /** Two connected sockets: a byte stream with an end for each side. */
    private SocketChannel[] socketPair() throws IOException {
        Path p = dir.resolve("pair-" + open.size() + ".sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(p));
            SocketChannel a = SocketChannel.open(StandardProtocolFamily.UNIX);
            a.connect(UnixDomainSocketAddress.of(p));
            SocketChannel b = server.accept();
            open.add(a);
            open.add(b);
            return new SocketChannel[] {a, b};
        }
    }

    private ByteStreamMux start(
            SocketChannel ch, ByteStreamMux.Side side, MuxOptions options, BlockingQueue<MuxChannel> accepted) {
        ByteStreamMux m = ByteStreamMux.start(
                ByteStream.of(ch, side.name().toLowerCase()), side, options, accepted == null ? null : accepted::add);
        open.add(m);
        return m;
    }

    private static byte[] random(long seed, int n) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static byte[] readExactly(InputStream in, int n) throws IOException {
        byte[] b = new byte[n];
        new DataInputStream(in).readFully(b);
        return b;
    }

    @Test
    void manyConnectionsCarryTheirBytesIntactAndInOrderBothWays() throws Exception {
        SocketChannel[] pair = socketPair();
        BlockingQueue<MuxChannel> accepted = new LinkedBlockingQueue<>();
        ByteStreamMux host = start(pair[0], ByteStreamMux.Side.HOST, MuxOptions.DEFAULT, accepted);
        ByteStreamMux guest = start(pair[1], ByteStreamMux.Side.GUEST, MuxOptions.DEFAULT, null);
        int n = 8;
        int size = 3 << 20;
        List<Future<?>> work = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            int i = c;
            MuxChannel g = guest.open("app " + i);
            MuxChannel h = accepted.poll(10, TimeUnit.SECONDS);
            assertEquals("app " + i, h.label());
            byte[] up = random(i, size);
            byte[] down = random(1000 + i, size);
            // each direction written in uneven pieces, concurrently with all the others
            work.add(pool.submit(() -> writeInPieces(g.output(), up, i)));
            work.add(pool.submit(() -> writeInPieces(h.output(), down, i + 7)));
            work.add(pool.submit(() -> {
                assertArrayEquals(up, readExactly(h.input(), size), "guest to host on connection " + i);
                return null;
            }));
            work.add(pool.submit(() -> {
                assertArrayEquals(down, readExactly(g.input(), size), "host to guest on connection " + i);
                return null;
            }));
        }
        for (Future<?> f : work) {
            f.get(50, TimeUnit.SECONDS);
        }
        assertEquals(n, guest.channelCount());
        assertEquals(n, host.channelCount());
        assertEquals(0, host.resets());
    }

    private static Void writeInPieces(OutputStream out, byte[] data, int seed) throws IOException {
        Random r = new Random(seed);
        int off = 0;
        while (off < data.length) {
            int k = Math.min(data.length - off, 1 + r.nextInt(200_000));
            out.write(data, off, k);
            if (r.nextBoolean()) {
                out.flush();
            }
            off += k;
        }
        out.flush();
        return null;
    }

    @Test
    void aConnectionWhoseReaderStallsHoldsBackOnlyItselfAndNeverMoreThanItsWindow() throws Exception {
        SocketChannel[] pair = socketPair();
        BlockingQueue<MuxChannel> accepted = new LinkedBlockingQueue<>();
        MuxOptions options = MuxOptions.DEFAULT.withWindowBytes(256 << 10);
        start(pair[0], ByteStreamMux.Side.HOST, options, accepted);
        ByteStreamMux guest = start(pair[1], ByteStreamMux.Side.GUEST, options, null);
        MuxChannel stalled = guest.open("stalled");
        MuxChannel stalledAtHost = accepted.poll(10, TimeUnit.SECONDS);
        MuxChannel busy = guest.open("busy");
        MuxChannel busyAtHost = accepted.poll(10, TimeUnit.SECONDS);

        AtomicLong stalledWritten = new AtomicLong();
        pool.submit(() -> {
            byte[] chunk = new byte[16 << 10];
            while (true) {
                stalled.output().write(chunk);
                stalled.output().flush();
                stalledWritten.addAndGet(chunk.length);
            }
        });
        byte[] data = random(5, 16 << 20);
        Future<?> w = pool.submit(() -> writeInPieces(busy.output(), data, 3));
        assertArrayEquals(
                data,
                readExactly(busyAtHost.input(), data.length),
                "the busy connection's 16 MiB while the other connection's reader stalls");
        w.get(10, TimeUnit.SECONDS);

        // The stalled writer stopped at the window: the host holds no more than that unread.
        Thread.sleep(200);
        long written = stalledWritten.get();
        assertTrue(written <= 256 << 10, "stalled connection wrote " + written + " bytes past a 256 KiB window");
        assertEquals(
                written, stalledAtHost.input().available(), "bytes buffered at the host for the stalled connection");
        assertTrue(written >= 128 << 10, "the stalled writer got its window's worth through, wrote " + written);

        // Reading frees the window and the writer moves on.
        readExactly(stalledAtHost.input(), (int) written);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (stalledWritten.get() <= written && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(stalledWritten.get() > written, "writing resumed once the reader consumed");
    }

    @Test
    void closingAConnectionIsEndOfStreamAtTheOtherEndAfterTheBufferedBytes() throws Exception {
        SocketChannel[] pair = socketPair();
        BlockingQueue<MuxChannel> accepted = new LinkedBlockingQueue<>();
        ByteStreamMux host = start(pair[0], ByteStreamMux.Side.HOST, MuxOptions.DEFAULT, accepted);
        ByteStreamMux guest = start(pair[1], ByteStreamMux.Side.GUEST, MuxOptions.DEFAULT, null);
        MuxChannel g = guest.open("app");
        MuxChannel h = accepted.poll(10, TimeUnit.SECONDS);
        g.output().write("last words".getBytes(StandardCharsets.UTF_8));
        g.output().flush();
        g.close();
        assertEquals("last words", new String(h.input().readAllBytes(), StandardCharsets.UTF_8));
        IOException e = assertThrows(IOException.class, () -> {
            h.output().write(new byte[10]);
            h.output().flush();
        });
        assertTrue(e.getMessage().contains("is closed"), e.getMessage());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (host.channelCount() + guest.channelCount() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(0, host.channelCount());
        assertEquals(0, guest.channelCount());
    }

    @Test
    void refusalsComeBackWithTheirReason() throws Exception {
        SocketChannel[] pair = socketPair();
        BlockingQueue<MuxChannel> accepted = new LinkedBlockingQueue<>();
        start(pair[0], ByteStreamMux.Side.HOST, MuxOptions.DEFAULT.withMaxChannels(2), accepted);
        ByteStreamMux guest = start(pair[1], ByteStreamMux.Side.GUEST, MuxOptions.DEFAULT, null);
        guest.open("one");
        guest.open("two");
        IOException full = assertThrows(IOException.class, () -> guest.open("three"));
        assertTrue(
                full.getMessage().contains("too many connections")
                        && full.getMessage().contains("max 2"),
                full.getMessage());

        SocketChannel[] pair2 = socketPair();
        ByteStreamMux noAcceptor = start(pair2[0], ByteStreamMux.Side.HOST, MuxOptions.DEFAULT, null);
        ByteStreamMux guest2 = start(pair2[1], ByteStreamMux.Side.GUEST, MuxOptions.DEFAULT, null);
        IOException refused = assertThrows(IOException.class, () -> guest2.open("x"));
        assertTrue(refused.getMessage().contains("accepts no connections"), refused.getMessage());
        assertTrue(noAcceptor.isAlive());
    }

    @Test
    void openingWithNobodyAtTheOtherEndSaysSo() throws Exception {
        SocketChannel[] pair = socketPair();
        ByteStreamMux guest =
                start(pair[1], ByteStreamMux.Side.GUEST, MuxOptions.DEFAULT.withTimings(2000, 10_000, 100, 300), null);
        IOException e = assertThrows(IOException.class, () -> guest.open("app"));
        assertTrue(e.getMessage().contains("no answer") && e.getMessage().contains("attached"), e.getMessage());
        // It kept announcing itself meanwhile: several HELLO frames are waiting on the wire.
        ByteBuffer first = ByteBuffer.allocate(MuxWire.HEADER_BYTES);
        pair[0].read(first);
        assertEquals(MuxWire.MAGIC, first.getInt(0));
        assertEquals(MuxWire.HELLO, first.get(4));
    }

    @Test
    void theOtherEndFailingEndsEveryConnectionWithTheReason() throws Exception {
        SocketChannel[] pair = socketPair();
        BlockingQueue<MuxChannel> accepted = new LinkedBlockingQueue<>();
        ByteStreamMux host = start(pair[0], ByteStreamMux.Side.HOST, MuxOptions.DEFAULT, accepted);
        ByteStreamMux guest = start(pair[1], ByteStreamMux.Side.GUEST, MuxOptions.DEFAULT, null);
        MuxChannel g = guest.open("app");
        accepted.poll(10, TimeUnit.SECONDS);
        host.close();
        IOException e = assertThrows(IOException.class, () -> g.input().read());
        assertTrue(e.getMessage().contains("other end closed"), e.getMessage());
        guest.awaitTermination();
        assertFalse(guest.isAlive());
    }

    // ---- the other end written by hand: restarts, garbage, misbehaviour ---------------------------

    /** The other end of a guest mux, speaking the wire format directly. */
    private static final class RawPeer {
        final SocketChannel ch;
        final DataInputStream in;

        RawPeer(SocketChannel ch) {
            this.ch = ch;
            this.in = new DataInputStream(java.nio.channels.Channels.newInputStream(ch));
        }

        void send(byte[] bytes) throws IOException {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                ch.write(b);
            }
        }

        void hello(long instance, int generation, int flags) throws IOException {
            ByteBuffer p = ByteBuffer.allocate(MuxWire.HELLO_BYTES);
            p.putShort((short) 1)
                    .putShort((short) flags)
                    .putLong(instance)
                    .putInt(generation)
                    .putInt(1 << 20)
                    .putInt(64 << 10);
            CRC32 crc = new CRC32();
            crc.update(p.array(), 0, 24);
            p.putInt((int) crc.getValue());
            send(MuxWire.frame(MuxWire.HELLO, flags, 0, p.array()));
        }

        /** Reads frames until one of the given type; returns {id, payload length} and the payload. */
        byte[] expect(int type, int[] idOut) throws IOException {
            while (true) {
                assertEquals(MuxWire.MAGIC, in.readInt(), "frame magic");
                int t = in.readUnsignedByte();
                in.readUnsignedByte();
                in.readUnsignedShort();
                int id = in.readInt();
                byte[] payload = new byte[in.readInt()];
                in.readFully(payload);
                if (t == type) {
                    if (idOut != null) {
                        idOut[0] = id;
                    }
                    return payload;
                }
            }
        }
    }

    /** A guest mux whose other end is a raw peer that has said hello. */
    private RawPeer connectedRawPeer(SocketChannel[] pair, ByteStreamMux guest, long instance) throws Exception {
        RawPeer peer = new RawPeer(pair[0]);
        peer.expect(MuxWire.HELLO, null);
        peer.hello(instance, 1, 0);
        assertTrue(guest.awaitPeer(10, TimeUnit.SECONDS));
        return peer;
    }

    private static MuxChannel openAgainst(ByteStreamMux guest, RawPeer peer) throws Exception {
        CompletableFuture<MuxChannel> f = CompletableFuture.supplyAsync(() -> {
            try {
                return guest.open("app");
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        int[] id = new int[1];
        peer.expect(MuxWire.OPEN, id);
        assertEquals(1, id[0] & 1, "guest ids are odd");
        peer.send(MuxWire.frame(MuxWire.OPEN_OK, 0, id[0], new byte[0]));
        return f.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aRestartedOtherEndResetsEveryConnectionAndNewOnesWork() throws Exception {
        SocketChannel[] pair = socketPair();
        ByteStreamMux guest = start(pair[1], ByteStreamMux.Side.GUEST, MuxOptions.DEFAULT, null);
        RawPeer peer = connectedRawPeer(pair, guest, 42);
        MuxChannel before = openAgainst(guest, peer);

        peer.hello(43, 1, MuxWire.FLAG_REPLY); // a new instance: the client service restarted
        IOException e = assertThrows(IOException.class, () -> before.input().read());
        assertTrue(e.getMessage().contains("the other end restarted"), e.getMessage());
        assertEquals(1, guest.resets());
        peer.expect(MuxWire.HELLO, null); // the reply it asked for

        MuxChannel after = openAgainst(guest, peer);
        peer.send(MuxWire.frame(MuxWire.DATA, 0, after.id(), "hi".getBytes(StandardCharsets.UTF_8)));
        assertEquals("hi", new String(readExactly(after.input(), 2), StandardCharsets.UTF_8));
    }

    @Test
    void repeatedAnnouncementsOfTheSameEndResetNothing() throws Exception {
        SocketChannel[] pair = socketPair();
        ByteStreamMux guest = start(pair[1], ByteStreamMux.Side.GUEST, MuxOptions.DEFAULT, null);
        RawPeer peer = connectedRawPeer(pair, guest, 42);
        MuxChannel ch = openAgainst(guest, peer);
        peer.hello(42, 1, MuxWire.FLAG_REPLY);
        peer.hello(42, 1, 0);
        peer.send(MuxWire.frame(MuxWire.DATA, 0, ch.id(), new byte[] {7}));
        assertEquals(7, ch.input().read());
        assertEquals(0, guest.resets());
    }

    @Test
    void garbageOnTheStreamResetsTheConnectionsAndSyncIsRegainedAtTheNextHello() throws Exception {
        SocketChannel[] pair = socketPair();
        ByteStreamMux guest = start(pair[1], ByteStreamMux.Side.GUEST, MuxOptions.DEFAULT, null);
        RawPeer peer = connectedRawPeer(pair, guest, 42);
        MuxChannel before = openAgainst(guest, peer);

        // Half a frame and noise, as a peer dying mid-write and a new one starting leave it.
        byte[] partial = MuxWire.frame(MuxWire.DATA, 0, before.id(), new byte[1000]);
        peer.send(java.util.Arrays.copyOf(partial, 300));
        peer.send(random(9, 5000));
        IOException e = assertThrows(IOException.class, () -> before.input().readAllBytes());
        assertTrue(e.getMessage().contains("lost frame sync"), e.getMessage());

        // The guest announces a new generation and asks for an answer; once it comes, all works again.
        peer.expect(MuxWire.HELLO, null);
        peer.hello(44, 1, 0);
        assertTrue(guest.awaitPeer(10, TimeUnit.SECONDS));
        MuxChannel after = openAgainst(guest, peer);
        peer.send(MuxWire.frame(MuxWire.DATA, 0, after.id(), new byte[] {1, 2, 3}));
        assertArrayEquals(new byte[] {1, 2, 3}, readExactly(after.input(), 3));
        assertTrue(guest.isAlive());
    }

    @Test
    void sendingPastTheWindowClosesThatConnectionOnly() throws Exception {
        SocketChannel[] pair = socketPair();
        MuxOptions options = MuxOptions.DEFAULT.withWindowBytes(64 << 10);
        ByteStreamMux guest = start(pair[1], ByteStreamMux.Side.GUEST, options, null);
        RawPeer peer = connectedRawPeer(pair, guest, 42);
        MuxChannel greedy = openAgainst(guest, peer);
        MuxChannel polite = openAgainst(guest, peer);
        byte[] chunk = new byte[32 << 10];
        for (int i = 0; i < 3; i++) { // 96 KiB into a 64 KiB window nobody reads
            peer.send(MuxWire.frame(MuxWire.DATA, 0, greedy.id(), chunk));
        }
        int[] id = new int[1];
        byte[] reason = peer.expect(MuxWire.CLOSE, id);
        assertEquals(greedy.id(), id[0]);
        assertTrue(
                new String(reason, StandardCharsets.UTF_8).contains("window"),
                new String(reason, StandardCharsets.UTF_8));
        peer.send(MuxWire.frame(MuxWire.DATA, 0, polite.id(), new byte[] {9}));
        assertEquals(9, polite.input().read(), "the other connection still works");
        assertFalse(greedy.isOpen());
    }

    @Test
    void silenceFromTheOtherEndResetsTheConnectionsAndAnnouncesAgain() throws Exception {
        SocketChannel[] pair = socketPair();
        MuxOptions options = MuxOptions.DEFAULT.withTimings(100, 600, 50, 5_000);
        ByteStreamMux guest = start(pair[1], ByteStreamMux.Side.GUEST, options, null);
        RawPeer peer = connectedRawPeer(pair, guest, 42);
        MuxChannel ch = openAgainst(guest, peer);
        // The raw peer answers no pings from now on.
        IOException e = assertThrows(IOException.class, () -> ch.input().read());
        assertTrue(e.getMessage().contains("no answer from the other end"), e.getMessage());
        assertFalse(guest.isPeerConnected());
        assertTrue(guest.isAlive(), "the stream itself stays open for the other end's return");
    }
}
