package org.spiceoverlay.guest.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import org.apache.thrift.TException;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.transport.TTransport;
import org.apache.thrift.transport.TTransportException;
import org.apache.thrift.transport.layered.TFramedTransport;
import org.spiceoverlay.api.transport.ChannelTransport;

/**
 * Thrift's framed transport, with a sample's bytes copied at most once on their way to the socket,
 * and not at all when they are in native memory. Thrift's own
 * {@link TFramedTransport} copies every byte of a message into a heap frame buffer that starts at
 * 1 KiB, doubles as it fills (copying what it holds each time) and shrinks back after each frame, and
 * the JDK then copies that heap buffer into a temporary direct buffer for the socket: a sample's bytes
 * were copied about three times. Here a write of {@link #SHARE_AT} bytes or more (a sample's data or a
 * chunk of container bytes, written from the caller's array) is kept by reference; smaller writes
 * (field headers, numbers, short strings) are copied into a scratch array; {@link #flush()} copies the
 * 4-byte length and every piece held in a heap array into one direct buffer, kept for the
 * connection's next frames, and writes the socket from it. A sample in a direct buffer (the demuxer's mapped memory), which
 * {@link Protocol} hands over by {@link #writeShared}, is not copied at all: the socket is written
 * from the direct frame buffer and those buffers together, in one gathering write. The bytes on the
 * wire are the same; reading is {@link TFramedTransport}'s. Over a transport that is not a socket
 * (the multiplexer) the frame is assembled into one heap array of its exact size instead.
 *
 * <p>An array or buffer written here must stay unchanged until the {@code flush()} that ends its message,
 * which the guest library's callers guarantee (a sample's bytes are left alone until its send
 * returns). Not thread-safe, like every Thrift transport: one caller at a time.
 */
final class DirectFramedTransport extends TFramedTransport {

    /** Writes at least this long are kept by reference until the flush, not copied on arrival. */
    static final int SHARE_AT = 4096;

    private static final int SCRATCH_BYTES = 8192;
    /** The direct frame buffer grows in steps of this. */
    private static final int FRAME_STEP = 64 * 1024;

    private final SocketChannel channel; // null: not a socket, frames are assembled
    private final List<ByteBuffer> pieces = new ArrayList<>();
    private final byte[] header = new byte[4];
    private byte[] scratch = new byte[SCRATCH_BYTES];
    private int scratchUsed;
    private int runStart; // where the small writes not yet in pieces start in scratch
    private long frameBytes;
    private ByteBuffer direct; // the socket is written from it; grows to the largest frame sent

    DirectFramedTransport(TTransport inner, int maxFrameBytes) throws TTransportException {
        super(inner, maxFrameBytes);
        this.channel = inner instanceof ChannelTransport c ? c.channel() : null;
    }

    @Override
    public void write(byte[] buf, int off, int len) throws TTransportException {
        if (len >= SHARE_AT) {
            writeShared(ByteBuffer.wrap(buf, off, len));
            return;
        }
        if (scratchUsed + len > scratch.length) {
            endRun();
            scratch = new byte[SCRATCH_BYTES]; // the pieces keep the full one until the flush
            scratchUsed = 0;
            runStart = 0;
        }
        System.arraycopy(buf, off, scratch, scratchUsed, len);
        scratchUsed += len;
        frameBytes += len;
    }

    /**
     * Keeps {@code bytes} (position to limit) by reference until the flush; the caller leaves the
     * buffer's position alone meanwhile. A direct buffer is written to the socket from where it is.
     */
    void writeShared(ByteBuffer bytes) {
        endRun();
        frameBytes += bytes.remaining();
        pieces.add(bytes);
    }

    /** Closes the run of small writes into a piece. */
    private void endRun() {
        if (scratchUsed > runStart) {
            pieces.add(ByteBuffer.wrap(scratch, runStart, scratchUsed - runStart));
            runStart = scratchUsed;
        }
    }

    /** The direct buffer, cleared, with room for {@code n} bytes. */
    private ByteBuffer directFrame(int n) {
        if (direct == null || direct.capacity() < n) {
            long size = ((long) n + FRAME_STEP - 1) / FRAME_STEP * FRAME_STEP;
            direct = ByteBuffer.allocateDirect((int) Math.min(Integer.MAX_VALUE, size));
        }
        return direct.clear();
    }

    /**
     * Writes the frame to the socket: heap pieces (the header, the small writes, samples in arrays)
     * copied into the direct frame buffer, direct pieces as they are, all in one gathering write.
     */
    private void writeGathered(ByteBuffer[] pieces) throws IOException {
        int staged = 0;
        for (ByteBuffer b : pieces) {
            staged += b.isDirect() ? 0 : b.remaining();
        }
        ByteBuffer frame = directFrame(staged);
        List<ByteBuffer> out = new ArrayList<>();
        int runFrom = 0;
        long total = 0;
        for (ByteBuffer b : pieces) {
            total += b.remaining();
            if (b.isDirect()) {
                if (frame.position() > runFrom) {
                    out.add(frame.slice(runFrom, frame.position() - runFrom));
                    runFrom = frame.position();
                }
                out.add(b.duplicate());
            } else {
                frame.put(b.duplicate());
            }
        }
        if (frame.position() > runFrom) {
            out.add(frame.slice(runFrom, frame.position() - runFrom));
        }
        ByteBuffer[] gathered = out.toArray(new ByteBuffer[0]);
        while (total > 0) {
            total -= channel.write(gathered);
        }
    }

    @Override
    public void flush() throws TTransportException {
        endRun();
        try {
            if (frameBytes > Integer.MAX_VALUE) {
                throw new TTransportException(
                        TTransportException.UNKNOWN, "a frame of " + frameBytes + " bytes does not fit the framing");
            }
            encodeFrameSize((int) frameBytes, header);
            ByteBuffer[] out = new ByteBuffer[pieces.size() + 1];
            out[0] = ByteBuffer.wrap(header);
            for (int i = 0; i < pieces.size(); i++) {
                out[i + 1] = pieces.get(i);
            }
            if (channel != null) {
                writeGathered(out);
            } else {
                byte[] frame = new byte[header.length + (int) frameBytes];
                int at = 0;
                for (ByteBuffer b : out) {
                    int n = b.remaining();
                    b.duplicate().get(frame, at, n);
                    at += n;
                }
                getInnerTransport().write(frame, 0, frame.length);
            }
            getInnerTransport().flush();
        } catch (IOException e) {
            throw new TTransportException(TTransportException.UNKNOWN, e);
        } finally {
            pieces.clear();
            frameBytes = 0;
            scratchUsed = 0;
            runStart = 0;
        }
    }

    /**
     * Thrift's binary protocol, handing binary fields to a {@link DirectFramedTransport} by reference:
     * Thrift's own writes a {@code ByteBuffer} through its backing array, which a direct buffer does
     * not have.
     */
    static final class Protocol extends TBinaryProtocol {

        Protocol(TTransport transport) {
            super(transport);
        }

        @Override
        public void writeBinary(ByteBuffer bin) throws TException {
            if (bin.hasArray()) {
                super.writeBinary(bin);
                return;
            }
            writeI32(bin.remaining());
            if (trans_ instanceof DirectFramedTransport framed) {
                framed.writeShared(bin.duplicate());
            } else {
                byte[] copy = new byte[bin.remaining()];
                bin.duplicate().get(copy);
                trans_.write(copy, 0, copy.length);
            }
        }
    }
}
