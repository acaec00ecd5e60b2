package org.spiceoverlay.guest;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spiceoverlay.guest.internal.StreamCore;
import org.spiceoverlay.guest.internal.StreamEvents;

/**
 * One stream to the client, from {@link OverlayGuest#createSamplesStream} or
 * {@link OverlayGuest#createBytesStream}: data with back-pressure, geometry, controls.
 *
 * <p>Sends block until the client's credit allows them and never exceed it. A list of samples is
 * split into chunks of at most the client's {@code maxChunkBytes}. A seek names the next chunk as
 * the first of the new position and flags its first sample as a discontinuity.
 *
 * <p>Thread-safe. Sends on one stream are serialised (one whole {@code send} after another); sends
 * on different streams proceed in parallel. No lock of the stream is held while a call is on its
 * way to the client, so the client's credit and events are never held up by a send. A seek, pause
 * or close from another thread does not wait for a send blocked on credit: a seek makes that send
 * return {@code false} (the rest of its samples belong to the old position and are dropped), a
 * close makes it throw. Listener calls run on the guest's event thread.
 *
 * <p>After the channel drops and the guest reconnects (see {@link OverlayGuest}), this object stays
 * the player's handle: the stream is re-created on the client under a new {@link #id()} with its
 * latest geometry, pause, rate, volume and mute; a send waiting through the outage continues there
 * with chunk numbers and credit counted afresh. Geometry and controls set during the outage are
 * applied by the re-creation; a seek during the outage makes the re-created stream start from what
 * the player sends next.
 */
