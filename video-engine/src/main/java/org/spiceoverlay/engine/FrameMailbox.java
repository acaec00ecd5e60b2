package org.spiceoverlay.engine;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.spiceoverlay.api.VideoFrame;

/**
 * Latest-wins handoff from the decoder to the renderer: holds at most one frame; a new frame
 * displaces (and closes) the one not yet taken, so a slow consumer always gets the newest picture
 * and nothing piles up.
 *
 * <p>Threads: {@link #onFrame} from the streaming thread, {@link #take()} from the consumer
 * (render) thread, {@link #flush()} and {@link #close()} from any thread.
 */
public final class FrameMailbox implements FrameSink, AutoCloseable {

    private final AtomicReference<VideoFrame> slot = new AtomicReference<>();
    private final AtomicLong offered = new AtomicLong();
    private final AtomicLong displaced = new AtomicLong();
    private volatile boolean closed;

    @Override
    public void onFrame(VideoFrame frame) {
        if (closed) {
            frame.close();
            return;
        }
        offered.incrementAndGet();
        VideoFrame old = slot.getAndSet(frame);
        if (old != null) {
            displaced.incrementAndGet();
            old.close();
        }
        // close() may have run between the check and the swap: do not strand a frame.
        if (closed) {
            VideoFrame left = slot.getAndSet(null);
            if (left != null) {
                left.close();
            }
        }
    }

    /** The newest frame, now owned by the caller (who must close it), or null if none arrived. */
    public VideoFrame take() {
        return slot.getAndSet(null);
    }

    /** Whether a frame is waiting. */
    public boolean hasFrame() {
        return slot.get() != null;
    }

    @Override
    public void flush() {
        VideoFrame old = slot.getAndSet(null);
        if (old != null) {
            old.close();
        }
    }

    /** Frames handed in so far. */
    public long offeredCount() {
        return offered.get();
    }

    /** Frames replaced by a newer one before anyone took them. */
    public long displacedCount() {
        return displaced.get();
    }

    /** Closes the held frame; later frames are closed on arrival. Idempotent. */
    @Override
    public void close() {
        closed = true;
        flush();
    }
}
