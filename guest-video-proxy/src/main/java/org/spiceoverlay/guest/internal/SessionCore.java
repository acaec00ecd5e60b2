package org.spiceoverlay.guest.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.apache.thrift.TApplicationException;
import org.apache.thrift.TException;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.transport.TTransport;
import org.apache.thrift.transport.layered.TFramedTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spiceoverlay.api.GuestDisplay;
import org.spiceoverlay.api.HelloHandshake;
import org.spiceoverlay.api.WireTypes;
import org.spiceoverlay.api.thrift.ClientLimits;
import org.spiceoverlay.api.thrift.CreateStreamRequest;
import org.spiceoverlay.api.thrift.CreateStreamResponse;
import org.spiceoverlay.api.thrift.Event;
import org.spiceoverlay.api.thrift.EventBatch;
import org.spiceoverlay.api.thrift.HelloRequest;
import org.spiceoverlay.api.thrift.HelloResponse;
import org.spiceoverlay.api.thrift.MediaKind;
import org.spiceoverlay.api.thrift.OverlayError;
import org.spiceoverlay.api.thrift.OverlayService;
import org.spiceoverlay.api.thrift.SourceKind;
import org.spiceoverlay.api.thrift.TrackInfo;
import org.spiceoverlay.api.transport.Transports;
import org.spiceoverlay.api.transport.Endpoint;
import org.spiceoverlay.guest.ClientInfo;
import org.spiceoverlay.guest.GuestConnectionException;
import org.spiceoverlay.guest.GuestErrorCode;
import org.spiceoverlay.guest.GuestOptions;
import org.spiceoverlay.guest.GuestSource;
import org.spiceoverlay.guest.OverlayException;
import org.spiceoverlay.guest.StreamOptions;

/**
 * The working part of an {@code OverlayGuest}: the session's two connections (data calls, and an
 * event thread long-polling the client's events on a second connection joined with
 * {@code attach}), the streams, and the reconnection that re-creates them. See
 * {@code OverlayGuest} for the contract; this class speaks the protocol's types inside and the
 * library's at its edges.
 *
 * <p>Thread-safe: calls on the data connection are serialised here (one Thrift client is not
 * thread-safe). The streams' events and the reconnection run on the one event thread. Not API.
 */
