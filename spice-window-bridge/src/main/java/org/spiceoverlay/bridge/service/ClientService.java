package org.spiceoverlay.bridge.service;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import org.apache.thrift.TException;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.protocol.TProtocol;
import org.apache.thrift.protocol.TProtocolException;
import org.apache.thrift.transport.TTransport;
import org.apache.thrift.transport.TTransportException;
import org.apache.thrift.transport.layered.TFramedTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spiceoverlay.api.GuestDisplay;
import org.spiceoverlay.api.HelloHandshake;
import org.spiceoverlay.api.PixelFormat;
import org.spiceoverlay.api.thrift.OverlayService;
import org.spiceoverlay.api.transport.Endpoint;
import org.spiceoverlay.engine.MediaEngine;

/**
 * The client side of redirection: serves the overlay protocol to guests on TCP and Unix-socket
 * endpoints, and multiplexed over byte streams (a virtio-serial port's socket or device), one
 * session per guest connection, each stream decoded by the media engine and shown by
 * the video output. Framed Thrift with a frame-size limit; bad input from one guest gets a typed
 * error (or, for a broken frame, that connection closed) and never disturbs the others.
 *
 * <p>Thread-safe. Each connection has a thread of its own (at most
 * {@link ServiceLimits#maxConnections()}); a ticker thread grants credit and reports QoS.
 */
