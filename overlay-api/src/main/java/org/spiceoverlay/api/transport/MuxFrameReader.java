package org.spiceoverlay.api.transport;

import java.io.DataInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@link MuxWire} frames from a stream for {@link ByteStreamMux}'s reader thread. A header
 * that cannot be right (bad magic, unknown type, impossible length) is reported as lost sync, and
 * the reader then scans byte by byte for the other end's next whole HELLO frame (its CRC makes a
 * false match in data practically impossible) before it reads frames again.
 */
final class MuxFrameReader {

    private static final Logger LOG = LoggerFactory.getLogger(MuxFrameReader.class);

    /** Where whole frames go; called on the reader thread. */
    interface FrameSink {
        void frame(int type, int flags, int id, byte[] payload);
    }

    private final DataInputStream in;
    private final int maxPayload;
    private final String name;
    private final FrameSink sink;
    private final Consumer<String> lostSync;
    private final BooleanSupplier alive;
    private volatile long lastReceivedNanos = System.nanoTime();

    /**
     * @param lostSync told what was wrong when the stream is out of step (it resets its connections)
     * @param alive    whether reading should go on
     */
    MuxFrameReader(
            DataInputStream in,
            int maxPayload,
            String name,
            FrameSink sink,
            Consumer<String> lostSync,
            BooleanSupplier alive) {
        this.in = in;
        this.maxPayload = maxPayload;
        this.name = name;
        this.sink = sink;
        this.lostSync = lostSync;
        this.alive = alive;
    }

    /** When the last whole frame arrived ({@link System#nanoTime()}). */
    long lastReceivedNanos() {
        return lastReceivedNanos;
    }

    /** Reads until {@code alive} says stop; end of stream and read errors are thrown. */
    void run() throws IOException {
        boolean aligned = true;
        while (alive.getAsBoolean()) {
            if (!aligned) {
                scanForHello();
                aligned = true;
                continue;
            }
            int magic = in.readInt();
            if (magic != MuxWire.MAGIC) {
                lostSync.accept(String.format("bad frame magic 0x%08x", magic));
                aligned = false;
                continue;
            }
            int type = in.readUnsignedByte();
            int flags = in.readUnsignedByte();
            in.readUnsignedShort();
            int id = in.readInt();
            int len = in.readInt();
            String problem = MuxWire.checkHeader(type, id, len, maxPayload);
            if (problem != null) {
                lostSync.accept(problem);
                aligned = false;
                continue;
            }
            byte[] payload = new byte[len];
            in.readFully(payload);
            lastReceivedNanos = System.nanoTime();
            sink.frame(type, flags, id, payload);
        }
    }

    /** Reads byte by byte until a whole valid HELLO frame has gone past, and hands it on. */
    private void scanForHello() throws IOException {
        byte[] win = new byte[MuxWire.HEADER_BYTES + MuxWire.HELLO_BYTES];
        int filled = 0;
        long skipped = 0;
        while (alive.getAsBoolean()) {
            int b = in.readUnsignedByte();
            if (filled < win.length) {
                win[filled++] = (byte) b;
            } else {
                System.arraycopy(win, 1, win, 0, win.length - 1);
                win[win.length - 1] = (byte) b;
                skipped++;
            }
            if (filled == win.length && MuxWire.isHelloFrame(win)) {
                LOG.info("frame sync regained on {} after {} bytes", name, skipped);
                lastReceivedNanos = System.nanoTime();
                sink.frame(MuxWire.HELLO, win[5] & 0xFF, 0, Arrays.copyOfRange(win, MuxWire.HEADER_BYTES, win.length));
                return;
            }
        }
    }
}