public final class SessionCore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SessionCore.class);

    /** Long-poll wait per pollEvents call, milliseconds. */
    static final int POLL_TIMEOUT_MS = 1000;
    /** Most events read per poll. */
    static final int POLL_MAX_EVENTS = 256;
    /** Frame limit before hello has told the client's limits: hello's answer is small. */
    private static final int HELLO_FRAME_BYTES = 1 << 20;
    /** Room for the message around a chunk's payload in one frame (as the client allows). */
    private static final int FRAME_OVERHEAD_BYTES = 1 << 20;

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

    /** One session with the client: both connections and what hello answered. */
    private static final class Connection {
        final long generation;
        final HelloResponse hello;
        final TTransport dataTransport;
        final OverlayService.Client data;
        final TTransport eventsTransport;
        final OverlayService.Client events;
        /** Set once a call on it failed; a reconnect replaces it. */
        volatile boolean broken;

        Connection(long generation, HelloResponse hello, TTransport dataTransport, OverlayService.Client data,
                TTransport eventsTransport, OverlayService.Client events) {
            this.generation = generation;
            this.hello = hello;
            this.dataTransport = dataTransport;
            this.data = data;
            this.eventsTransport = eventsTransport;
            this.events = events;
        }

        void close() {
            closeQuietly(dataTransport, eventsTransport);
        }
    }

    private final Endpoint endpoint;
    private final GuestOptions options;
    private final Object dataLock = new Object();
    /** Guards waiting for a connection; notified when one is published, on give-up and on close. */
    private final Object stateLock = new Object();
    private volatile Connection conn; // written holding dataLock and stateLock
    private final Object streamsLock = new Object();
    private final Set<StreamCore> open = new LinkedHashSet<>(); // guarded by streamsLock
    private final Map<Long, StreamCore> byId = new HashMap<>(); // guarded by streamsLock: current session's ids
    private int creating; // guarded by streamsLock: createStream calls in flight
    private final Thread eventThread;
    private volatile boolean closed;
    private volatile GuestConnectionException lost;
    private volatile long lastEventSeq;

    private SessionCore(Endpoint endpoint, GuestOptions options, Connection conn) {
        this.endpoint = endpoint;
        this.options = options;
        this.conn = conn;
        this.eventThread = new Thread(this::pollLoop, "overlay-guest-events-" + conn.hello.getSessionId());
        eventThread.setDaemon(true);
    }

    /**
     * Connects to the client at {@code endpoint}, says hello and starts the event thread. The first
     * connection is not retried: reconnection starts once a session existed.
     *
     * @throws OverlayError             the client refused hello: VERSION_MISMATCH, AUTH_FAILED,
     *                                  INVALID_ARGUMENT (play locally)
     * @throws GuestConnectionException the client cannot be reached or does not speak the protocol
     */
    public static SessionCore connect(Endpoint endpoint, GuestOptions options) throws OverlayException {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(options, "options");
        Connection c = openSession(endpoint, options, 1);
        SessionCore guest = new SessionCore(endpoint, options, c);
        LOG.info("connected to {} at {}: session {}, protocol {}", c.hello.getClientName(), endpoint,
                c.hello.getSessionId(), HelloHandshake.format(c.hello.getVersion()));
        guest.eventThread.start();
        return guest;
    }

    /** Opens both connections: hello on the first, attach on the second. */
    private static Connection openSession(Endpoint endpoint, GuestOptions options, long generation)
            throws OverlayException {
        TTransport dataTransport = open(endpoint, "the data connection");
        TTransport eventsTransport = null;
        try {
            OverlayService.Client data = new OverlayService.Client(new TBinaryProtocol(dataTransport));
            List<org.spiceoverlay.api.thrift.GuestDisplay> displays = new ArrayList<>();
            for (GuestDisplay d : options.displays()) {
                displays.add(WireTypes.toWire(d));
            }
            HelloRequest request = new HelloRequest(HelloHandshake.currentVersion(), displays)
                    .setGuestName(options.guestName());
            if (options.authToken() != null) {
                request.setAuthToken(options.authToken());
            }
            HelloResponse hello = data.hello(request);
            int frameLimit = (int) Math.min(Integer.MAX_VALUE,
                    (long) hello.getLimits().getMaxChunkBytes() + FRAME_OVERHEAD_BYTES);
            dataTransport.getConfiguration().setMaxFrameSize(frameLimit);

            eventsTransport = open(endpoint, "the events connection");
            OverlayService.Client events = new OverlayService.Client(new TBinaryProtocol(eventsTransport));
            events.attach(hello.getSessionToken(), hello.getVersion());
            return new Connection(generation, hello, dataTransport, data, eventsTransport, events);
        } catch (OverlayError e) {
            closeQuietly(dataTransport, eventsTransport);
            throw Wire.exception(e);
        } catch (TException e) {
            closeQuietly(dataTransport, eventsTransport);
            throw new GuestConnectionException("hello with the overlay client at " + endpoint + " failed: "
                    + describe(e), e);
        } catch (RuntimeException e) {
            closeQuietly(dataTransport, eventsTransport);
            throw e;
        }
    }

    private static TTransport open(Endpoint endpoint, String what) {
        try {
            return new TFramedTransport(Transports.connect(endpoint), HELLO_FRAME_BYTES);
        } catch (IOException | TException e) {
            throw new GuestConnectionException("cannot open " + what + " to the overlay client at " + endpoint + ": "
                    + describe(e), e);
        }
    }

    private static void closeQuietly(TTransport... transports) {
        for (TTransport t : transports) {
            if (t != null) {
                t.close();
            }
        }
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        Throwable c = e.getCause();
        if ((m == null || m.isEmpty()) && c != null) {
            m = c.toString();
        }
        return m == null || m.isEmpty() ? e.getClass().getSimpleName() : m;
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

    /**
     * Whether the client has a decoder (or demuxer) for these caps, judged by their media type (the
     * part before the first comma, e.g. {@code video/x-h264}). A stream may still be refused for
     * its details (profile, size); createStream then says why.
     */
    public boolean canDecode(String caps) {
        String type = mediaType(caps);
        if (type.isEmpty()) {
            return false;
        }
        for (org.spiceoverlay.api.thrift.CodecSupport c : conn.hello.getDecoders()) {
            if (mediaType(c.getCaps()).equals(type)) {
                return true;
            }
        }
        return false;
    }

    private static String mediaType(String caps) {
        if (caps == null) {
            return "";
        }
        int comma = caps.indexOf(',');
        return (comma < 0 ? caps : caps.substring(0, comma)).trim().toLowerCase(Locale.ROOT);
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
    public StreamCore createSamplesStream(StreamOptions options, Function<StreamCore, StreamCore.Events> eventsFor)
            throws OverlayException {
        Objects.requireNonNull(options, "options");
        if (options.videoCaps() == null) {
            throw new IllegalArgumentException("createSamplesStream needs StreamOptions.samples(videoCaps, ...)");
        }
        List<TrackInfo> tracks = new ArrayList<>();
        tracks.add(new TrackInfo(StreamCore.VIDEO_TRACK, MediaKind.VIDEO, options.videoCaps()));
        if (options.audioCaps() != null) {
            tracks.add(new TrackInfo(StreamCore.AUDIO_TRACK, MediaKind.AUDIO, options.audioCaps()));
        }
        CreateStreamRequest request = baseRequest(SourceKind.PUSH_SAMPLES, options).setTracks(tracks)
                .setStartTimeNs(options.startTimeNs());
        return create(request, options, eventsFor);
    }

    /** Opens a PUSH_BYTES stream: container bytes the client demuxes. */
    public StreamCore createBytesStream(StreamOptions options, Function<StreamCore, StreamCore.Events> eventsFor)
            throws OverlayException {
        Objects.requireNonNull(options, "options");
        if (options.videoCaps() != null) {
            throw new IllegalArgumentException("createBytesStream needs StreamOptions.bytes(containerCaps, ...)");
        }
        CreateStreamRequest request = baseRequest(SourceKind.PUSH_BYTES, options);
        if (options.containerCaps() != null) {
            request.setContainerCaps(options.containerCaps());
        }
        return create(request, options, eventsFor);
    }

    private static CreateStreamRequest baseRequest(SourceKind source, StreamOptions o) {
        CreateStreamRequest r = new CreateStreamRequest(source, Wire.geometry(o.geometry(),
                StreamCore.FIRST_GEOMETRY_SEQ)).setAudio(o.audio()).setTiming(Wire.timing(o.timing()))
                .setStartPaused(o.startPaused());
        if (o.durationNs() >= 0) {
            r.setDurationNs(o.durationNs());
        }
        if (o.title() != null) {
            r.setTitle(o.title());
        }
        return r;
    }

    private StreamCore create(CreateStreamRequest request, StreamOptions options,
            Function<StreamCore, StreamCore.Events> eventsFor) throws OverlayException {
        synchronized (streamsLock) {
            creating++;
        }
        try {
            // call() holds the data lock through this, so a reconnect publishing a new connection
            // (under the same lock) sees the stream in the list it replays.
            return call("createStream", client -> {
                CreateStreamResponse r = client.createStream(request);
                StreamCore s = new StreamCore(this, r.getStreamId(), conn.generation, request.deepCopy(), options,
                        eventsFor, r.getCredit());
                synchronized (streamsLock) {
                    open.add(s);
                    byId.put(s.id(), s);
                }
                LOG.debug("stream {} created: {}", s.id(), options);
                return s;
            });
        } finally {
            synchronized (streamsLock) {
                creating--;
                streamsLock.notifyAll();
            }
        }
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
                throw new GuestConnectionException("the overlay client failed to answer " + what + ": " + describe(e),
                        e);
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
                    throw new GuestConnectionException("interrupted while reconnecting to the overlay client at "
                            + endpoint, e);
                }
            }
        }
    }

    private void usable() {
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
    private GuestConnectionException dropped(Connection c, String what, Exception cause) {
        if (closed) {
            return new GuestConnectionException("the connection to the overlay client at " + endpoint
                    + " is closed", cause);
        }
        if (!options.reconnect()) {
            return recordLoss(what, cause);
        }
        if (!c.broken) {
            c.broken = true;
            LOG.warn("lost the connection to the overlay client at {} during {}: {}; reconnecting", endpoint, what,
                    describe(cause));
        }
        c.close();
        return null;
    }

    private void wakeAllSenders() {
        for (StreamCore s : streams()) {
            s.wakeSenders();
        }
    }

    /** Records the final loss (first one wins), closes both connections so the event thread ends too. */
    private GuestConnectionException recordLoss(String what, Exception cause) {
        GuestConnectionException e = new GuestConnectionException("lost the connection to the overlay client at "
                + endpoint + " during " + what + ": " + describe(cause), cause);
        giveUp(e);
        return lost;
    }

    /** Makes {@code e} the final loss (first one wins) and wakes everyone waiting. */
    private void giveUp(GuestConnectionException e) {
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

    private void pollLoop() {
        long after = 0;
        Connection c = conn;
        while (!closed && lost == null) {
            EventBatch batch;
            try {
                batch = c.events.pollEvents(after, POLL_TIMEOUT_MS, POLL_MAX_EVENTS);
            } catch (TException e) { // OverlayError too: HELLO_REQUIRED, the session behind the attach ended
                if (closed) {
                    break;
                }
                if (dropped(c, "pollEvents", e) != null) {
                    wakeAllSenders();
                    break;
                }
                wakeAllSenders();
                if (!reconnect(e)) {
                    break;
                }
                c = conn;
                after = 0;
                lastEventSeq = 0;
                continue;
            }
            // The connection still answers: a close held back by the last batch was a real one.
            for (StreamCore s : streams()) {
                s.settleHeldClose();
            }
            if (batch.getFirstAvailableSeq() > after + 1) {
                LOG.warn("session {}: events {}..{} were lost (polled too late); stream state resynchronises from "
                        + "the next events", c.hello.getSessionId(), after + 1, batch.getFirstAvailableSeq() - 1);
            }
            for (Event e : batch.getEvents()) {
                after = e.getSeq();
                lastEventSeq = after;
                if (e.isSetStreamId()) {
                    StreamCore s = find(e.getStreamId());
                    if (s != null) {
                        s.onEvent(e);
                    }
                }
            }
        }
        // Tell whoever is left: the connection is gone (or closed by us).
        GuestConnectionException cause = closed ? null : lost;
        for (StreamCore s : streams()) {
            s.terminated(cause);
        }
        synchronized (streamsLock) {
            open.clear();
            byId.clear();
        }
    }

    /**
     * Reconnects with backoff and replays the streams. @return true when a new session is up (the
     * replay may have been cut short by another drop: the next poll then fails and this runs again);
     * false when the guest gave up or was closed
     */
    private boolean reconnect(Exception cause) {
        Connection old = conn;
        GuestConnectionException drop = new GuestConnectionException("lost the connection to the overlay client at "
                + endpoint + ": " + describe(cause) + "; reconnecting", cause);
        synchronized (streamsLock) {
            byId.clear(); // the old session's ids mean nothing to the next one
        }
        for (StreamCore s : streams()) {
            s.connectionLost(drop);
        }
        long started = System.nanoTime();
        long giveUpNanos = TimeUnit.MILLISECONDS.toNanos(options.reconnectGiveUpMs());
        long delayMs = options.reconnectInitialDelayMs();
        int attempts = 0;
        Exception last = cause;
        while (!closed && lost == null) {
            long leftNanos = giveUpNanos - (System.nanoTime() - started);
            if (leftNanos <= 0) {
                giveUp(new GuestConnectionException("gave up reconnecting to " + endpoint + " after "
                        + seconds(options.reconnectGiveUpMs()) + " s (" + attempts + " attempts; last: "
                        + describe(last) + ")", last));
                return false;
            }
            synchronized (stateLock) {
                try {
                    stateLock.wait(Math.max(1, Math.min(delayMs, TimeUnit.NANOSECONDS.toMillis(leftNanos))));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    giveUp(new GuestConnectionException("interrupted while reconnecting to " + endpoint, e));
                    return false;
                }
            }
            if (closed || lost != null) {
                return false;
            }
            attempts++;
            Connection next;
            try {
                next = openSession(endpoint, options, old.generation + 1);
            } catch (OverlayException e) {
                giveUp(new GuestConnectionException("gave up reconnecting to " + endpoint + ": the client refused "
                        + "hello: " + e.code() + " " + e.getMessage(), e));
                return false;
            } catch (GuestConnectionException e) {
                last = e;
                delayMs = Math.min(delayMs * 2, options.reconnectMaxDelayMs());
                LOG.debug("reconnect attempt {} to {} failed: {}", attempts, endpoint, e.getMessage());
                continue;
            }
            synchronized (dataLock) {
                synchronized (stateLock) {
                    if (closed) {
                        next.close();
                        return false;
                    }
                    conn = next;
                    stateLock.notifyAll();
                }
            }
            LOG.info("reconnected to {} after {} ms ({} attempts): session {}", endpoint,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), attempts, next.hello.getSessionId());
            for (StreamCore s : streams()) {
                if (!s.replay(next.generation)) {
                    break; // dropped again: the next poll fails and reconnects
                }
            }
            return true;
        }
        return false;
    }

    private static String seconds(long ms) {
        return ms % 1000 == 0 ? String.valueOf(ms / 1000) : String.format(Locale.ROOT, "%.1f", ms / 1000.0);
    }

    /** The stream for an event; waits out a createStream in flight, whose early events may arrive first. */
    private StreamCore find(long id) {
        synchronized (streamsLock) {
            StreamCore s = byId.get(id);
            while (s == null && creating > 0 && !closed && lost == null) {
                try {
                    streamsLock.wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
                s = byId.get(id);
            }
            return s;
        }
    }

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
