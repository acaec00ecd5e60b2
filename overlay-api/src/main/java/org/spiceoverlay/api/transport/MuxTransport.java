package org.spiceoverlay.api.transport;

import org.apache.thrift.transport.TIOStreamTransport;
import org.apache.thrift.transport.TTransportException;

/**
 * A Thrift byte transport over one logical connection of a {@link ByteStreamMux}.
 *
 * <p>Not thread-safe, as Thrift transports go.
 */
public final class MuxTransport extends TIOStreamTransport {

    private final MuxChannel channel;

    public MuxTransport(MuxChannel channel) throws TTransportException {
        super(channel.input(), channel.output());
        this.channel = channel;
    }

    public MuxChannel channel() {
        return channel;
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public void close() {
        channel.close();
    }
}
