package org.spiceoverlay.api.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import org.apache.thrift.transport.TIOStreamTransport;
import org.apache.thrift.transport.TTransport;
import org.apache.thrift.transport.TTransportException;

/**
 * A Thrift byte transport over a connected {@link SocketChannel}: TCP or a Unix domain socket, the
 * same code for both (Thrift's own socket transport knows only TCP).
 *
 * <p>Not thread-safe: one connection, one caller at a time, as Thrift transports go.
 */
public final class ChannelTransport extends TIOStreamTransport {

    private final SocketChannel channel;

    public ChannelTransport(SocketChannel channel) throws TTransportException {
        super(Channels.newInputStream(channel), Channels.newOutputStream(channel));
        this.channel = channel;
    }

    /** Connects to an endpoint (blocking). */
    public static TTransport connect(Endpoint endpoint) throws IOException, TTransportException {
        return new ChannelTransport(openSocket(endpoint));
    }

    /** A connected socket to a TCP (no Nagle delay) or Unix-socket endpoint; closed again on failure. */
    static SocketChannel openSocket(Endpoint endpoint) throws IOException {
        if (endpoint.kind() == Endpoint.Kind.UNIX) {
            SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                ch.connect(UnixDomainSocketAddress.of(endpoint.path()));
            } catch (IOException e) {
                ch.close();
                throw e;
            }
            return ch;
        }
        SocketChannel ch = SocketChannel.open(new InetSocketAddress(endpoint.host(), endpoint.port()));
        ch.socket().setTcpNoDelay(true);
        return ch;
    }

    public SocketChannel channel() {
        return channel;
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public void close() {
        super.close();
        try {
            channel.close();
        } catch (IOException e) {
            // closing: nothing left to do with the error
        }
    }
}
