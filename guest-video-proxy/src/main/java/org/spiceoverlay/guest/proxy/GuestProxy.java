package org.spiceoverlay.guest.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spiceoverlay.api.transport.ByteStream;
import org.spiceoverlay.api.transport.ByteStreamMux;
import org.spiceoverlay.api.transport.Endpoint;
import org.spiceoverlay.api.transport.MuxChannel;

/**
 * The guest proxy daemon: player apps in the guest connect to it on a Unix socket (with the guest
 * library, as they would to the client); it holds the one channel to the client (a virtio-serial
 * port, or a socket carrying the multiplexed stream) and gives every app connection a logical
 * connection of its own on it.
 *
 * <p>It relays bytes and does not parse the protocol: every app keeps its own session at the
 * client, and the channel's per-connection flow control keeps one app's traffic (or its stalling,
 * its bad input, its exit) from holding back another's. An app that exits closes its connections,
 * which the client sees at once and answers by releasing that app's streams. When the channel
 * fails or the client restarts, every app connection is closed so the apps' libraries reconnect,
 * and the proxy opens the channel again for the next app.
 *
 * <p>Thread-safe. An accept thread, and two relay threads per app connection.
 */
public final class GuestProxy implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GuestProxy.class);
    private static final int RELAY_BUFFER = 64 << 10;

    private final Endpoint listen;
    private final Endpoint upstream;
    private final GuestProxyOptions options;
    private final ServerSocketChannel server;
    private final Map<Long, AppConnection> apps = new ConcurrentHashMap<>();
    private final AtomicLong nextApp = new AtomicLong(1);
    private final AtomicLong served = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final Object upstreamLock = new Object();
    private ByteStreamMux mux;
    private volatile boolean closed;

    private GuestProxy(Endpoint listen, Endpoint upstream, GuestProxyOptions options, ServerSocketChannel server) {
        this.listen = listen;
        this.upstream = upstream;
        this.options = options;
        this.server = server;
    }

    /**
     * Starts the proxy: opens the channel to the client, then listens for apps.
     *
     * @param listen   where apps connect: {@code unix:PATH} (created with mode 0660 within its directory)
     * @param upstream the channel to the client: {@code serial:PATH}, {@code mux+unix:PATH} or
     *                 {@code mux+tcp:HOST:PORT}
     * @throws IllegalArgumentException when an endpoint is of the wrong kind
     * @throws IOException              when the socket cannot be made, or a serial device cannot be
     *                                  opened (a socket channel that is not up yet is retried as apps
     *                                  come)
     */
    public static GuestProxy start(Endpoint listen, Endpoint upstream, GuestProxyOptions options) throws IOException {
        Objects.requireNonNull(options, "options");
        if (listen.kind() != Endpoint.Kind.UNIX || listen.muxed()) {
            throw new IllegalArgumentException("the guest proxy listens for apps on unix:PATH, not " + listen);
        }
        if (!upstream.muxed()) {
            throw new IllegalArgumentException(
                    "the guest proxy's channel is multiplexed: serial:PATH, mux+unix:PATH or "
                            + "mux+tcp:HOST:PORT, not " + upstream);
        }
        Path socket = listen.path();
        if (socket.getParent() != null) {
            Files.createDirectories(socket.getParent());
        }
        Files.deleteIfExists(socket);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        GuestProxy proxy;
        try {
            server.bind(UnixDomainSocketAddress.of(socket));
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw----"));
            proxy = new GuestProxy(listen, upstream, options, server);
            try {
                proxy.channel();
            } catch (IOException e) {
                if (upstream.kind() == Endpoint.Kind.SERIAL) {
                    throw e;
                }
                LOG.warn("the channel {} is not up yet ({}); trying again as apps connect", upstream, e.getMessage());
            }
        } catch (IOException | RuntimeException e) {
            server.close();
            Files.deleteIfExists(socket);
            throw e;
        }
        Thread t = new Thread(proxy::acceptLoop, "guest-proxy-accept");
        t.setDaemon(true);
        t.start();
        LOG.info("guest proxy: apps connect on {}, channel to the client on {}", listen, upstream);
        return proxy;
    }

    public Endpoint listenEndpoint() {
        return listen;
    }

    public Endpoint upstreamEndpoint() {
        return upstream;
    }

    /** App connections relayed now (an app with the guest library holds two). */
    public int connectionCount() {
        return apps.size();
    }

    /** App connections relayed since the start. */
    public long connectionsServed() {
        return served.get();
    }

    /** App connections refused (too many, or no channel to the client). */
    public long connectionsRefused() {
        return refused.get();
    }

    /** Whether the channel is open and the client answers on it. */
    public boolean isChannelUp() {
        synchronized (upstreamLock) {
            return mux != null && mux.isPeerConnected();
        }
    }

    /** The channel's mux, opened (again) when it is missing or failed. */
    private ByteStreamMux channel() throws IOException {
        synchronized (upstreamLock) {
            if (closed) {
                throw new IOException("the guest proxy is closed");
            }
            if (mux == null || !mux.isAlive()) {
                mux = ByteStreamMux.start(ByteStream.open(upstream), ByteStreamMux.Side.GUEST, options.mux(), null);
            }
            return mux;
        }
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel app;
            try {
                app = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("accepting apps on {} failed: {}", listen, e.toString());
                }
                return;
            }
            if (apps.size() >= 2 * options.maxApps()) {
                refused.incrementAndGet();
                LOG.warn(
                        "refusing an app connection: {} connections ({} apps) already relayed",
                        apps.size(),
                        options.maxApps());
                closeQuietly(app);
                continue;
            }
            long id = nextApp.getAndIncrement();
            AppConnection c = new AppConnection(id, app, describePeer(app, id));
            apps.put(id, c);
            Thread t = new Thread(c::run, "guest-proxy-app-" + id);
            t.setDaemon(true);
            t.start();
        }
    }

    private static String describePeer(SocketChannel app, long id) {
        try {
            UnixDomainPrincipal p = app.getOption(ExtendedSocketOptions.SO_PEERCRED);
            return "app connection " + id + " (user " + p.user().getName() + ")";
        } catch (IOException | UnsupportedOperationException e) {
            return "app connection " + id;
        }
    }

    /** One app connection and its logical connection on the channel. */
    private final class AppConnection {
        final long id;
        final SocketChannel app;
        final String name;
        volatile MuxChannel up;

        AppConnection(long id, SocketChannel app, String name) {
            this.id = id;
            this.app = app;
            this.name = name;
        }

        void run() {
            try {
                ByteStreamMux m = channel();
                if (!m.awaitPeer(options.upstreamWaitMs(), TimeUnit.MILLISECONDS)) {
                    throw new IOException(
                            "no answer from the client on " + upstream + " within " + options.upstreamWaitMs() + " ms");
                }
                up = m.open(name);
                served.incrementAndGet();
                LOG.debug("{} relayed on {}", name, up.describe());
                Thread down = new Thread(this::clientToApp, "guest-proxy-down-" + id);
                down.setDaemon(true);
                down.start();
                appToClient();
            } catch (IOException e) {
                refused.incrementAndGet();
                LOG.warn("{}: cannot reach the client: {}", name, e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                end();
            }
        }

        private void appToClient() {
            ByteBuffer buf = ByteBuffer.allocate(RELAY_BUFFER);
            OutputStream out = up.output();
            try {
                while (true) {
                    buf.clear();
                    int n = app.read(buf);
                    if (n < 0) {
                        return; // the app closed or exited
                    }
                    out.write(buf.array(), 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                LOG.debug("{} ended: {}", name, e.getMessage());
            }
        }

        private void clientToApp() {
            byte[] buf = new byte[RELAY_BUFFER];
            InputStream in = up.input();
            try {
                while (true) {
                    int n = in.read(buf);
                    if (n < 0) {
                        return;
                    }
                    ByteBuffer b = ByteBuffer.wrap(buf, 0, n);
                    while (b.hasRemaining()) {
                        app.write(b);
                    }
                }
            } catch (IOException e) {
                LOG.debug("{} ended: {}", name, e.getMessage());
            } finally {
                end();
            }
        }

        void end() {
            if (apps.remove(id) == null) {
                return;
            }
            closeQuietly(app);
            MuxChannel u = up;
            if (u != null) {
                u.close();
            }
        }
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // already gone
        }
    }

    /** Stops accepting, closes every app connection and the channel, removes the socket. Idempotent. */
    @Override
    public void close() {
        synchronized (upstreamLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        for (AppConnection c : apps.values()) {
            c.end();
        }
        synchronized (upstreamLock) {
            if (mux != null) {
                mux.close();
            }
        }
        try {
            Files.deleteIfExists(listen.path());
        } catch (IOException e) {
            LOG.warn("could not remove {}: {}", listen.path(), e.toString());
        }
        LOG.info("guest proxy stopped");
    }
}