public final class GuestStream implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GuestStream.class);

    /** The track id of the video track of a samples stream. */
    public static final int VIDEO_TRACK = StreamCore.VIDEO_TRACK;
    /** The track id of the audio track, when the stream has one. */
    public static final int AUDIO_TRACK = StreamCore.AUDIO_TRACK;

    private final StreamCore core;

    private GuestStream(StreamCore core) {
        this.core = core;
    }

    /** The events receiver for a new stream's working part, with this stream as its handle. */
    static StreamEvents wrap(StreamCore core, GuestStreamListener listener) {
        GuestStream stream = new GuestStream(core);
        GuestStreamListener l = listener != null ? listener : new GuestStreamListener() {};
        return new StreamEvents() {
            @Override
            public void onState(GuestStreamState state) {
                l.onState(stream, state);
            }

            @Override
            public void onEndOfStream() {
                l.onEndOfStream(stream);
            }

            @Override
            public void onError(GuestStreamError error) {
                l.onError(stream, error);
            }

            @Override
            public void onPosition(long positionNs, long durationNs) {
                l.onPosition(stream, positionNs, durationNs);
            }

            @Override
            public void onSeekDone(long positionNs) {
                l.onSeekDone(stream, positionNs);
            }

            @Override
            public void onQos(GuestQos qos) {
                l.onQos(stream, qos);
            }

            @Override
            public void onVisibility(boolean visible) {
                l.onVisibility(stream, visible);
            }

            @Override
            public void onClosed() {
                l.onClosed(stream);
            }

            @Override
            public void onConnectionLost(GuestConnectionException cause) {
                l.onConnectionLost(stream, cause);
            }

            @Override
            public void onReconnected() {
                l.onReconnected(stream);
            }

            @Override
            public boolean onResumeNeeded(long positionNs) {
                return l.onResumeNeeded(stream, positionNs);
            }

            @Override
            public Object handle() {
                return stream;
            }
        };
    }

    /** The client's id for the stream (a new one after a reconnect re-created the stream). */
    public long id() {
        return core.id();
    }

    public GuestSource source() {
        return core.source();
    }

    public StreamOptions options() {
        return core.options();
    }

    /** The latest geometry given (the initial one until {@link #setGeometry}). */
    public GuestGeometry geometry() {
        return core.geometry();
    }

    /** The last state the client reported, or null before the first report. */
    public GuestStreamState state() {
        return core.state();
    }

    /** The last position the client reported (media time), or -1 before the first report. */
    public long positionNs() {
        return core.positionNs();
    }

    /** The duration the client reported, or -1 when unknown. */
    public long durationNs() {
        return core.durationNs();
    }

    /** Payload bytes sent so far (the figure the client's credit is measured against). */
    public long bytesSent() {
        return core.bytesSent();
    }

    /** The credit granted so far: cumulative payload bytes the stream may have sent. */
    public long bytesLimit() {
        return core.bytesLimit();
    }

    /** The number the next chunk will carry. */
    public long nextSeq() {
        return core.nextSeq();
    }

    /** The largest chunk (and so sample) this stream sends: the client's limits. */
    public int maxChunkBytes() {
        return core.maxChunkBytes();
    }

    public double rate() {
        return core.rate();
    }

    public double volume() {
        return core.volume();
    }

    public boolean muted() {
        return core.muted();
    }

    /** Whether the stream is closed (by the player, the client or a lost connection). */
    public boolean isClosed() {
        return core.isClosed();
    }

    /**
     * Sends samples (in decode order, on {@link #VIDEO_TRACK} or {@link #AUDIO_TRACK}), as few
     * chunks as {@code maxChunkBytes} allows, each when the credit has room for it. Blocks while the
     * client's credit is used up (without a time limit while the stream is paused by
     * {@link #pause()}, otherwise up to {@link GuestOptions#creditTimeoutMs()}).
     *
     * <p>The samples' buffers are sent as they are, not copied: leave them unchanged until this
     * call returns.
     *
     * @return true when every sample was sent; false when a {@link #seek} from another thread
     *         overtook this call (the samples not yet sent belong to the old position and were dropped)
     * @throws IllegalArgumentException a sample is larger than the chunk limit (naming both), has no
     *                                  data, or names a track the stream does not have; nothing sent
     * @throws OverlayException         the client refused a chunk (STREAM_CLOSED after a close...)
     * @throws CreditTimeoutException   no credit within the timeout
     * @throws GuestConnectionException the connection dropped
     * @throws IllegalStateException    on a bytes stream, or from a listener while credit is short
     */
    public boolean send(List<GuestSample> samples) throws OverlayException, InterruptedException {
        return core.send(samples);
    }

    /**
     * Sends container bytes on a bytes stream, split into chunks of at most {@code maxChunkBytes};
     * blocks for credit like {@link #send}. The array is sent as it is, not copied: leave it
     * unchanged until this call returns.
     *
     * @return false when a seek from another thread overtook this call (the rest was dropped)
     */
    public boolean sendBytes(byte[] bytes) throws OverlayException, InterruptedException {
        return core.sendBytes(bytes);
    }

    /**
     * Tells the client nothing more follows (until a seek): it drains what it has and reports
     * {@link GuestStreamListener#onEndOfStream}.
     */
    public void endOfStream() throws OverlayException, InterruptedException {
        core.endOfStream();
    }

    /**
     * Moves the video: the new full geometry.
     *
     * @return false when the client found the update stale (a newer one won) and dropped it
     * @throws OverlayException UNKNOWN_DISPLAY, INVALID_ARGUMENT, LIMIT_EXCEEDED (too many visible
     *                          rectangles), UNKNOWN_STREAM/STREAM_CLOSED
     */
    public boolean setGeometry(GuestGeometry geometry) throws OverlayException {
        return core.setGeometry(geometry);
    }

    /** Plays (the outcome arrives as {@link GuestStreamListener#onState}). */
    public void play() throws OverlayException {
        core.play();
    }

    /** Pauses; sends waiting for credit keep waiting, without a time limit, until {@link #play()}. */
    public void pause() throws OverlayException {
        core.pause();
    }

    /**
     * Flushing seek to {@code positionNs} (media time). On a samples stream the client drops what it
     * holds; the player then sends from the keyframe at or before the target: the next chunk is the
     * first of the new position and its first sample is flagged a discontinuity here. A send blocked
     * on credit in another thread returns false. The outcome arrives as
     * {@link GuestStreamListener#onSeekDone}.
     *
     * @param mode null: {@link GuestSeekMode#ACCURATE}
     */
    public void seek(long positionNs, GuestSeekMode mode) throws OverlayException {
        core.seek(positionNs, mode);
    }

    /** Playback rate (&gt; 0; 1.0 normal; BUFFERED streams only). */
    public void setRate(double rate) throws OverlayException {
        core.setRate(rate);
    }

    /** Volume, 0.0 .. 1.0 linear. */
    public void setVolume(double volume) throws OverlayException {
        core.setVolume(volume);
    }

    public void setMute(boolean mute) throws OverlayException {
        core.setMute(mute);
    }

    /**
     * Closes the stream on the client; sends in progress throw STREAM_CLOSED. The listener hears
     * {@code onClosed} when the client confirms. Idempotent; a stream the client already dropped, or
     * a closed connection, is fine. An unexpected refusal is logged.
     */
    @Override
    public void close() {
        LOG.debug("closing {}", this);
        core.close();
    }

    @Override
    public String toString() {
        return core.toString();
    }
}
