package org.spiceoverlay.api.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/** Plain streams straight onto a channel's read and write, with no lock shared between the two. */
final class ChannelStreams {

    private ChannelStreams() {}

    static final class In extends InputStream {
        private final ReadableByteChannel ch;

        In(ReadableByteChannel ch) {
            this.ch = ch;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n;
            do {
                n = read(one, 0, 1);
            } while (n == 0);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return len == 0 ? 0 : ch.read(ByteBuffer.wrap(b, off, len));
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }
    }

    static final class Out extends OutputStream {
        private final WritableByteChannel ch;

        Out(WritableByteChannel ch) {
            this.ch = ch;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            ByteBuffer buf = ByteBuffer.wrap(b, off, len);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }
    }
}
