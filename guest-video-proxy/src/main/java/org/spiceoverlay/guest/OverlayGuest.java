package org.spiceoverlay.guest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

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
import org.spiceoverlay.api.thrift.CodecSupport;
import org.spiceoverlay.api.thrift.CreateStreamRequest;
import org.spiceoverlay.api.thrift.CreateStreamResponse;
import org.spiceoverlay.api.thrift.ErrorCode;
import org.spiceoverlay.api.thrift.Event;
import org.spiceoverlay.api.thrift.EventBatch;
import org.spiceoverlay.api.thrift.HelloRequest;
import org.spiceoverlay.api.thrift.HelloResponse;
import org.spiceoverlay.api.thrift.MediaKind;
import org.spiceoverlay.api.thrift.OverlayError;
import org.spiceoverlay.api.thrift.OverlayService;
import org.spiceoverlay.api.thrift.ProtocolVersion;
import org.spiceoverlay.api.thrift.SourceKind;
import org.spiceoverlay.api.thrift.TrackInfo;
import org.spiceoverlay.api.transport.ChannelTransport;
import org.spiceoverlay.api.transport.Endpoint;

/**
 * A player's session with the Spice client's overlay service: the entry point of the guest
 * library. {@link #connect} opens the data connection and says hello, then joins a second
 * connection to the session ({@code attach}) on which an event thread long-polls the client's
 * events and hands them to each stream's {@link GuestStreamListener}, so a long poll never holds up
 * data calls.
 *
 * <p>Errors: calls throw the client's {@link OverlayError} unchanged (a typed code and a message);
 * a failed or dropped channel throws the unchecked {@link GuestConnectionException}, after which the
 * guest is unusable (every stream's listener hears {@code onConnectionLost}, then {@code onClosed}).
 *
 * <p>Thread-safe: any thread may call any method; calls on the data connection are serialised
 * here (one Thrift client is not thread-safe). Listeners run on the one event thread.
 *
 * <p>Reconnection (not done yet) has what it needs: the options, the endpoint, every open stream's
 * create request, latest geometry, next chunk seq and last position, and the last event seq read.
 */
