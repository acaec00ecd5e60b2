package org.spiceoverlay.guest.internal;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spiceoverlay.api.thrift.ControlCommand;
import org.spiceoverlay.api.thrift.CreateStreamRequest;
import org.spiceoverlay.api.thrift.Credit;
import org.spiceoverlay.api.thrift.Event;
import org.spiceoverlay.api.thrift.SourceKind;
import org.spiceoverlay.api.thrift.TrackInfo;
import org.spiceoverlay.guest.GuestConnectionException;
import org.spiceoverlay.guest.GuestGeometry;
import org.spiceoverlay.guest.GuestSample;
import org.spiceoverlay.guest.GuestSeekMode;
import org.spiceoverlay.guest.GuestSource;
import org.spiceoverlay.guest.GuestStreamState;
import org.spiceoverlay.guest.OverlayException;
import org.spiceoverlay.guest.StreamOptions;

/**
 * The working part of a {@code GuestStream}: data with back-pressure, geometry, controls, the
 * stream's events and its re-creation after a reconnect. See {@code GuestStream} for the contract;
 * this class speaks the protocol's types inside and the library's at its edges.
 *
 * <p>Sends block until the client's credit allows them and never exceed it: the stream counts the
 * payload bytes it has sent against the absolute {@code Credit.bytesLimit} from each push result
 * and CREDIT event. Chunks are numbered 1, 2, 3...; a list of samples is split into chunks of at
 * most {@code maxChunkBytes}. A seek names the next chunk as the first of the new position and flags
 * its first sample DISCONT.
 *
 * <p>Thread-safe; not API.
 */
public final class StreamCore implements AutoCloseable {

    /** The public stream this is the working part of. */
    public Object handle() {
        return events.handle();
    }

    private static final Logger LOG = LoggerFactory.getLogger(StreamCore.class);

    /** Sample.trackId of the video track of a samples stream. */
    public static final int VIDEO_TRACK = 1;
    /** Sample.trackId of the audio track, when the stream has one. */
    public static final int AUDIO_TRACK = 2;
    /** The geometry seq the create request carries; setGeometry continues from it. */
    static final long FIRST_GEOMETRY_SEQ = 1;

    /** How long a send refused with UNKNOWN_STREAM/STREAM_CLOSED it did not cause waits to learn why. */
    static final long CLOSE_VERDICT_NANOS = TimeUnit.SECONDS.toNanos(5);

    final SessionCore guest;
    volatile long id; // changes when a reconnect re-creates the stream; written holding lock
    volatile long generation; // the guest connection the id belongs to; written holding lock
    final CreateStreamRequest request;
    final StreamOptions options;
    final StreamEvents events;
    private final ChunkSender sender;
    private final StreamControls controls;
    private final StreamEventHandler incoming;
    private final StreamReplay replayer;
    final SourceKind source;
    final Set<Integer> trackIds = new HashSet<>();
    final int chunkLimit;
    final long creditTimeoutNanos;

    /** One whole send at a time, so that a send's chunks are consecutive. */
    final ReentrantLock sendLock = new ReentrantLock(true);
    /**
     * Held while a chunk or a seek is on the wire (from naming its sequence number to the client's
     * answer), so that a seek sees a settled sequence and no chunk of the old position follows it.
     * Never held while waiting for credit, and never taken by the event thread.
     */
    final ReentrantLock wireLock = new ReentrantLock(true);
    /**
     * Guards the data state below, only for bookkeeping: never held across a call to the client, so
     * the event thread (CREDIT events for every stream) never waits for a round trip.
     */
    final ReentrantLock lock = new ReentrantLock();

    final Condition creditChanged = lock.newCondition();
    long nextSeq = 1;
    long bytesSent;
    long bytesLimit;
    long epoch; // +1 per seek: sends that started before it stop
    boolean discontPending;
    boolean resumePending; // re-created, listeners not yet told: sends wait (a seek there wins)
    boolean paused;
    boolean closed;

    final Object geometryLock = new Object();
    long geometrySeq = FIRST_GEOMETRY_SEQ; // guarded by geometryLock
    volatile GuestGeometry geometry;

    volatile GuestStreamState state;
    volatile long positionNs = -1;
    volatile long durationNs = -1;
    volatile double rate = 1.0;
    volatile double volume = 1.0;
    volatile boolean mute;
    boolean closedReported; // event thread only
    boolean fatalReported; // event thread only: a fatal ERROR explains a STREAM_CLOSED
    boolean closeHeld; // event thread only: an unexplained STREAM_CLOSED waiting for the next poll
    volatile long lastVideoPtsNs = Long.MIN_VALUE;

    StreamCore(
            SessionCore guest,
            long id,
            long generation,
            CreateStreamRequest request,
            StreamOptions options,
            Function<StreamCore, StreamEvents> eventsFor,
            Credit credit) {
        this.guest = guest;
        this.id = id;
        this.generation = generation;
        this.request = request;
        this.options = options;
        this.source = request.getSource();
        if (request.isSetTracks()) {
            for (TrackInfo t : request.getTracks()) {
                trackIds.add(t.getTrackId());
            }
        }
        var limits = guest.wireLimits();
        // A chunk must fit the credit window too, or it could never be sent.
        this.chunkLimit = (int) Math.min(limits.getMaxChunkBytes(), limits.getMaxBufferedBytesPerStream());
        this.creditTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(guest.options().creditTimeoutMs());
        this.bytesLimit = credit == null ? 0 : credit.getBytesLimit();
        this.paused = options.startPaused();
        this.geometry = options.geometry();
        this.sender = new ChunkSender(this);
        this.controls = new StreamControls(this);
        this.incoming = new StreamEventHandler(this);
        this.replayer = new StreamReplay(this);
        this.events = eventsFor.apply(this);
    }

