package org.spiceoverlay.guest.internal;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.apache.thrift.TApplicationException;
import org.apache.thrift.TException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spiceoverlay.api.HelloHandshake;
import org.spiceoverlay.api.thrift.ClientLimits;
import org.spiceoverlay.api.thrift.OverlayError;
import org.spiceoverlay.api.thrift.OverlayService;
import org.spiceoverlay.api.transport.Endpoint;
import org.spiceoverlay.guest.ClientInfo;
import org.spiceoverlay.guest.GuestConnectionException;
import org.spiceoverlay.guest.GuestErrorCode;
import org.spiceoverlay.guest.GuestOptions;
import org.spiceoverlay.guest.GuestSource;
import org.spiceoverlay.guest.OverlayException;
import org.spiceoverlay.guest.StreamOptions;

/**
 * The working part of an {@code OverlayGuest} (its contract): the {@link Connection}, the streams,
 * the data calls, serialised here (a Thrift client is not thread-safe), and the give-up; the
 * events and reconnection run on one event thread ({@link EventPoller}, {@link Reconnector}).
 * Thread-safe; not API.
 */
public final class SessionCore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SessionCore.class);

    /** One call on the data connection. */
    @FunctionalInterface
    interface DataCall<T> {
        T run(OverlayService.Client client) throws TException;
    }

    /**
     * A stream call met a connection that dropped or a stream not yet re-created on the new one; the
     * caller waits for the replay (data) or leaves what it set for the replay to apply (geometry,
     * controls). Never leaves the library.
     */
    static final class Reconnecting extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Reconnecting() {
            super("reconnecting", null, false, false);
        }
    }

    private static final Reconnecting RECONNECTING = new Reconnecting();

    final Endpoint endpoint;
    final GuestOptions options;
    final Object dataLock = new Object();
    /** Guards waiting for a connection; notified when one is published, on give-up and on close. */
    final Object stateLock = new Object();

    volatile Connection conn; // written holding dataLock and stateLock
    final Object streamsLock = new Object();
    final Set<StreamCore> open = new LinkedHashSet<>(); // guarded by streamsLock
    final Map<Long, StreamCore> byId = new HashMap<>(); // guarded by streamsLock: current session's ids
    int creating; // guarded by streamsLock: createStream calls in flight
    final Thread eventThread;
    volatile boolean closed;
    volatile GuestConnectionException lost;
    volatile long lastEventSeq;
    private final StreamCreation creation = new StreamCreation(this);

    private SessionCore(Endpoint endpoint, GuestOptions options, Connection conn) {
        this.endpoint = endpoint;
        this.options = options;
        this.conn = conn;
        this.eventThread = new Thread(new EventPoller(this)::run, "overlay-guest-events-" + conn.hello.getSessionId());
        eventThread.setDaemon(true);
    }

    /**
     * Connects to the client at {@code endpoint}, says hello and starts the event thread. While the
     * client cannot be reached, the first connection is tried again for up to
     * {@link GuestOptions#connectWaitMs()} (default 0: not at all); reconnection after a drop starts
     * once a session existed.
     *
     * @throws OverlayError             the client refused hello: VERSION_MISMATCH, AUTH_FAILED,
     *                                  INVALID_ARGUMENT (play locally)
     * @throws GuestConnectionException the client cannot be reached or does not speak the protocol
     */
    public static SessionCore connect(Endpoint endpoint, GuestOptions options) throws OverlayException {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(options, "options");
        Connection c = Connection.openFirst(endpoint, options);
        SessionCore guest = new SessionCore(endpoint, options, c);
        LOG.info(
                "connected to {} at {}: session {}, protocol {}",
                c.hello.getClientName(),
                endpoint,
                c.hello.getSessionId(),
                HelloHandshake.format(c.hello.getVersion()));
        guest.eventThread.start();
        return guest;
    }

    // ---- what hello told ------------------------------------------------------------------------

    /** What the client said in hello (after a reconnect, the newest session's). */
    public ClientInfo client() {
        return Wire.client(conn.hello);
    }

    /** The client's limits as the protocol states them. */
    ClientLimits wireLimits() {
        return conn.hello.getLimits();
    }

    /** Whether the client takes {@code kind} as a source (URI only when its policy allows). */
    public boolean accepts(GuestSource kind) {
        return conn.hello.getSourceKinds().contains(Wire.source(kind));
    }

    /** Whether the client has a decoder (or demuxer) for these caps' media type (see {@link Connection#canDecode}). */
    public boolean canDecode(String caps) {
        return conn.canDecode(caps);
    }

    public Endpoint endpoint() {
        return endpoint;
    }

    public GuestOptions options() {
        return options;
    }

    /** The newest event seq the event thread has read in the current session (0 after a reconnect). */
    public long lastEventSeq() {
        return lastEventSeq;
    }

    /** Whether {@link #close()} was called or the connection was lost for good (false while reconnecting). */
    public boolean isClosed() {
        return closed || lost != null;
    }

    /** Whether the channel dropped and the guest is reconnecting now. */
    public boolean isReconnecting() {
        return !isClosed() && conn.broken;
    }

    /** Streams open now (also those waiting to be re-created after a drop). */
    public List<StreamCore> streams() {
        synchronized (streamsLock) {
            return List.copyOf(open);
        }
    }

    // ---- streams ----------------------------------------------------------------------------

    // ---- streams ----------------------------------------------------------------------------

    /**
     * Opens a PUSH_SAMPLES stream (video track {@link StreamCore#VIDEO_TRACK}, audio track, when
     * {@link StreamOptions#audioCaps()} is set, {@link StreamCore#AUDIO_TRACK}); {@code eventsFor}
     * makes the stream's events receiver before any event can arrive.
     */
    public StreamCore createSamplesStream(StreamOptions options, Function<StreamCore, StreamEvents> eventsFor)
            throws OverlayException {
        return creation.createSamplesStream(options, eventsFor);
    }

    /** Opens a PUSH_BYTES stream: container bytes the client demuxes. */
    public StreamCore createBytesStream(StreamOptions options, Function<StreamCore, StreamEvents> eventsFor)
            throws OverlayException {
        return creation.createBytesStream(options, eventsFor);
    }

    // ---- calls on the data connection -----------------------------------------------------------

    /**
     * Runs one call that belongs to the session, not to a stream (createStream), serialised with
     * every other. While the guest reconnects it waits for the new session and runs there.
     */
    <T> T call(String what, DataCall<T> call) throws OverlayException {
        while (true) {
            Connection c = awaitConnection();
            try {
                return run(c, what, call);
            } catch (Reconnecting e) {
                // dropped during the call: the old session is gone, run it on the next one
            }
        }
    }

    /**
     * Runs one call for a stream whose id belongs to connection {@code generation}.
     *
     * @throws Reconnecting             the connection dropped, or the stream is not re-created on the
     *                                  new one yet (never waits here: callers may hold their stream lock)
     * @throws GuestConnectionException the guest is closed, gave up, or does not reconnect
     */
    <T> T streamCall(String what, long generation, DataCall<T> call) throws OverlayException {
        Connection c = conn;
        if (c.generation != generation) {
            usable();
            throw RECONNECTING;
        }
        return run(c, what, call);
    }

    private <T> T run(Connection c, String what, DataCall<T> call) throws OverlayException {
        GuestConnectionException failure;
        synchronized (dataLock) {
            usable();
            if (c != conn || c.broken) {
                throw RECONNECTING;
            }
            try {
                return call.run(c.data);
            } catch (OverlayError e) {
                throw Wire.exception(e);
            } catch (TApplicationException e) {
                // The client failed to answer this call; the connection itself is still in step.
                throw new GuestConnectionException(
                        "the overlay client failed to answer " + what + ": " + Connection.describe(e), e);
            } catch (TException e) {
                failure = dropped(c, what, e);
            }
        }
        // Outside the data lock: a waiting sender holds its stream's lock before it takes the data lock.
        wakeAllSenders();
        if (failure == null) {
            throw RECONNECTING;
        }
        throw failure;
    }

    /** The current connection, waiting while the guest reconnects (not on the event thread, which does it). */
    private Connection awaitConnection() {
        synchronized (stateLock) {
            while (true) {
                usable();
                Connection c = conn;
                if (!c.broken) {
                    return c;
                }
                if (isEventThread()) {
                    throw new IllegalStateException("a listener cannot wait for the reconnect to " + endpoint
                            + " (it runs on the thread that reconnects); call from the player's own thread");
                }
                try {
                    stateLock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new GuestConnectionException(
                            "interrupted while reconnecting to the overlay client at " + endpoint, e);
                }
            }
        }
    }

    void usable() {
        GuestConnectionException l = lost;
        if (l != null) {
            throw new GuestConnectionException(l.getMessage(), l);
        }
        if (closed) {
            throw new GuestConnectionException("the connection to the overlay client at " + endpoint + " is closed");
        }
    }

    /**
     * A call on {@code c} failed: marks it broken and closes it, so the event thread's poll fails too
     * and reconnects. Without reconnection the loss is final. @return the final loss, or null while
     * the guest reconnects
     */
    GuestConnectionException dropped(Connection c, String what, Exception cause) {
        if (closed) {
            return new GuestConnectionException(
                    "the connection to the overlay client at " + endpoint + " is closed", cause);
        }
        if (!options.reconnect()) {
            return recordLoss(what, cause);
        }
        if (!c.broken) {
            c.broken = true;
            LOG.warn(
                    "lost the connection to the overlay client at {} during {}: {}; reconnecting",
                    endpoint,
                    what,
                    Connection.describe(cause));
        }
        c.close();
        return null;
    }

    void wakeAllSenders() {
        for (StreamCore s : streams()) {
            s.wakeSenders();
        }
    }

    /** Records the final loss (first one wins), closes both connections so the event thread ends too. */
    private GuestConnectionException recordLoss(String what, Exception cause) {
        GuestConnectionException e = new GuestConnectionException(
                "lost the connection to the overlay client at " + endpoint + " during " + what + ": "
                        + Connection.describe(cause),
                cause);
        giveUp(e);
        return lost;
    }

    /** Makes {@code e} the final loss (first one wins) and wakes everyone waiting. */
    void giveUp(GuestConnectionException e) {
        synchronized (streamsLock) {
            if (lost == null) {
                lost = e;
                LOG.warn("{}", e.getMessage());
            }
        }
        conn.close();
        synchronized (stateLock) {
            stateLock.notifyAll();
        }
    }

    GuestConnectionException lostCause() {
        return lost;
    }

    /** Whether a stream whose id belongs to connection {@code generation} waits for a reconnect's replay. */
    boolean needsReplay(long generation) {
        Connection c = conn;
        return !isClosed() && (c.broken || c.generation != generation);
    }

    boolean isEventThread() {
        return Thread.currentThread() == eventThread;
    }

    void forget(StreamCore s) {
        synchronized (streamsLock) {
            open.remove(s);
            byId.remove(s.id(), s);
        }
    }

    /** A replayed stream's new id (event thread). */
    void mapped(StreamCore s) {
        synchronized (streamsLock) {
            byId.put(s.id(), s);
        }
    }

    // ---- events and reconnection (event thread) -------------------------------------------------

    /**
     * Ends the session: the client closes every stream of it (their listeners hear
     * {@code onClosed}), both connections close, a reconnect in progress stops and the event thread
     * ends. Idempotent; callable from a listener.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        conn.close();
        synchronized (stateLock) {
            stateLock.notifyAll();
        }
        wakeAllSenders();
        if (!isEventThread()) {
            try {
                eventThread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        LOG.info("session {} with {} closed", conn.hello.getSessionId(), endpoint);
    }

    static OverlayException streamClosed(long streamId) {
        return new OverlayException(GuestErrorCode.STREAM_CLOSED, "stream " + streamId + " is closed", streamId, -1);
    }

    @Override
    public String toString() {
        return "OverlayGuest[session " + conn.hello.getSessionId() + " at " + endpoint
                + (isClosed() ? ", closed" : isReconnecting() ? ", reconnecting" : "") + "]";
    }
}
