package org.spiceoverlay.guest.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.transport.TMemoryBuffer;
import org.apache.thrift.transport.TTransport;
import org.apache.thrift.transport.layered.TFramedTransport;
import org.junit.jupiter.api.Test;
import org.spiceoverlay.api.thrift.DataChunk;
import org.spiceoverlay.api.thrift.Sample;
import org.spiceoverlay.api.transport.ChannelTransport;

/**
 * Frames leave the guest with the same bytes Thrift's framed transport writes; over a socket a large
 * write is kept by reference until the flush (copied once, into the frame) and small ones are copied
 * when written; a sample in direct memory is not copied at all.
 */
class DirectFramedTransportTest {

    private static byte[] filled(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    /** A message as TBinaryProtocol writes one: small field headers around large binaries. */
    private static void writeMessage(TTransport t, byte[] small, byte[] large, byte[] other) throws Exception {
        t.write(small, 0, small.length);
        t.write(large, 3, large.length - 3);
        t.write(small, 1, 2);
        t.write(other, 0, other.length);
        t.write(small, 0, small.length);
    }

    private static byte[] thriftsFrame(byte[] small, byte[] large, byte[] other) throws Exception {
        TMemoryBuffer sink = new TMemoryBuffer(1024);
        TFramedTransport framed = new TFramedTransport(sink);
        writeMessage(framed, small, large, other);
        framed.flush();
        return Arrays.copyOf(sink.getArray(), sink.length());
    }

    @Test
    void overASocketTheFrameIsThriftsAndALargeWriteIsNotCopied() throws Exception {
        byte[] small = filled(10, 1);
        byte[] large = filled(100_000, 2);
        byte[] other = filled(DirectFramedTransport.SHARE_AT, 3);
        byte[] expected = thriftsFrame(small, large, other);
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            try (SocketChannel client = SocketChannel.open(server.getLocalAddress());
                    SocketChannel peer = server.accept()) {
                DirectFramedTransport t = new DirectFramedTransport(new ChannelTransport(client), 1 << 20);
                writeMessage(t, small, large, other);
                // Changed after the write and before the flush: what leaves shows whether it was copied.
                large[10] ^= 0x55;
                expected[4 + small.length + 7] ^= 0x55;
                small[0] ^= 0x55;
                // Read while the frame is written: it may not fit the socket's buffers.
                CompletableFuture<byte[]> first = CompletableFuture.supplyAsync(() -> read(peer, expected.length));
                t.flush();
                assertArrayEquals(
                        expected,
                        first.get(10, TimeUnit.SECONDS),
                        "the large write went out from the caller's array, the small ones as they were written");

                CompletableFuture<byte[]> next = CompletableFuture.supplyAsync(() -> read(peer, expected.length));
                writeMessage(t, filled(10, 1), filled(100_000, 2), filled(DirectFramedTransport.SHARE_AT, 3));
                t.flush();
                assertArrayEquals(
                        thriftsFrame(filled(10, 1), filled(100_000, 2), filled(DirectFramedTransport.SHARE_AT, 3)),
                        next.get(10, TimeUnit.SECONDS),
                        "the next frame");
            }
        }
    }

    @Test
    void aSampleInDirectMemoryGoesToTheSocketFromWhereItIs() throws Exception {
        byte[] bytes = filled(50_000, 7);
        ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length + 16);
        direct.position(16);
        direct.put(bytes);
        direct.position(16); // the sample is the buffer's bytes from 16 on
        DataChunk chunk = new DataChunk(5, 9)
                .setSamples(
                        List.of(new Sample(1, direct).setPtsNs(40), new Sample(2, ByteBuffer.wrap(filled(300, 8)))));

        // What Thrift's own framed transport and binary protocol write, the data in an array.
        TMemoryBuffer sink = new TMemoryBuffer(1024);
        TFramedTransport framed = new TFramedTransport(sink);
        new DataChunk(5, 9)
                .setSamples(List.of(
                        new Sample(1, ByteBuffer.wrap(bytes.clone())).setPtsNs(40),
                        new Sample(2, ByteBuffer.wrap(filled(300, 8)))))
                .write(new TBinaryProtocol(framed));
        framed.flush();
        byte[] expected = Arrays.copyOf(sink.getArray(), sink.length());

        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            try (SocketChannel client = SocketChannel.open(server.getLocalAddress());
                    SocketChannel peer = server.accept()) {
                DirectFramedTransport t = new DirectFramedTransport(new ChannelTransport(client), 1 << 20);
                chunk.write(new DirectFramedTransport.Protocol(t));
                // Changed after the write and before the flush: the bytes leave from the buffer itself.
                direct.put(16 + 123, (byte) (direct.get(16 + 123) ^ 0x55));
                int at = indexOf(expected, bytes);
                expected[at + 123] ^= 0x55;
                CompletableFuture<byte[]> frame = CompletableFuture.supplyAsync(() -> read(peer, expected.length));
                t.flush();
                assertArrayEquals(expected, frame.get(10, TimeUnit.SECONDS), "Thrift's bytes, the sample not copied");
                assertEquals(16, direct.position(), "the caller's buffer position is left alone");
            }
        }
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int k = 0; k < needle.length; k++) {
                if (hay[i + k] != needle[k]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("the sample's bytes are not in the frame");
    }

    @Test
    void overAnotherTransportTheFrameIsAssembled() throws Exception {
        byte[] small = filled(3000, 4); // several small writes overflow the scratch array
        byte[] large = filled(70_000, 5);
        byte[] other = filled(5000, 6);
        TMemoryBuffer sink = new TMemoryBuffer(1024);
        DirectFramedTransport t = new DirectFramedTransport(sink, 1 << 20);
        writeMessage(t, small, large, other);
        t.flush();
        assertArrayEquals(thriftsFrame(small, large, other), Arrays.copyOf(sink.getArray(), sink.length()));
    }

    private static byte[] read(SocketChannel ch, int n) {
        ByteBuffer b = ByteBuffer.allocate(n);
        try {
            while (b.hasRemaining() && ch.read(b) >= 0) {
                // until the frame is in
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertEquals(n, b.position(), "bytes received");
        return b.array();
    }
}