    /** The client's id for the stream (a new one after a reconnect re-created the stream). */
    public long id() {
        return id;
    }

    public GuestSource source() {
        return Wire.source(source);
    }

    public StreamOptions options() {
        return options;
    }

    /** The latest geometry given (the initial one until {@link #setGeometry}). */
    public GuestGeometry geometry() {
        return geometry;
    }

    /** The last state the client reported, or null before the first report. */
    public GuestStreamState state() {
        return state;
    }

    /** The last position the client reported (media time), or -1 before the first report. */
    public long positionNs() {
        return positionNs;
    }

    /** The duration the client reported, or -1 when unknown. */
    public long durationNs() {
        return durationNs;
    }

    /** Payload bytes sent so far (the figure the client's credit is measured against). */
    public long bytesSent() {
        lock.lock();
        try {
            return bytesSent;
        } finally {
            lock.unlock();
        }
    }

    /** The credit granted so far: cumulative payload bytes the stream may have sent. */
    public long bytesLimit() {
        lock.lock();
        try {
            return bytesLimit;
        } finally {
            lock.unlock();
        }
    }

    /** The seq the next chunk will carry. */
    public long nextSeq() {
        lock.lock();
        try {
            return nextSeq;
        } finally {
            lock.unlock();
        }
    }

    /** The largest chunk payload this stream sends (the client's maxChunkBytes, within the window). */
    public int maxChunkBytes() {
        return chunkLimit;
    }

    public double rate() {
        return rate;
    }

    public double volume() {
        return volume;
    }

    public boolean muted() {
        return mute;
    }

    /** Whether the stream was closed (by {@link #close()}, the client or the connection). */
    public boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    // ---- data ---------------------------------------------------------------------------------

    void ensureOpen() throws OverlayException {
        GuestConnectionException lost = guest.lostCause();
        if (lost != null) {
            throw new GuestConnectionException(lost.getMessage(), lost);
        }
        if (guest.isClosed()) {
            throw new GuestConnectionException(
                    "the connection to the overlay client at " + guest.endpoint() + " is closed");
        }
        if (closed) {
            throw SessionCore.streamClosed(id);
        }
    }

    void raiseLimit(Credit c) {
        if (c != null && c.getStreamId() == id && c.getBytesLimit() > bytesLimit) {
            bytesLimit = c.getBytesLimit();
            creditChanged.signalAll();
        }
    }

    /** Wakes every waiting send to look at the state again (closed, connection lost). */
    void wakeSenders() {
        lock.lock();
        try {
            creditChanged.signalAll();
        } finally {
            lock.unlock();
        }
    }

    // ---- geometry -----------------------------------------------------------------------------

    // ---- controls -----------------------------------------------------------------------------

    // ---- events (event thread) ----------------------------------------------------------------

    // ---- the parts (see each for its contract) ---------------------------------------------------

    public boolean send(List<GuestSample> samples) throws OverlayException, InterruptedException {
        return sender.send(samples);
    }

    public boolean sendBytes(byte[] bytes) throws OverlayException, InterruptedException {
        return sender.sendBytes(bytes);
    }

    public void endOfStream() throws OverlayException, InterruptedException {
        sender.endOfStream();
    }

    public void play() throws OverlayException {
        controls.play();
    }

    public void pause() throws OverlayException {
        controls.pause();
    }

    public void seek(long positionNs, GuestSeekMode mode) throws OverlayException {
        controls.seek(positionNs, mode);
    }

    public void setRate(double newRate) throws OverlayException {
        controls.setRate(newRate);
    }

    public void setVolume(double newVolume) throws OverlayException {
        controls.setVolume(newVolume);
    }

    public void setMute(boolean newMute) throws OverlayException {
        controls.setMute(newMute);
    }

    void control(ControlCommand c, Runnable record) throws OverlayException {
        controls.control(c, record);
    }

    void onEvent(Event e) {
        incoming.onEvent(e);
    }

    void terminated(GuestConnectionException cause) {
        incoming.terminated(cause);
    }

    void settleHeldClose() {
        incoming.settleHeldClose();
    }

    void connectionLost(GuestConnectionException drop) {
        incoming.connectionLost(drop);
    }

    boolean replay(long gen) {
        return replayer.replay(gen);
    }

    /**
     * Moves the video: the new full geometry with the next geometry seq.
     *
     * @return false when the client found the update stale (a newer one won) and dropped it
     */
    public boolean setGeometry(GuestGeometry newGeometry) throws OverlayException {
        return controls.setGeometry(newGeometry);
    }

    /** Closes the stream on the client (see {@link StreamControls#close}). Idempotent. */
    @Override
    public void close() {
        controls.close();
    }

    @Override
    public String toString() {
        return "GuestStream[" + id + ", " + source + (options.title() != null ? " \"" + options.title() + "\"" : "")
                + "]";
    }
}
