package org.spiceoverlay.api.transport;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.thrift.transport.TTransport;
import org.apache.thrift.transport.TTransportException;

/**
 * Opens a guest-side connection to any {@link Endpoint}: a socket of its own for {@code tcp:} and
 * {@code unix:}, or a logical connection on the process's one {@link ByteStreamMux} for a
 * multiplexed endpoint ({@code serial:}, {@code mux+unix:}, {@code mux+tcp:}). The mux of an
 * endpoint is shared by every connection this process opens to it (a virtio-serial port can be
 * opened by one process only), and opened again when it has failed.
 *
 * <p>Thread-safe.
 */
public final class Transports {

    private static final Map<Endpoint, ByteStreamMux> MUXES = new HashMap<>();

    private Transports() {}

    /**
     * Connects (blocking) and returns the raw, unframed transport.
     *
     * @throws IOException saying what failed: the socket, the device, or the other end not answering
     */
    public static TTransport connect(Endpoint endpoint) throws IOException, TTransportException {
        if (!endpoint.muxed()) {
            return ChannelTransport.connect(endpoint);
        }
        return new MuxTransport(sharedMux(endpoint, MuxOptions.DEFAULT)
                .open("pid " + ProcessHandle.current().pid()));
    }

    /** The process's mux on a multiplexed endpoint, started (or restarted after a failure) as needed. */
    public static ByteStreamMux sharedMux(Endpoint endpoint, MuxOptions options) throws IOException {
        if (!endpoint.muxed()) {
            throw new IllegalArgumentException(endpoint + " is not a multiplexed endpoint");
        }
        synchronized (MUXES) {
            ByteStreamMux m = MUXES.get(endpoint);
            if (m == null || !m.isAlive()) {
                m = ByteStreamMux.start(ByteStream.open(endpoint), ByteStreamMux.Side.GUEST, options, null);
                MUXES.put(endpoint, m);
            }
            return m;
        }
    }
}
