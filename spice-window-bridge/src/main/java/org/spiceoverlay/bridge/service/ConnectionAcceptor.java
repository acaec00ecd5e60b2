package org.spiceoverlay.bridge.service;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import org.apache.thrift.transport.TTransport;
import org.apache.thrift.transport.TTransportException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spiceoverlay.api.transport.ByteStream;
import org.spiceoverlay.api.transport.ByteStreamMux;
import org.spiceoverlay.api.transport.ChannelTransport;
import org.spiceoverlay.api.transport.Endpoint;
import org.spiceoverlay.api.transport.MuxChannel;
import org.spiceoverlay.api.transport.MuxOptions;
import org.spiceoverlay.api.transport.MuxTransport;

/**
 * Where {@link ClientService}'s connections come from: listening sockets (TCP, Unix), multiplexed
 * byte streams on sockets or on a device, each connection started on a thread of its own, at most
 * {@link ServiceLimits#maxConnections()} at once (more are refused and closed). Thread-safe.
 */
final class ConnectionAcceptor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionAcceptor.class);

    /** Serves one connection until it closes; called on the connection's own thread. */
    interface Server {
        void serve(TTransport raw, String peer);
    }

    private final ServiceLimits limits;
    private final Server server;
    private final Semaphore connectionSlots;
    private final List<ServerSocketChannel> listeners = new ArrayList<>();
    private final List<Endpoint> boundEndpoints = new ArrayList<>();
    private final List<ByteStreamMux> muxes = new ArrayList<>();
    private final MuxOptions muxOptions = MuxOptions.DEFAULT;
    private volatile boolean closed;

    ConnectionAcceptor(ServiceLimits limits, Server server) {
        this.limits = limits;
        this.server = server;
        this.connectionSlots = new Semaphore(limits.maxConnections());
    }

    /**
     * Starts accepting connections on {@code endpoint} (a TCP port of 0 picks a free one). On a
     * multiplexed socket endpoint ({@code mux+unix:}, {@code mux+tcp:}) every accepted socket is a
     * byte stream carrying many guest connections (QEMU's socket chardev of a virtio-serial port
     * connects so); on {@code serial:} the service opens the device and serves the connections
     * multiplexed on it, opening it again if it fails.
     *
     * @return the endpoint actually bound
     */
    synchronized Endpoint listen(Endpoint endpoint) throws IOException {
        if (closed) {
            throw new IllegalStateException("the service is closed");
        }
        if (endpoint.kind() == Endpoint.Kind.SERIAL) {
            // Fail now, with the reason, when the device cannot be opened at all.
            ByteStream first = ByteStream.openDevice(endpoint.path());
            boundEndpoints.add(endpoint);
            Thread t = new Thread(() -> serveDevice(endpoint, first), "overlay-serial-" + endpoint.path());
            t.setDaemon(true);
            t.start();
            LOG.info("overlay service serving {}", endpoint);
            return endpoint;
        }
        ServerSocketChannel server;
        Endpoint bound;
        if (endpoint.kind() == Endpoint.Kind.UNIX) {
            Files.deleteIfExists(endpoint.path());
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(endpoint.path()));
            bound = endpoint;
        } else {
            server = ServerSocketChannel.open();
            server.bind(new InetSocketAddress(endpoint.host(), endpoint.port()));
            Endpoint tcp = Endpoint.tcp(endpoint.host(), ((InetSocketAddress) server.getLocalAddress()).getPort());
            bound = endpoint.muxed() ? tcp.multiplexed() : tcp;
        }
        listeners.add(server);
        boundEndpoints.add(bound);
        Thread acceptor = new Thread(() -> acceptLoop(server, bound), "overlay-accept-" + bound);
        acceptor.setDaemon(true);
        acceptor.start();
        LOG.info("overlay service listening on {}", bound);
        return bound;
    }

    private void acceptLoop(ServerSocketChannel server, Endpoint endpoint) {
        while (!closed) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("accepting on {} failed: {}", endpoint, e.toString());
                }
                return;
            }
            String peer = endpoint.kind() == Endpoint.Kind.UNIX ? "unix peer" : peerOf(ch);
            try {
                if (ch.getRemoteAddress() instanceof InetSocketAddress) {
                    ch.socket().setTcpNoDelay(true);
                }
            } catch (IOException e) {
                closeQuietly(ch);
                continue;
            }
            if (endpoint.muxed()) {
                ByteStream stream = ByteStream.of(ch, endpoint + " from " + peer);
                ByteStreamMux mux =
                        ByteStreamMux.start(stream, ByteStreamMux.Side.HOST, muxOptions, this::acceptLogical);
                trackMux(mux);
                continue;
            }
            if (!connectionSlots.tryAcquire()) {
                LOG.warn(
                        "refusing a connection on {}: {} connections already served",
                        endpoint,
                        limits.maxConnections());
                closeQuietly(ch);
                continue;
            }
            try {
                startConnection(new ChannelTransport(ch), peer);
            } catch (TTransportException e) {
                connectionSlots.release();
                closeQuietly(ch);
            }
        }
    }

    /** Serves the connections multiplexed on a device, opening it again after a failure. */
    private void serveDevice(Endpoint endpoint, ByteStream first) {
        ByteStream stream = first;
        long backoffMs = 100;
        while (!closed) {
            if (stream == null) {
                try {
                    stream = ByteStream.openDevice(endpoint.path());
                    backoffMs = 100;
                } catch (IOException e) {
                    LOG.debug("reopening {} failed: {}", endpoint, e.getMessage());
                    sleepQuietly(backoffMs);
                    backoffMs = Math.min(backoffMs * 2, 2_000);
                    continue;
                }
            }
            ByteStreamMux mux = ByteStreamMux.start(stream, ByteStreamMux.Side.HOST, muxOptions, this::acceptLogical);
            trackMux(mux);
            try {
                mux.awaitTermination();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (!closed) {
                LOG.info("{} stopped ({}); opening it again", endpoint, mux.deadReason());
                sleepQuietly(backoffMs);
            }
            stream = null;
        }
    }

    private synchronized void trackMux(ByteStreamMux mux) {
        muxes.removeIf(m -> !m.isAlive());
        if (closed) {
            mux.close();
        } else {
            muxes.add(mux);
        }
    }

    /** A guest opened a logical connection on a mux (called on the mux's reader thread). */
    private void acceptLogical(MuxChannel channel) {
        if (closed || !connectionSlots.tryAcquire()) {
            LOG.warn(
                    "refusing connection {}: {} connections already served",
                    channel.describe(),
                    limits.maxConnections());
            channel.close();
            return;
        }
        try {
            startConnection(new MuxTransport(channel), channel.describe());
        } catch (TTransportException e) {
            connectionSlots.release();
            channel.close();
        }
    }

    private void startConnection(TTransport raw, String peer) {
        Thread t = new Thread(
                () -> {
                    try {
                        server.serve(raw, peer);
                    } finally {
                        connectionSlots.release();
                    }
                },
                "overlay-conn-" + peer);
        t.setDaemon(true);
        t.start();
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String peerOf(SocketChannel ch) {
        try {
            return String.valueOf(ch.getRemoteAddress());
        } catch (IOException e) {
            return "unknown peer";
        }
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // already gone
        }
    }

    synchronized List<Endpoint> endpoints() {
        return List.copyOf(boundEndpoints);
    }

    /** Stops listening (removing Unix socket files) and closes every multiplexed stream. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        for (ServerSocketChannel l : listeners) {
            try {
                l.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        for (Endpoint e : boundEndpoints) {
            if (e.kind() == Endpoint.Kind.UNIX) {
                try {
                    Files.deleteIfExists(e.path());
                } catch (IOException ex) {
                    LOG.warn("could not remove socket {}: {}", e.path(), ex.toString());
                }
            }
        }
        List<ByteStreamMux> openMuxes;
        synchronized (this) {
            openMuxes = new ArrayList<>(muxes);
        }
        openMuxes.forEach(ByteStreamMux::close);
    }
}
