package org.spiceoverlay.engine;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * One stream being decoded: compressed media in, timed {@code VideoFrame}s out to the session's
 * {@link FrameSink}, audio played, events to its {@link SessionListener}.
 *
 * <p>Threads: data calls ({@link #push}, {@link #pushBytes}, {@link #endOfStream}) from one
 * producer thread at a time; control calls from any thread (they are serialised inside).
 * {@link #close()} is idempotent and may be called from any thread except the listener's.
 */
public interface DecodeSession extends AutoCloseable {

    SessionSpec spec();

    /**
     * Queues one encoded sample (SAMPLES sessions). Never blocks: when the session already holds
     * {@link SessionSpec#maxQueuedBytes()} it refuses the sample.
     *
     * @throws EngineException LIMIT_EXCEEDED when the queue is full, INVALID_STATE for another
     *                         source type or an audio sample on a stream without audio caps,
     *                         STREAM_CLOSED once closed
     */
    void push(EncodedSample sample) throws EngineException;

    /**
     * Queues container bytes (BYTES sessions): {@code data}'s from its position to its limit,
     * copied; its position is left alone. Same limits as {@link #push}.
     */
    void pushBytes(ByteBuffer data) throws EngineException;

    /** {@link #pushBytes(ByteBuffer)} for bytes in an array. */
    default void pushBytes(byte[] data, int offset, int length) throws EngineException {
        pushBytes(ByteBuffer.wrap(data, offset, length));
    }

    /**
     * Waits until {@code bytes} more can be queued, for producers that prefer to block.
     *
     * @return false on timeout or when the session is closed
     */
    boolean awaitRoom(int bytes, long timeout, TimeUnit unit) throws InterruptedException;

    /** No more data: the session drains and then reports end of stream. */
    void endOfStream() throws EngineException;

    void play();

    void pause();

    /**
     * Flushing seek. SAMPLES sessions drop what they hold; the caller then pushes samples from the
     * keyframe at or before {@code positionNs} (flagged as a discontinuity); with
     * {@link SeekMode#ACCURATE} frames before the position are decoded but not delivered.
     * BYTES and URI sessions seek by themselves.
     *
     * @param rate playback rate after the seek (&gt; 0, 1.0 normal)
     * @throws EngineException INVALID_ARGUMENT for a negative position or bad rate,
     *                         INVALID_STATE when the source cannot seek
     */
    void seek(long positionNs, SeekMode mode, double rate) throws EngineException;

    /**
     * Changes the playback rate at the current position. A SAMPLES session restarts there like a
     * seek: the caller pushes again from the returned position.
     *
     * @return the position playback continues from
     */
    long setRate(double rate) throws EngineException;

    /** Linear volume 0.0 .. 1.0 (values above are clamped). */
    void setVolume(double volume);

    void setMute(boolean mute);

    /** Current position on the stream timeline, or -1 when unknown. */
    long positionNs();

    SessionState state();

    SessionStats stats();

    /**
     * Stops decoding, releases every native resource and frame. Idempotent. When it returns, every
     * event (the CLOSED state last) has been delivered to the listener, unless it was called from the
     * listener itself.
     */
    @Override
    void close();
}
