package org.spiceoverlay.engine;

import org.spiceoverlay.api.VideoFrame;

/**
 * Where a decode session hands its frames. Two kinds exist: {@link FrameMailbox} (latest wins,
 * never blocks: for display) and {@link FrameQueue} (lossless and bounded, applies back-pressure:
 * for checks, benchmarks and transcoding-like uses).
 *
 * <p>{@link #onFrame} and {@link #onEndOfStream} are called on a GStreamer streaming thread;
 * {@link #flush} on the thread that seeks or closes the session.
 */
public interface FrameSink {

    /**
     * Takes ownership of {@code frame}: the sink must eventually {@link VideoFrame#close()} it. Must
     * not throw. May block only to apply back-pressure, and must then return (closing the frame)
     * as soon as {@link #flush()} is called.
     */
    void onFrame(VideoFrame frame);

    /** Drops (closes) every frame held and releases a blocked {@link #onFrame}. */
    void flush();

    /** No more frames will come until the next flush (the stream ended). */
    default void onEndOfStream() {}
}