public final class ClientService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClientService.class);
    static final String VERSION = versionOf();
    private static final long TICK_MS = 20;
    private static final long QOS_EVERY_TICKS = 50;

    private final MediaEngine engine;
    private final VideoOutput output;
    private final ServiceLimits limits;
    private final HelloHandshake handshake;
    private final PixelFormat outputFormat;
    private final boolean uriAllowed;
    private final Map<Long, GuestSession> sessions = new ConcurrentHashMap<>();
    private final AtomicLong nextSessionId = new AtomicLong(1);
    private final ConnectionAcceptor acceptor;
    private final ScheduledExecutorService ticker;
    private final AtomicLong ticks = new AtomicLong();
    private volatile boolean closed;
    private volatile boolean trustGuestClock;
    private volatile LongConsumer wireLatency = nanos -> {};

    /**
     * @param engine       decodes the streams
     * @param output       shows them
     * @param limits       what guests may ask for
     * @param authToken    the token guests must present, or null for none (then listen on loopback
     *                     or a Unix socket only)
     * @param outputFormat the frame format the output wants from the decoder
     * @param uriAllowed   whether the engine's URI policy lets any URI through (announced in hello)
     */
    public ClientService(
            MediaEngine engine,
            VideoOutput output,
            ServiceLimits limits,
            String authToken,
            PixelFormat outputFormat,
            boolean uriAllowed) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.output = Objects.requireNonNull(output, "output");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.outputFormat = Objects.requireNonNull(outputFormat, "outputFormat");
        this.handshake = new HelloHandshake(authToken);
        this.uriAllowed = uriAllowed;
        this.acceptor = new ConnectionAcceptor(limits, this::serve);
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "overlay-service-ticker");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleAtFixedRate(this::tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
    }

    private static String versionOf() {
        String v = ClientService.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
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
    public Endpoint listen(Endpoint endpoint) throws IOException {
        if (closed) {
            throw new IllegalStateException("the service is closed");
        }
        return acceptor.listen(endpoint);
    }

    /** Serves one connection until it closes. Runs on the connection's own thread. */
    private void serve(TTransport raw, String peer) {
        ConnectionHandler handler = new ConnectionHandler(this, peer);
        TFramedTransport transport = null;
        try {
            // Bound every length the peer can claim: the frame, and strings/containers inside it.
            transport = new TFramedTransport(raw, limits.maxFrameBytes());
            TProtocol protocol = new TBinaryProtocol(transport, limits.maxFrameBytes(), limits.maxFrameBytes());
            OverlayService.Processor<ConnectionHandler> processor = new OverlayService.Processor<>(handler);
            while (!closed && raw.isOpen()) {
                processor.process(protocol, protocol);
            }
        } catch (TTransportException e) {
            if (e.getType() != TTransportException.END_OF_FILE && !closed) {
                LOG.info("connection {} dropped: {}", peer, e.getMessage());
            }
        } catch (TProtocolException e) {
            // Malformed or over-limit input from the peer: its problem, told in its own log line.
            if (!closed) {
                LOG.info("connection {} closed after bad input: {}", peer, e.toString());
            }
        } catch (TException e) {
            if (!closed) {
                LOG.warn("connection {} closed: {}", peer, e.toString());
            }
        } catch (RuntimeException e) {
            // Not the peer's input: a fault in the service. Handler methods' own failures are answered
            // by Thrift's processor (INTERNAL_ERROR, logged as an error there) and never reach here.
            if (!closed) {
                LOG.error("connection {} closed by an internal error: {}", peer, e.toString(), e);
            }
        } finally {
            handler.disconnected();
            if (transport != null) {
                transport.close();
            }
            raw.close();
        }
    }

    private void tick() {
        boolean qos = ticks.incrementAndGet() % QOS_EVERY_TICKS == 0;
        for (GuestSession s : sessions.values()) {
            s.tick(qos);
        }
    }

    // ---- used by connections -------------------------------------------------------------------

    MediaEngine engine() {
        return engine;
    }

    VideoOutput output() {
        return output;
    }

    ServiceLimits limits() {
        return limits;
    }

    HelloHandshake handshake() {
        return handshake;
    }

    PixelFormat outputFormat() {
        return outputFormat;
    }

    boolean uriAllowed() {
        return uriAllowed;
    }

    /**
     * Measure latency from the guest's {@code Sample.sentAtNs} (its monotonic clock) instead of from
     * arrival: only meaningful when guest and client share the clock, i.e. run on one machine (the
     * demo, benchmarks).
     */
    public void trustGuestClock(boolean trust) {
        this.trustGuestClock = trust;
    }

    boolean trustGuestClock() {
        return trustGuestClock;
    }

    /**
     * Where each sample's time from the guest's send to its arrival goes, when the guest clock is
     * trusted ({@link #trustGuestClock}); called on connection threads.
     */
    public void wireLatencySink(LongConsumer sink) {
        this.wireLatency = Objects.requireNonNull(sink, "sink");
    }

    void wireLatency(long nanos) {
        wireLatency.accept(nanos);
    }

    GuestSession newSession(String guestName, List<GuestDisplay> displays) {
        GuestSession s = new GuestSession(nextSessionId.getAndIncrement(), guestName, displays, this);
        sessions.put(s.id(), s);
        LOG.info("session {} opened for {} ({})", s.id(), guestName, displays);
        return s;
    }

    GuestSession sessionByToken(String token) {
        if (token == null) {
            return null;
        }
        for (GuestSession s : sessions.values()) {
            if (java.security.MessageDigest.isEqual(
                    s.token().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    token.getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
                return s;
            }
        }
        return null;
    }

    void endSession(GuestSession s) {
        if (sessions.containsKey(s.id())) {
            s.close();
            sessions.remove(s.id());
        }
    }

    /** Sessions open now (for status and tests). */
    public int sessionCount() {
        return sessions.size();
    }

    /** Streams open now, over all sessions. */
    public int streamCount() {
        return sessions.values().stream().mapToInt(s -> s.streams().size()).sum();
    }

    public List<Endpoint> endpoints() {
        return acceptor.endpoints();
    }

    /** Stops listening, closes every session (streams, windows) and the output. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        acceptor.close();
        ticker.shutdownNow();
        for (GuestSession s : new ArrayList<>(sessions.values())) {
            endSession(s);
        }
        output.close();
        LOG.info("overlay service stopped");
    }
}
