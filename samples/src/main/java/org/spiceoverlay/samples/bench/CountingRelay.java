package org.spiceoverlay.samples.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback TCP relay for the benchmark: listens on {@code 127.0.0.1} (a free port), connects each
 * accepted connection to a target and copies both ways, counting the bytes each way over all
 * connections. Optionally emulates a wide-area link ({@link WanLink}): each direction delays by
 * half the round-trip time and, when capped, shares one bandwidth cap among all connections. Order
 * within a connection is kept.
 *
 * <p>Memory is bounded: with an emulated link each direction of a connection queues at most
 * {@link #queueLimitBytes} (then stops reading, so the sender's TCP window closes, as on a real
 * link); without one it copies a 16 KiB buffer at a time. A half-close (end of stream one way) is
 * passed on once what came before it is delivered; an error on either side closes the connection.
 *
 * <p>Threads: an acceptor, and per connection and direction one thread (two with an emulated link:
 * a reader and a delivering writer), all daemon and named {@code relay-PORT-...}. The counters may
 * be read from any thread; {@link #close} from any thread.
 */
public final class CountingRelay implements AutoCloseable {

    private final ServerSocket server;
    private final InetSocketAddress target;
    private final WanLink link;
    private final LinkSchedule toTargetLink;
    private final LinkSchedule fromTargetLink;
    private final int queueLimitBytes;
    private final AtomicLong toTarget = new AtomicLong();
    private final AtomicLong fromTarget = new AtomicLong();
    private final AtomicInteger connections = new AtomicInteger();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile boolean closed;

    private CountingRelay(ServerSocket server, InetSocketAddress target, WanLink link) {
        this.server = server;
        this.target = target;
        this.link = link;
        this.toTargetLink = new LinkSchedule(link.oneWayNanos(), link.bitsPerSecond());
        this.fromTargetLink = new LinkSchedule(link.oneWayNanos(), link.bitsPerSecond());
        this.queueLimitBytes = queueLimit(link);
        this.acceptor = new Thread(this::acceptLoop, "relay-" + server.getLocalPort() + "-accept");
        acceptor.setDaemon(true);
    }

    /**
     * Starts relaying connections to {@code target}.
     *
     * @param link the link to emulate; {@link WanLink#NONE} to only count
     * @throws IOException when no loopback port can be bound
     */
    public static CountingRelay start(InetSocketAddress target, WanLink link) throws IOException {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(link, "link");
        ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        CountingRelay r = new CountingRelay(s, target, link);
        r.acceptor.start();
        return r;
    }

    /**
     * Bytes a direction of a connection may hold before the relay stops reading: 64 KiB plus what
     * the link holds in flight for its delay (plus 20 ms) at its rate; 8 MiB when uncapped.
     */
    static int queueLimit(WanLink link) {
        long cap = 8L << 20;
        if (link.bitsPerSecond() > 0) {
            long inFlight = (long) (link.bitsPerSecond() / 8.0 * (link.oneWayNanos() + 20_000_000L) / 1e9);
            cap = Math.min(cap, (64 << 10) + inFlight);
        }
        return (int) cap;
    }

    /** The port it listens on, on 127.0.0.1. */
    public int port() {
        return server.getLocalPort();
    }

    /** The address to connect to instead of the target. */
    public InetSocketAddress address() {
        return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
    }

    public InetSocketAddress target() {
        return target;
    }

    public WanLink link() {
        return link;
    }

    /** Bytes delivered to the target, over all connections so far. */
    public long bytesToTarget() {
        return toTarget.get();
    }

    /** Bytes delivered from the target back to the connecting side, over all connections so far. */
    public long bytesFromTarget() {
        return fromTarget.get();
    }

    /** Connections accepted so far. */
    public int connections() {
        return connections.get();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            int n = connections.incrementAndGet();
            open.add(client);
            Thread connector = new Thread(() -> connect(client, n), name(n, "connect"));
            connector.setDaemon(true);
            connector.start();
        }
    }

    private void connect(Socket client, int n) {
        Socket upstream = new Socket();
        open.add(upstream);
        try {
            client.setTcpNoDelay(true);
            upstream.setTcpNoDelay(true);
            upstream.connect(target, 10_000);
        } catch (IOException e) {
            System.err.println(
                    "relay " + port() + ": cannot connect connection " + n + " to " + target + ": " + e.getMessage());
            closeQuietly(client);
            closeQuietly(upstream);
            return;
        }
        if (closed) {
            closeQuietly(client);
            closeQuietly(upstream);
            return;
        }
        RelayPipe.Ending ending = new RelayPipe.Ending(2, () -> {
            closeQuietly(client);
            closeQuietly(upstream);
        });
        new RelayPipe(
                        client,
                        upstream,
                        toTarget,
                        link.emulates() ? toTargetLink : null,
                        queueLimitBytes,
                        ending,
                        name(n, "up"))
                .start();
        new RelayPipe(
                        upstream,
                        client,
                        fromTarget,
                        link.emulates() ? fromTargetLink : null,
                        queueLimitBytes,
                        ending,
                        name(n, "down"))
                .start();
    }

    private String name(int connection, String what) {
        return "relay-" + server.getLocalPort() + "-" + connection + "-" + what;
    }

    private void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing anyway
        }
        open.remove(s);
    }

    /** Stops accepting and closes every connection; idempotent. */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        for (Socket s : open) {
            closeQuietly(s);
        }
    }

    @Override
    public String toString() {
        return "CountingRelay[127.0.0.1:" + (closed ? "closed" : server.getLocalPort()) + " -> " + target + ", " + link
                + ", " + connections() + " connections, " + bytesToTarget() + " bytes to target, " + bytesFromTarget()
                + " bytes back]";
    }
}