public final class OverlayGuest implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OverlayGuest.class);

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

    private final Endpoint endpoint;
    private final GuestOptions options;
    private final HelloResponse hello;
    private final TTransport dataTransport;
    private final OverlayService.Client data;
    private final TTransport eventsTransport;
    private final OverlayService.Client events;
    private final Object dataLock = new Object();
    private final Object streamsLock = new Object();
    private final Map<Long, GuestStream> streams = new HashMap<>(); // guarded by streamsLock
    private int creating; // guarded by streamsLock: createStream calls in flight
    private final Thread eventThread;
    private volatile boolean closed;
    private volatile GuestConnectionException lost;
    private volatile long lastEventSeq;

    private OverlayGuest(Endpoint endpoint, GuestOptions options, HelloResponse hello, TTransport dataTransport,
            OverlayService.Client data, TTransport eventsTransport, OverlayService.Client events) {
        this.endpoint = endpoint;
        this.options = options;
        this.hello = hello;
        this.dataTransport = dataTransport;
        this.data = data;
        this.eventsTransport = eventsTransport;
        this.events = events;
        this.eventThread = new Thread(this::pollLoop, "overlay-guest-events-" + hello.getSessionId());
        eventThread.setDaemon(true);
    }

    /**
     * Connects to the client at {@code endpoint}, says hello and starts the event thread.
     *
     * @throws OverlayError             the client refused hello: VERSION_MISMATCH, AUTH_FAILED,
     *                                  INVALID_ARGUMENT (play locally)
     * @throws GuestConnectionException the client cannot be reached or does not speak the protocol
     */
    public static OverlayGuest connect(Endpoint endpoint, GuestOptions options) throws OverlayError {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(options, "options");
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

            OverlayGuest guest = new OverlayGuest(endpoint, options, hello, dataTransport, data, eventsTransport,
                    events);
            LOG.info("connected to {} at {}: session {}, protocol {}", hello.getClientName(), endpoint,
                    hello.getSessionId(), HelloHandshake.format(hello.getVersion()));
            guest.eventThread.start();
            return guest;
        } catch (OverlayError e) {
            closeQuietly(dataTransport, eventsTransport);
            throw e;
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
            return new TFramedTransport(ChannelTransport.connect(endpoint), HELLO_FRAME_BYTES);
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

    /** The client's full answer to hello (a copy). */
    public HelloResponse hello() {
        return hello.deepCopy();
    }

    /** The protocol version both sides speak. */
    public ProtocolVersion version() {
        return hello.getVersion().deepCopy();
    }

    /** The client's limits (chunk size, streams, credit window...). */
    public ClientLimits limits() {
        return hello.getLimits().deepCopy();
    }

    /** Everything the client can decode or demux. */
    public List<CodecSupport> decoders() {
        List<CodecSupport> out = new ArrayList<>();
        for (CodecSupport c : hello.getDecoders()) {
            out.add(c.deepCopy());
        }
        return out;
    }

    /** Whether the client takes {@code kind} as a source (URI only when its policy allows). */
    public boolean accepts(SourceKind kind) {
        return hello.getSourceKinds().contains(kind);
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
        for (CodecSupport c : hello.getDecoders()) {
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

    /** The newest event seq the event thread has read (where a reconnect resumes polling). */
    public long lastEventSeq() {
        return lastEventSeq;
    }

    /** Whether {@link #close()} was called or the connection was lost. */
    public boolean isClosed() {
        return closed || lost != null;
    }

    /** Streams open now. */
    public List<GuestStream> streams() {
        synchronized (streamsLock) {
            return List.copyOf(streams.values());
        }
    }

    // ---- streams ----------------------------------------------------------------------------

    /** {@link #createSamplesStream(StreamOptions, GuestStreamListener)} without a listener. */
    public GuestStream createSamplesStream(StreamOptions options) throws OverlayError {
        return createSamplesStream(options, null);
    }

    /**
     * Opens a PUSH_SAMPLES stream: the video track is {@link GuestStream#VIDEO_TRACK}, the audio
     * track (when {@link StreamOptions#audioCaps()} is set) {@link GuestStream#AUDIO_TRACK}.
     *
     * @param listener hears the stream's events from the first one on (null: none)
     * @throws OverlayError UNSUPPORTED_CODEC (the message names the caps: play locally),
     *                      LIMIT_EXCEEDED, INVALID_ARGUMENT, UNKNOWN_DISPLAY
     */
    public GuestStream createSamplesStream(StreamOptions options, GuestStreamListener listener) throws OverlayError {
        Objects.requireNonNull(options, "options");
        if (options.videoCaps() == null) {
            throw new IllegalArgumentException("createSamplesStream needs StreamOptions.samples(videoCaps, ...)");
        }
        List<TrackInfo> tracks = new ArrayList<>();
        tracks.add(new TrackInfo(GuestStream.VIDEO_TRACK, MediaKind.VIDEO, options.videoCaps()));
        if (options.audioCaps() != null) {
            tracks.add(new TrackInfo(GuestStream.AUDIO_TRACK, MediaKind.AUDIO, options.audioCaps()));
        }
        CreateStreamRequest request = baseRequest(SourceKind.PUSH_SAMPLES, options).setTracks(tracks)
                .setStartTimeNs(options.startTimeNs());
        return create(request, options, listener);
    }

    /** {@link #createBytesStream(StreamOptions, GuestStreamListener)} without a listener. */
    public GuestStream createBytesStream(StreamOptions options) throws OverlayError {
        return createBytesStream(options, null);
    }

    /**
     * Opens a PUSH_BYTES stream: container bytes the client demuxes (for players that cannot demux).
     *
     * @throws OverlayError UNSUPPORTED_CODEC, LIMIT_EXCEEDED, INVALID_ARGUMENT, UNKNOWN_DISPLAY
     */
    public GuestStream createBytesStream(StreamOptions options, GuestStreamListener listener) throws OverlayError {
        Objects.requireNonNull(options, "options");
        if (options.videoCaps() != null) {
            throw new IllegalArgumentException("createBytesStream needs StreamOptions.bytes(containerCaps, ...)");
        }
        CreateStreamRequest request = baseRequest(SourceKind.PUSH_BYTES, options);
        if (options.containerCaps() != null) {
            request.setContainerCaps(options.containerCaps());
        }
        return create(request, options, listener);
    }

    private static CreateStreamRequest baseRequest(SourceKind source, StreamOptions o) {
        CreateStreamRequest r = new CreateStreamRequest(source, o.geometry().toWire(GuestStream.FIRST_GEOMETRY_SEQ))
                .setAudio(o.audio()).setTiming(o.timing()).setStartPaused(o.startPaused());
        if (o.durationNs() >= 0) {
            r.setDurationNs(o.durationNs());
        }
        if (o.title() != null) {
            r.setTitle(o.title());
        }
        return r;
    }

    private GuestStream create(CreateStreamRequest request, StreamOptions options, GuestStreamListener listener)
            throws OverlayError {
        GuestStreamListener l = listener != null ? listener : new GuestStreamListener() { };
        synchronized (streamsLock) {
            creating++;
        }
        try {
            return call("createStream", client -> {
                CreateStreamResponse r = client.createStream(request);
                GuestStream s = new GuestStream(this, r.getStreamId(), request.deepCopy(), options, l, r.getCredit());
                synchronized (streamsLock) {
                    streams.put(s.id(), s);
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

    /** Runs one call on the data connection, serialised with every other. */
    <T> T call(String what, DataCall<T> call) throws OverlayError {
        GuestConnectionException failure;
        synchronized (dataLock) {
            usable();
            try {
                return call.run(data);
            } catch (OverlayError e) {
                throw e;
            } catch (TApplicationException e) {
                // The client failed to answer this call; the connection itself is still in step.
                throw new GuestConnectionException("the overlay client failed to answer " + what + ": " + describe(e),
                        e);
            } catch (TException e) {
                failure = recordLoss(what, e);
            }
        }
        // Outside the data lock: a waiting sender holds its stream's lock before it takes the data lock.
        wakeAllSenders();
        throw failure;
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

    /** Records the loss and wakes every waiting send; never called holding the data lock. */
    private void connectionLost(String what, Exception cause) {
        recordLoss(what, cause);
        wakeAllSenders();
    }

    private void wakeAllSenders() {
        for (GuestStream s : streams()) {
            s.wakeSenders();
        }
    }

    /** Records the loss (first one wins), closes both connections so the event thread ends too. */
    private GuestConnectionException recordLoss(String what, Exception cause) {
        if (closed) {
            return new GuestConnectionException("the connection to the overlay client at " + endpoint
                    + " is closed", cause);
        }
        GuestConnectionException e = new GuestConnectionException("lost the connection to the overlay client at "
                + endpoint + " during " + what + ": " + describe(cause), cause);
        synchronized (streamsLock) {
            if (lost == null) {
                lost = e;
                LOG.warn("{}", e.getMessage());
            }
        }
        closeQuietly(dataTransport, eventsTransport);
        return e;
    }

    GuestConnectionException lostCause() {
        return lost;
    }

    boolean isEventThread() {
        return Thread.currentThread() == eventThread;
    }

    void forget(long streamId) {
        synchronized (streamsLock) {
            streams.remove(streamId);
        }
    }

    // ---- events (event thread) ------------------------------------------------------------------

    private void pollLoop() {
        long after = 0;
        while (!closed && lost == null) {
            EventBatch batch;
            try {
                batch = events.pollEvents(after, POLL_TIMEOUT_MS, POLL_MAX_EVENTS);
            } catch (OverlayError e) {
                // HELLO_REQUIRED: the session behind the attach ended.
                connectionLost("pollEvents", e);
                break;
            } catch (TException e) {
                if (!closed) {
                    connectionLost("pollEvents", e);
                }
                break;
            }
            if (batch.getFirstAvailableSeq() > after + 1) {
                LOG.warn("session {}: events {}..{} were lost (polled too late); stream state resynchronises from "
                        + "the next events", hello.getSessionId(), after + 1, batch.getFirstAvailableSeq() - 1);
            }
            for (Event e : batch.getEvents()) {
                after = e.getSeq();
                lastEventSeq = after;
                if (e.isSetStreamId()) {
                    GuestStream s = find(e.getStreamId());
                    if (s != null) {
                        s.onEvent(e);
                    }
                }
            }
        }
        // Tell whoever is left: the connection is gone (or closed by us).
        GuestConnectionException cause = closed ? null : lost;
        for (GuestStream s : streams()) {
            s.terminated(cause);
        }
        synchronized (streamsLock) {
            streams.clear();
        }
    }

    /** The stream for an event; waits out a createStream in flight, whose early events may arrive first. */
    private GuestStream find(long id) {
        synchronized (streamsLock) {
            GuestStream s = streams.get(id);
            while (s == null && creating > 0 && !closed && lost == null) {
                try {
                    streamsLock.wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
                s = streams.get(id);
            }
            return s;
        }
    }

    /**
     * Ends the session: the client closes every stream of it (their listeners hear
     * {@code onClosed}), both connections close and the event thread ends. Idempotent; callable from
     * a listener.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeQuietly(dataTransport, eventsTransport);
        wakeAllSenders();
        if (!isEventThread()) {
            try {
                eventThread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        LOG.info("session {} with {} closed", hello.getSessionId(), endpoint);
    }

    static OverlayError streamClosed(long streamId) {
        OverlayError e = new OverlayError(ErrorCode.STREAM_CLOSED, "stream " + streamId + " is closed");
        e.setStreamId(streamId);
        return e;
    }

    @Override
    public String toString() {
        return "OverlayGuest[session " + hello.getSessionId() + " at " + endpoint + (isClosed() ? ", closed" : "")
                + "]";
    }
}
