package org.spiceoverlay.api.transport;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * The wire format of {@link ByteStreamMux}: constants, frame encoding, header checks and the HELLO
 * payload. Stateless.
 *
 * <p>Every frame is a 16-byte header, big-endian: magic {@code "SOMX"}, type (u8), flags (u8),
 * reserved (u16), connection id (u32), payload length (u32); then the payload.
 * <ul>
 * <li>HELLO (id 0, 28 bytes: version u16, flags u16, instance u64, generation u32, window u32,
 * max payload u32, CRC-32 of the previous 24 bytes). Each end announces itself when it starts and
 * repeats it until the other end answers; flag REPLY asks for an answer. A HELLO with an
 * (instance, generation) not seen before means the other end started afresh or lost its state:
 * every connection is reset. That is how a restarted client or guest is noticed on a stream that
 * has no end-of-file of its own.</li>
 * <li>OPEN (label), OPEN_OK, CLOSE (reason): connection set-up and tear-down. The guest end opens
 * odd ids, the host end even ids; ids are never reused within a run.</li>
 * <li>DATA (bytes, at most the receiver's max payload) and WINDOW (u32 increment): per-connection
 * credit. A sender never has more than the receiver's window unconsumed; the receiver grants more
 * as its reader consumes. Exceeding the window closes that connection only.</li>
 * <li>PING/PONG: keep-alive; silence past {@link MuxOptions#peerTimeoutMs()} resets every
 * connection and goes back to announcing.</li>
 * </ul>
 */
final class MuxWire {

    static final int MAGIC = 0x534F4D58; // "SOMX"
    static final int HEADER_BYTES = 16;
    static final int VERSION = 1;
    static final int HELLO = 1;
    static final int OPEN = 2;
    static final int OPEN_OK = 3;
    static final int CLOSE = 4;
    static final int DATA = 5;
    static final int WINDOW = 6;
    static final int PING = 7;
    static final int PONG = 8;
    static final int HELLO_BYTES = 28;
    static final int MAX_TEXT_BYTES = 256;
    static final int FLAG_REPLY = 1;
    private static final int CRC_COVERS = 24;

    private MuxWire() {}

    /** What a HELLO says. */
    record Hello(int version, int flags, long instance, int generation, int window, int maxPayload) {

        /** The 28-byte payload, its CRC included. */
        byte[] encode() {
            ByteBuffer b = ByteBuffer.allocate(HELLO_BYTES);
            b.putShort((short) version)
                    .putShort((short) flags)
                    .putLong(instance)
                    .putInt(generation)
                    .putInt(window)
                    .putInt(maxPayload);
            b.putInt(crc(b.array(), 0));
            return b.array();
        }

        /** The HELLO in a payload of {@link #HELLO_BYTES}, or null when its CRC does not match. */
        static Hello decode(byte[] p) {
            ByteBuffer b = ByteBuffer.wrap(p);
            if (crc(p, 0) != b.getInt(CRC_COVERS)) {
                return null;
            }
            return new Hello(
                    b.getShort() & 0xFFFF, b.getShort() & 0xFFFF, b.getLong(), b.getInt(), b.getInt(), b.getInt());
        }
    }

    /** A whole frame: header and payload. */
    static byte[] frame(int type, int flags, int id, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES + payload.length);
        b.putInt(MAGIC)
                .put((byte) type)
                .put((byte) flags)
                .putShort((short) 0)
                .putInt(id)
                .putInt(payload.length)
                .put(payload);
        return b.array();
    }

    /** Writes a frame's header (the payload follows it on the same stream). */
    static void writeHeader(DataOutputStream out, int type, int flags, int id, int len) throws IOException {
        out.writeInt(MAGIC);
        out.writeByte(type);
        out.writeByte(flags);
        out.writeShort(0);
        out.writeInt(id);
        out.writeInt(len);
    }

    /** What is wrong with a header (after its magic), or null when it may be read. */
    static String checkHeader(int type, int id, int len, int maxPayload) {
        if (type < HELLO || type > PONG) {
            return "unknown frame type " + type;
        }
        if (len < 0) {
            return "negative frame length " + len;
        }
        int max =
                switch (type) {
                    case HELLO -> HELLO_BYTES;
                    case DATA -> maxPayload;
                    case WINDOW -> 4;
                    case OPEN, CLOSE -> MAX_TEXT_BYTES;
                    default -> 0;
                };
        if (len > max) {
            return "frame of type " + type + " claims " + len + " bytes, more than " + max;
        }
        if (type == HELLO && (len != HELLO_BYTES || id != 0)) {
            return "malformed HELLO frame";
        }
        return null;
    }

    /** Whether {@code w} (header plus 28 bytes) is a whole HELLO frame with a good CRC. */
    static boolean isHelloFrame(byte[] w) {
        ByteBuffer b = ByteBuffer.wrap(w);
        if (b.getInt(0) != MAGIC || w[4] != HELLO || b.getInt(8) != 0 || b.getInt(12) != HELLO_BYTES) {
            return false;
        }
        return crc(w, HEADER_BYTES) == b.getInt(HEADER_BYTES + CRC_COVERS);
    }

    /** A WINDOW payload. */
    static byte[] windowIncrement(int increment) {
        return ByteBuffer.allocate(4).putInt(increment).array();
    }

    /** UTF-8 text for OPEN and CLOSE, cut on a character boundary at {@link #MAX_TEXT_BYTES}. */
    static byte[] text(String s) {
        byte[] b = (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
        if (b.length <= MAX_TEXT_BYTES) {
            return b;
        }
        int n = MAX_TEXT_BYTES;
        while (n > 0 && (b[n] & 0xC0) == 0x80) {
            n--;
        }
        return Arrays.copyOf(b, n);
    }

    private static int crc(byte[] b, int from) {
        CRC32 crc = new CRC32();
        crc.update(b, from, CRC_COVERS);
        return (int) crc.getValue();
    }
}
