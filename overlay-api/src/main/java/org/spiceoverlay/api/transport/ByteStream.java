package org.spiceoverlay.api.transport;

import java.io.Closeable;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * One bidirectional byte stream with no connection structure of its own: a virtio-serial port, a
 * PTY, or one socket carrying it. {@link ByteStreamMux} runs logical connections over it.
 *
 * <p>Closing it from any thread wakes a thread blocked reading or writing it (the streams come from
 * interruptible NIO channels).
 */
public interface ByteStream extends Closeable {

    InputStream input();

    OutputStream output();

    /** For messages: what this stream is (the device path, the socket's peer). */
    String describe();

    @Override
    void close();

    /** A stream over a connected socket channel. */
    static ByteStream of(SocketChannel channel, String description) {
        // Not Channels.newInputStream/newOutputStream: on Java 17 those hold the channel's blocking
        // lock through a read, so a reader waiting for data would stop every writer.
        InputStream in = new ChannelStreams.In(channel);
        OutputStream out = new ChannelStreams.Out(channel);
        return new ByteStream() {
            @Override
            public InputStream input() {
                return in;
            }

            @Override
            public OutputStream output() {
                return out;
            }

            @Override
            public String describe() {
                return description;
            }

            @Override
            public void close() {
                try {
                    channel.close();
                } catch (IOException e) {
                    // closing: nothing left to do with it
                }
            }
        };
    }

    /**
     * Opens a byte-stream device for reading and writing: a virtio-serial port, or a PTY already in
     * raw mode (as {@code socat pty,raw,echo=0} makes one).
     *
     * @throws IOException naming the device when it is missing or cannot be opened
     */
    static ByteStream openDevice(Path device) throws IOException {
        if (!Files.exists(device)) {
            throw new NoSuchFileException(
                    device.toString(),
                    null,
                    "no such byte-stream device (is the virtio-serial port configured for this VM?)");
        }
        RandomAccessFile file;
        try {
            file = new RandomAccessFile(device.toFile(), "rw");
        } catch (IOException e) {
            throw new IOException("cannot open byte-stream device " + device + ": " + e.getMessage(), e);
        }
        // One open file (a virtio-serial port opens once). Reads go through the file's channel, which
        // a close wakes; writes through a stream on the same descriptor, because the channel's reads
        // and writes share one lock and a waiting reader would stop the writers.
        FileChannel ch = file.getChannel();
        InputStream in = new ChannelStreams.In(ch);
        OutputStream out = new FileOutputStream(file.getFD());
        return new ByteStream() {
            @Override
            public InputStream input() {
                return in;
            }

            @Override
            public OutputStream output() {
                return out;
            }

            @Override
            public String describe() {
                return "serial:" + device;
            }

            @Override
            public void close() {
                try {
                    ch.close();
                    file.close();
                } catch (IOException e) {
                    // closing: nothing left to do with it
                }
            }
        };
    }

    /** Connects to a (multiplexed) socket endpoint, or opens a serial one. */
    static ByteStream open(Endpoint endpoint) throws IOException {
        if (endpoint.kind() == Endpoint.Kind.SERIAL) {
            return openDevice(endpoint.path());
        }
        return of(ChannelTransport.openSocket(endpoint), endpoint.toString());
    }
}
