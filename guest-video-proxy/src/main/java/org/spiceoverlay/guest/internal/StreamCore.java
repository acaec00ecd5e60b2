package org.spiceoverlay.guest.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spiceoverlay.api.thrift.ControlAction;
import org.spiceoverlay.api.thrift.ControlCommand;
import org.spiceoverlay.api.thrift.CreateStreamRequest;
import org.spiceoverlay.api.thrift.CreateStreamResponse;
import org.spiceoverlay.api.thrift.Credit;
import org.spiceoverlay.api.thrift.DataChunk;
import org.spiceoverlay.api.thrift.Event;
import org.spiceoverlay.api.thrift.OverlayProtocolConstants;
import org.spiceoverlay.api.thrift.PushResult;
import org.spiceoverlay.api.thrift.Sample;
import org.spiceoverlay.api.thrift.SourceKind;
import org.spiceoverlay.api.thrift.TrackInfo;
import org.spiceoverlay.guest.CreditTimeoutException;
import org.spiceoverlay.guest.GuestConnectionException;
import org.spiceoverlay.guest.GuestErrorCode;
import org.spiceoverlay.guest.GuestGeometry;
import org.spiceoverlay.guest.GuestOptions;
import org.spiceoverlay.guest.GuestQos;
import org.spiceoverlay.guest.GuestSample;
import org.spiceoverlay.guest.GuestSeekMode;
import org.spiceoverlay.guest.GuestSource;
import org.spiceoverlay.guest.GuestStreamError;
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

    /** What the stream tells its player (the public stream's listener, through an adapter). */
    public interface Events {
        void onState(GuestStreamState state);

        void onEndOfStream();

        void onError(GuestStreamError error);

        void onPosition(long positionNs, long durationNs);

        void onSeekDone(long positionNs);

        void onQos(GuestQos qos);

        void onVisibility(boolean visible);

        void onClosed();

        void onConnectionLost(GuestConnectionException cause);

        void onReconnected();

        boolean onResumeNeeded(long positionNs);

        /** The public stream these events are for. */
        Object handle();
    }

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
    private static final long CLOSE_VERDICT_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final SessionCore guest;
    private volatile long id; // changes when a reconnect re-creates the stream; written holding lock
    private volatile long generation; // the guest connection the id belongs to; written holding lock
    private final CreateStreamRequest request;
    private final StreamOptions options;
    private final Events events;
    private final SourceKind source;
    private final Set<Integer> trackIds = new HashSet<>();
    private final int chunkLimit;
    private final long creditTimeoutNanos;

    /** One whole send at a time, so that a send's chunks are consecutive. */
    private final ReentrantLock sendLock = new ReentrantLock(true);
    /**
     * Held while a chunk or a seek is on the wire (from naming its sequence number to the client's
     * answer), so that a seek sees a settled sequence and no chunk of the old position follows it.
     * Never held while waiting for credit, and never taken by the event thread.
     */
    private final ReentrantLock wireLock = new ReentrantLock(true);
    /**
     * Guards the data state below, only for bookkeeping: never held across a call to the client, so
     * the event thread (CREDIT events for every stream) never waits for a round trip.
     */
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition creditChanged = lock.newCondition();
    private long nextSeq = 1;
    private long bytesSent;
    private long bytesLimit;
    private long epoch; // +1 per seek: sends that started before it stop
    private boolean discontPending;
    private boolean resumePending; // re-created, listeners not yet told: sends wait (a seek there wins)
    private boolean paused;
    private boolean closed;

    private final Object geometryLock = new Object();
    private long geometrySeq = FIRST_GEOMETRY_SEQ; // guarded by geometryLock
    private volatile GuestGeometry geometry;

    private volatile GuestStreamState state;
    private volatile long positionNs = -1;
    private volatile long durationNs = -1;
    private volatile double rate = 1.0;
    private volatile double volume = 1.0;
    private volatile boolean mute;
    private boolean closedReported; // event thread only
    private boolean fatalReported; // event thread only: a fatal ERROR explains a STREAM_CLOSED
    private boolean closeHeld; // event thread only: an unexplained STREAM_CLOSED waiting for the next poll
    private volatile long lastVideoPtsNs = Long.MIN_VALUE;

    StreamCore(SessionCore guest, long id, long generation, CreateStreamRequest request, StreamOptions options,
            Function<StreamCore, Events> eventsFor, Credit credit) {
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

    /**
     * Sends samples (in decode order, {@code trackId} {@link #VIDEO_TRACK} or {@link #AUDIO_TRACK}),
     * as few chunks as {@code maxChunkBytes} allows, each when the credit has room for it. Blocks
     * while the client's credit is used up (without a time limit while the stream is paused by
     * {@link #pause()}, otherwise up to {@link GuestOptions#creditTimeoutMs()}).
     *
     * <p>The samples' data buffers are sent as they are, not copied: leave them unchanged until
     * this call returns.
     *
     * @return true when every sample was sent; false when a {@link #seek} from another thread
     *         overtook this call (the samples not yet sent belong to the old position and were dropped)
     * @throws IllegalArgumentException a sample is larger than the chunk limit (naming both), has no
     *                                  data, or names a track the stream does not have; nothing sent
     * @throws OverlayException             the client refused a chunk (STREAM_CLOSED after a close...)
     * @throws CreditTimeoutException   no credit within the timeout
     * @throws GuestConnectionException the connection dropped
     * @throws IllegalStateException    on a bytes stream, or from a listener while credit is short
     */
    public boolean send(List<GuestSample> samples) throws OverlayException, InterruptedException {
        Objects.requireNonNull(samples, "samples");
        if (source != SourceKind.PUSH_SAMPLES) {
            throw new IllegalStateException("stream " + id + " is a " + source + " stream: use sendBytes");
        }
        List<List<Sample>> chunks = new ArrayList<>();
        List<Long> chunkBytes = new ArrayList<>();
        List<Sample> current = new ArrayList<>();
        long currentBytes = 0;
        for (int i = 0; i < samples.size(); i++) {
            GuestSample s = Objects.requireNonNull(samples.get(i), "samples[" + i + "]");
            int size = s.size();
            if (size == 0) {
                throw new IllegalArgumentException("samples[" + i + "] has no data");
            }
            if (!trackIds.contains(s.trackId())) {
                throw new IllegalArgumentException("samples[" + i + "].trackId " + s.trackId()
                        + " is not a track of stream " + id + " (tracks " + trackIds + ")");
            }
            if (size > chunkLimit) {
                throw new IllegalArgumentException("samples[" + i + "] carries " + size
                        + " bytes; the client's maxChunkBytes is " + chunkLimit + " (a sample is never split)");
            }
            if (currentBytes + size > chunkLimit) {
                chunks.add(current);
                chunkBytes.add(currentBytes);
                current = new ArrayList<>();
                currentBytes = 0;
            }
            current.add(Wire.sample(s));
            currentBytes += size;
        }
        if (!current.isEmpty()) {
            chunks.add(current);
            chunkBytes.add(currentBytes);
        }
        sendLock.lockInterruptibly();
        try {
            long startEpoch = currentEpoch();
            for (int c = 0; c < chunks.size(); c++) {
                if (!push(chunks.get(c), null, false, chunkBytes.get(c), startEpoch)) {
                    return false;
                }
            }
            return true;
        } finally {
            sendLock.unlock();
        }
    }

    private long currentEpoch() {
        lock.lock();
        try {
            return epoch;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Sends container bytes on a bytes stream, split into chunks of at most {@code maxChunkBytes};
     * blocks for credit like {@link #send}. The array is sent as it is, not copied: leave it
     * unchanged until this call returns.
     *
     * @return false when a seek from another thread overtook this call (the rest was dropped)
     */
    public boolean sendBytes(byte[] bytes) throws OverlayException, InterruptedException {
        Objects.requireNonNull(bytes, "bytes");
        if (source != SourceKind.PUSH_BYTES) {
            throw new IllegalStateException("stream " + id + " is a " + source + " stream: use send(samples)");
        }
        sendLock.lockInterruptibly();
        try {
            long startEpoch = currentEpoch();
            for (int off = 0; off < bytes.length; off += chunkLimit) {
                int len = Math.min(chunkLimit, bytes.length - off);
                if (!push(null, ByteBuffer.wrap(bytes, off, len), false, len, startEpoch)) {
                    return false;
                }
            }
            return true;
        } finally {
            sendLock.unlock();
        }
    }

    /**
     * Tells the client nothing more follows (until a seek): it drains what it has and reports
     * {@link GuestStreamListener#onEndOfStream}.
     */
    public void endOfStream() throws OverlayException, InterruptedException {
        sendLock.lockInterruptibly();
        try {
            push(null, null, true, 0, currentEpoch());
        } finally {
            sendLock.unlock();
        }
    }

    /**
     * Sends one chunk when the credit allows ({@code sendLock} held). Waits for credit holding only
     * {@code lock} (released while waiting); then takes the wire, checks again and sends, holding
     * only {@code wireLock} during the round trip. @return false when a seek intervened
     */
    private boolean push(List<Sample> samples, ByteBuffer bytes, boolean eos, long payload, long startEpoch)
            throws OverlayException, InterruptedException {
        while (true) {
            lock.lockInterruptibly();
            try {
                if (!awaitCredit(payload, startEpoch)) {
                    return false;
                }
            } finally {
                lock.unlock();
            }
            wireLock.lockInterruptibly();
            try {
                long gen;
                DataChunk chunk;
                lock.lockInterruptibly();
                try {
                    // A seek, a re-creation or a close may have come between the wait and the wire.
                    ensureOpen();
                    if (epoch != startEpoch) {
                        return false;
                    }
                    if (resumePending || guest.needsReplay(generation) || bytesSent + payload > bytesLimit) {
                        continue; // back to waiting
                    }
                    gen = generation;
                    chunk = chunk(samples, bytes, eos);
                } finally {
                    lock.unlock();
                }
                PushResult r;
                try {
                    r = guest.streamCall("pushData", gen, client -> client.pushData(chunk));
                } catch (SessionCore.Reconnecting e) {
                    continue; // awaitCredit waits for the re-created stream; the chunk goes there
                } catch (OverlayException e) {
                    lock.lock();
                    try {
                        if (closedByShutdown(e, gen)) {
                            continue;
                        }
                    } finally {
                        lock.unlock();
                    }
                    throw e;
                }
                lock.lock();
                try {
                    sent(samples, payload, r);
                } finally {
                    lock.unlock();
                }
                return true;
            } finally {
                wireLock.unlock();
            }
        }
    }

    /** The next chunk, numbered; the first sample flagged DISCONT after a seek ({@code lock} held). */
    private DataChunk chunk(List<Sample> samples, ByteBuffer bytes, boolean eos) {
        DataChunk chunk = new DataChunk(id, nextSeq);
        if (samples != null) {
            long now = System.nanoTime(); // when the sample left, for the client's latency figures
            for (Sample s : samples) {
                s.setSentAtNs(now);
            }
            List<Sample> out = samples;
            if (discontPending && source == SourceKind.PUSH_SAMPLES) {
                out = new ArrayList<>(samples);
                out.set(0, withFlags(samples.get(0), OverlayProtocolConstants.SAMPLE_FLAG_DISCONT));
            }
            chunk.setSamples(out);
        }
        if (bytes != null) {
            chunk.setBytes(bytes);
        }
        if (eos) {
            chunk.setEndOfStream(true);
        }
        return chunk;
    }

    /** The client took the chunk ({@code lock} held). */
    private void sent(List<Sample> samples, long payload, PushResult r) {
        nextSeq++;
        bytesSent += payload;
        if (samples != null) {
            discontPending = false;
            for (int i = samples.size() - 1; i >= 0; i--) {
                Sample last = samples.get(i);
                if (last.getTrackId() == VIDEO_TRACK && last.isSetPtsNs()) {
                    lastVideoPtsNs = last.getPtsNs();
                    break;
                }
            }
        }
        raiseLimit(r.getCredit());
    }

    /**
     * A chunk was refused as UNKNOWN_STREAM/STREAM_CLOSED though the player did not close the
     * stream: the client either closed it for a reason it reports (a fatal error: the stream ends) or
     * is shutting down (the channel drops next: the stream is re-created). Waits ({@code lock} held,
     * released while waiting) for the verdict. @return true to send again (re-created, or the guest
     * gave up: the retry then throws its exception)
     */
    private boolean closedByShutdown(OverlayException e, long gen) throws InterruptedException {
        if (!guest.options().reconnect() || closed || guest.isEventThread()
                || (e.code() != GuestErrorCode.UNKNOWN_STREAM && e.code() != GuestErrorCode.STREAM_CLOSED)) {
            return false;
        }
        long deadline = System.nanoTime() + CLOSE_VERDICT_NANOS;
        while (generation == gen && !closed && !guest.isClosed()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                if (!guest.needsReplay(gen)) {
                    return false; // the channel stayed up: a close of the client's own
                }
                left = TimeUnit.MILLISECONDS.toNanos(100);
            }
            creditChanged.awaitNanos(left);
        }
        return !closed || guest.isClosed();
    }

    /** A copy sharing the data, with extra flag bits (the caller's sample stays as it was). */
    private static Sample withFlags(Sample s, int flags) {
        Sample c = new Sample(s.getTrackId(), s.bufferForData());
        if (s.isSetPtsNs()) {
            c.setPtsNs(s.getPtsNs());
        }
        if (s.isSetDtsNs()) {
            c.setDtsNs(s.getDtsNs());
        }
        if (s.isSetDurationNs()) {
            c.setDurationNs(s.getDurationNs());
        }
        if (s.isSetSentAtNs()) {
            c.setSentAtNs(s.getSentAtNs());
        }
        c.setFlags(s.getFlags() | flags);
        return c;
    }

    /** Waits (lock held, released while waiting) until {@code payload} more bytes fit the credit. */
    private boolean awaitCredit(long payload, long startEpoch) throws OverlayException, InterruptedException {
        long deadline = System.nanoTime() + creditTimeoutNanos;
        while (true) {
            ensureOpen();
            if (epoch != startEpoch) {
                return false;
            }
            if (guest.needsReplay(generation)) {
                if (guest.isEventThread()) {
                    throw new IllegalStateException("stream " + id + ": a send from a listener cannot wait for the "
                            + "reconnect (it runs on this thread); send from the player's own thread");
                }
                // The channel dropped: wait (no credit timeout; the guest's give-up ends it) for the re-creation.
                creditChanged.await();
                deadline = System.nanoTime() + creditTimeoutNanos;
                continue;
            }
            if (resumePending && !guest.isEventThread()) {
                // Re-created: onResumeNeeded decides first (a seek there makes this send return false).
                creditChanged.await();
                deadline = System.nanoTime() + creditTimeoutNanos;
                continue;
            }
            if (bytesSent + payload <= bytesLimit) {
                return true;
            }
            if (guest.isEventThread()) {
                throw new IllegalStateException("stream " + id + ": a send from a listener cannot wait for credit "
                        + "(the credit arrives on this thread); send from the player's own thread");
            }
            if (paused) {
                // Paused by the player: the client consumes nothing until play(), so wait without a limit.
                creditChanged.await();
                deadline = System.nanoTime() + creditTimeoutNanos;
                continue;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new CreditTimeoutException("stream " + id + ": waited " + guest.options().creditTimeoutMs()
                        + " ms for credit to send " + payload + " bytes (sent " + bytesSent + " of the " + bytesLimit
                        + " granted); the client is not consuming the stream");
            }
            creditChanged.awaitNanos(left);
        }
    }

    private void ensureOpen() throws OverlayException {
        GuestConnectionException lost = guest.lostCause();
        if (lost != null) {
            throw new GuestConnectionException(lost.getMessage(), lost);
        }
        if (guest.isClosed()) {
            throw new GuestConnectionException("the connection to the overlay client at " + guest.endpoint()
                    + " is closed");
        }
        if (closed) {
            throw SessionCore.streamClosed(id);
        }
    }

    private void raiseLimit(Credit c) {
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

    /**
     * Moves the video: the new full geometry with the next geometry seq.
     *
     * @return false when the client found the update stale (a newer one won) and dropped it
     * @throws OverlayException UNKNOWN_DISPLAY, INVALID_ARGUMENT, LIMIT_EXCEEDED (too many visible
     *                      rectangles), UNKNOWN_STREAM/STREAM_CLOSED
     */
    public boolean setGeometry(GuestGeometry newGeometry) throws OverlayException {
        Objects.requireNonNull(newGeometry, "geometry");
        synchronized (geometryLock) { // a re-creation holds it too: it replays the geometry kept here
            long seq = ++geometrySeq;
            long gen = generation;
            long streamId = id;
            boolean applied;
            try {
                applied = guest.streamCall("setGeometry", gen,
                        client -> client.setGeometry(streamId, Wire.geometry(newGeometry, seq)));
            } catch (SessionCore.Reconnecting e) {
                applied = true; // the re-created stream starts with it
            }
            if (applied) {
                geometry = newGeometry;
            }
            return applied;
        }
    }

    // ---- controls -----------------------------------------------------------------------------

    /** Plays (the outcome arrives as STATE_CHANGED). */
    public void play() throws OverlayException {
        control(new ControlCommand(ControlAction.PLAY), () -> {
            paused = false;
            creditChanged.signalAll();
        });
    }

    /** Pauses; sends waiting for credit keep waiting, without a time limit, until {@link #play()}. */
    public void pause() throws OverlayException {
        control(new ControlCommand(ControlAction.PAUSE), () -> paused = true);
    }

    /**
     * Flushing seek to {@code positionNs} (media time). On a samples stream the client drops what it
     * holds; the player then sends from the keyframe at or before the target: the next chunk is the
     * first of the new position (its seq is the command's resumeSeq) and its first sample is flagged
     * DISCONT here. A send blocked on credit in another thread returns false. The outcome arrives as
     * {@link GuestStreamListener#onSeekDone}.
     */
    public void seek(long positionNs, GuestSeekMode mode) throws OverlayException {
        if (positionNs < 0) {
            throw new IllegalArgumentException("positionNs must be >= 0, got " + positionNs);
        }
        ControlCommand c = new ControlCommand(ControlAction.SEEK).setPositionNs(positionNs)
                .setSeekMode(Wire.seekMode(mode)).setRate(rate);
        // No chunk goes out between naming resumeSeq and the seek reaching the client.
        wireLock.lock();
        try {
            while (true) {
                long gen;
                long streamId;
                lock.lock();
                try {
                    ensureOpen();
                    if (source == SourceKind.PUSH_SAMPLES) {
                        c.setResumeSeq(nextSeq);
                    }
                    gen = generation;
                    streamId = id;
                } finally {
                    lock.unlock();
                }
                try {
                    guest.streamCall("control SEEK", gen, client -> {
                        client.control(streamId, c);
                        return null;
                    });
                } catch (SessionCore.Reconnecting e) {
                    if (recreatedSince(gen)) {
                        continue; // re-created meanwhile: seek the new stream
                    }
                    // The re-created stream starts afresh with what the player sends from the target.
                    this.positionNs = positionNs;
                }
                lock.lock();
                try {
                    epoch++;
                    discontPending = true;
                    creditChanged.signalAll();
                } finally {
                    lock.unlock();
                }
                return;
            }
        } finally {
            wireLock.unlock();
        }
    }

    private boolean recreatedSince(long gen) {
        lock.lock();
        try {
            return generation != gen;
        } finally {
            lock.unlock();
        }
    }

    /** Playback rate (&gt; 0; 1.0 normal; BUFFERED streams only). */
    public void setRate(double newRate) throws OverlayException {
        if (!(newRate > 0) || Double.isInfinite(newRate)) {
            throw new IllegalArgumentException("rate must be > 0, got " + newRate);
        }
        control(new ControlCommand(ControlAction.SET_RATE).setRate(newRate), () -> rate = newRate);
    }

    /** Volume, 0.0 .. 1.0 linear. */
    public void setVolume(double newVolume) throws OverlayException {
        if (!(newVolume >= 0 && newVolume <= 1)) {
            throw new IllegalArgumentException("volume must be in [0, 1], got " + newVolume);
        }
        control(new ControlCommand(ControlAction.SET_VOLUME).setVolume(newVolume), () -> volume = newVolume);
    }

    public void setMute(boolean newMute) throws OverlayException {
        control(new ControlCommand(ControlAction.SET_MUTE).setMute(newMute), () -> mute = newMute);
    }

    /**
     * Sends a control and then records its effect ({@code record} runs holding {@code lock}). While
     * the stream waits to be re-created only the effect is recorded: the re-creation applies it.
     */
    private void control(ControlCommand c, Runnable record) throws OverlayException {
        while (true) {
            long gen;
            long streamId;
            lock.lock();
            try {
                gen = generation;
                streamId = id;
            } finally {
                lock.unlock();
            }
            try {
                guest.streamCall("control " + c.getAction(), gen, client -> {
                    client.control(streamId, c);
                    return null;
                });
            } catch (SessionCore.Reconnecting e) {
                lock.lock();
                try {
                    if (generation == gen) { // not re-created yet: the re-creation applies what is recorded
                        record.run();
                        return;
                    }
                } finally {
                    lock.unlock();
                }
                continue; // re-created meanwhile: send it to the new stream
            }
            lock.lock();
            try {
                record.run();
            } finally {
                lock.unlock();
            }
            return;
        }
    }

    /**
     * Closes the stream on the client; sends in progress throw STREAM_CLOSED. The listener hears
     * {@code onClosed} when the client confirms. Idempotent; a stream the client already dropped, or
     * a closed connection, is fine. An unexpected refusal is logged.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            creditChanged.signalAll();
        } finally {
            lock.unlock();
        }
        if (guest.isClosed()) {
            return;
        }
        try {
            control(new ControlCommand(ControlAction.CLOSE), () -> { });
        } catch (OverlayException e) {
            if (e.code() != GuestErrorCode.UNKNOWN_STREAM && e.code() != GuestErrorCode.STREAM_CLOSED) {
                LOG.warn("stream {}: close refused: {} {}", id, e.code(), e.getMessage());
            }
        } catch (GuestConnectionException e) {
            LOG.debug("stream {}: close: {}", id, e.getMessage());
        }
    }

    // ---- events (event thread) ----------------------------------------------------------------

    void onEvent(Event e) {
        try {
            switch (e.getKind()) {
                case CREDIT -> {
                    lock.lock();
                    try {
                        raiseLimit(e.getCredit());
                    } finally {
                        lock.unlock();
                    }
                }
                case STATE_CHANGED -> {
                    if (e.getState() != null) {
                        state = Wire.state(e.getState());
                        events.onState(state);
                    }
                }
                case END_OF_STREAM -> events.onEndOfStream();
                case ERROR -> {
                    if (e.getError() != null) {
                        fatalReported |= e.getError().isFatal();
                        events.onError(Wire.error(e.getError()));
                    }
                }
                case POSITION -> {
                    positionNs = e.getPositionNs();
                    if (e.isSetDurationNs()) {
                        durationNs = e.getDurationNs();
                    }
                    events.onPosition(e.getPositionNs(), e.isSetDurationNs() ? e.getDurationNs() : -1);
                }
                case SEEK_DONE -> {
                    positionNs = e.getPositionNs();
                    events.onSeekDone(e.getPositionNs());
                }
                case QOS -> {
                    if (e.getQos() != null) {
                        events.onQos(Wire.qos(e.getQos()));
                    }
                }
                case VISIBILITY -> events.onVisibility(e.isVisible());
                case STREAM_CLOSED -> {
                    if (guest.options().reconnect() && !isClosed() && !fatalReported) {
                        // Neither the player's CLOSE nor a fatal error: the client is shutting down,
                        // unless the next poll answers (settleHeldClose). A drop replays the stream.
                        closeHeld = true;
                    } else {
                        terminated(null);
                    }
                }
                default -> LOG.debug("stream {}: ignoring event {}", id, e.getKind());
            }
        } catch (RuntimeException ex) {
            LOG.warn("stream {}: listener failed on {}", id, e.getKind(), ex);
        }
    }

    /** The stream is gone; {@code cause} is set when the connection dropped. Reports once. */
    void terminated(GuestConnectionException cause) {
        lock.lock();
        try {
            closed = true;
            state = GuestStreamState.CLOSED;
            creditChanged.signalAll();
        } finally {
            lock.unlock();
        }
        guest.forget(this);
        if (closedReported) {
            return;
        }
        closedReported = true;
        try {
            if (cause != null) {
                events.onConnectionLost(cause);
            }
            events.onClosed();
        } catch (RuntimeException ex) {
            LOG.warn("stream {}: listener failed on close", id, ex);
        }
    }

    /** The poll after an unexplained STREAM_CLOSED answered: the close was real (event thread). */
    void settleHeldClose() {
        if (closeHeld) {
            closeHeld = false;
            terminated(null);
        }
    }

    /** The channel dropped and the guest reconnects (event thread). */
    void connectionLost(GuestConnectionException drop) {
        if (isClosed()) {
            return;
        }
        try {
            events.onConnectionLost(drop);
        } catch (RuntimeException ex) {
            LOG.warn("stream {}: listener failed on connection lost", id, ex);
        }
    }

    /** Where a resume should start: the last reported position, else the last video sample sent. */
    private long resumePositionNs() {
        long p = positionNs;
        if (p >= 0) {
            return p;
        }
        long pts = lastVideoPtsNs;
        return pts == Long.MIN_VALUE ? 0 : Math.max(0, pts - options.startTimeNs());
    }

    /**
     * Re-creates the stream on the reconnected session {@code gen} (event thread): its create request
     * with the latest geometry and pause state, then rate, volume and mute, then the new id, credit
     * and chunk numbering for the senders; then {@code onReconnected} and {@code onResumeNeeded}.
     *
     * @return false when the channel dropped again meanwhile (the next reconnect replays it)
     */
    boolean replay(long gen) {
        if (isClosed()) { // closed by the player during the outage
            terminated(null);
            return true;
        }
        if (generation == gen) { // created on the new session already
            return true;
        }
        closeHeld = false;
        fatalReported = false;
        long oldId = id;
        long resumeAt = resumePositionNs();
        boolean wasPaused;
        double wasRate;
        double wasVolume;
        boolean wasMute;
        lock.lock();
        try {
            wasPaused = paused;
            wasRate = rate;
            wasVolume = volume;
            wasMute = mute;
        } finally {
            lock.unlock();
        }
        try {
            synchronized (geometryLock) {
                CreateStreamRequest again = request.deepCopy().setGeometry(Wire.geometry(geometry, FIRST_GEOMETRY_SEQ))
                        .setStartPaused(wasPaused);
                CreateStreamResponse r = guest.streamCall("createStream (reconnect)", gen,
                        client -> client.createStream(again));
                long newId = r.getStreamId();
                if (wasRate != 1.0) {
                    restore(gen, newId, new ControlCommand(ControlAction.SET_RATE).setRate(wasRate));
                }
                if (wasVolume != 1.0) {
                    restore(gen, newId, new ControlCommand(ControlAction.SET_VOLUME).setVolume(wasVolume));
                }
                if (wasMute) {
                    restore(gen, newId, new ControlCommand(ControlAction.SET_MUTE).setMute(true));
                }
                lock.lock();
                try {
                    id = newId;
                    generation = gen;
                    nextSeq = 1;
                    bytesSent = 0;
                    bytesLimit = r.getCredit() == null ? 0 : r.getCredit().getBytesLimit();
                    discontPending = false;
                    resumePending = true;
                    geometrySeq = FIRST_GEOMETRY_SEQ;
                    creditChanged.signalAll();
                } finally {
                    lock.unlock();
                }
                guest.mapped(this);
            }
        } catch (SessionCore.Reconnecting e) {
            return false;
        } catch (OverlayException e) {
            LOG.warn("stream {}: the client refused to re-create it after the reconnect: {} {}", oldId, e.code(),
                    e.getMessage());
            try {
                events.onError(new GuestStreamError(e.code(), "re-creating the stream after a reconnect: "
                        + e.getMessage(), true));
            } catch (RuntimeException ex) {
                LOG.warn("stream {}: listener failed on error", oldId, ex);
            }
            terminated(null);
            return true;
        } catch (GuestConnectionException e) {
            return false; // closed or gave up meanwhile: the event thread ends the stream
        }
        LOG.info("stream {} re-created as {} after the reconnect; resume at {} ms", oldId, id, resumeAt / 1_000_000);
        // Controls set while the re-creation ran (recorded, holding lock, while the id was stale).
        try {
            if (paused != wasPaused) {
                restore(gen, id, new ControlCommand(paused ? ControlAction.PAUSE : ControlAction.PLAY));
            }
            if (rate != wasRate) {
                restore(gen, id, new ControlCommand(ControlAction.SET_RATE).setRate(rate));
            }
            if (volume != wasVolume) {
                restore(gen, id, new ControlCommand(ControlAction.SET_VOLUME).setVolume(volume));
            }
            if (mute != wasMute) {
                restore(gen, id, new ControlCommand(ControlAction.SET_MUTE).setMute(mute));
            }
        } catch (SessionCore.Reconnecting | GuestConnectionException e) {
            releaseSenders();
            return false;
        }
        try {
            events.onReconnected();
            if (events.onResumeNeeded(resumeAt)) {
                // The player sends again from the keyframe before resumeAt: what waited is stale. The
                // stream is new, so nothing on the client needs a seek (it could not seek before data).
                lock.lock();
                try {
                    epoch++;
                } finally {
                    lock.unlock();
                }
            }
        } catch (RuntimeException ex) {
            LOG.warn("stream {}: listener failed on reconnect", id, ex);
        } finally {
            releaseSenders();
        }
        return true;
    }

    /** Lets the sends that waited through the outage go on (event thread, after onResumeNeeded). */
    private void releaseSenders() {
        lock.lock();
        try {
            resumePending = false;
            creditChanged.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** One control on the re-created stream; a refusal is logged, not fatal (event thread). */
    private void restore(long gen, long streamId, ControlCommand c) {
        try {
            guest.streamCall("control " + c.getAction() + " (reconnect)", gen, client -> {
                client.control(streamId, c);
                return null;
            });
        } catch (OverlayException e) {
            LOG.warn("stream {}: restoring {} after the reconnect was refused: {} {}", streamId, c.getAction(),
                    e.code(), e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "GuestStream[" + id + ", " + source + (options.title() != null ? " \"" + options.title() + "\"" : "")
                + "]";
    }
}
