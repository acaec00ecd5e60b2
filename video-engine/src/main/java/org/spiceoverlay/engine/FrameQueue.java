package org.spiceoverlay.engine;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.spiceoverlay.api.VideoFrame;

/**
 * A lossless, bounded frame queue: when it is full, the decoder's streaming thread waits (the same
 * back-pressure GStreamer's own sinks apply), so every decoded frame reaches the consumer in order.
 * A flush (seek, close) drops what is queued and releases a waiting decoder at once.
 *
 * <p>Threads: {@link #onFrame} and {@link #onEndOfStream} from the streaming thread, {@link #take}
 * from one consumer thread, {@link #flush()} and {@link #close()} from any thread.
 */
public final class FrameQueue implements FrameSink, AutoCloseable {

    /** What {@link #take} returns once the stream has ended and the queue is drained. */
    public static final VideoFrame END = null;

    private final int capacity;
    private final ArrayDeque<VideoFrame> frames;
    private long generation;
    private boolean ended;
    private boolean closed;

    /** @param capacity frames held before the decoder waits (&gt; 0) */
    public FrameQueue(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be > 0, got " + capacity);
        }
        this.capacity = capacity;
        this.frames = new ArrayDeque<>(capacity);
    }

    @Override
    public void onFrame(VideoFrame frame) {
        synchronized (this) {
            long gen = generation;
            while (frames.size() >= capacity && gen == generation && !closed) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            if (gen == generation && !closed && frames.size() < capacity) {
                ended = false;
                frames.addLast(frame);
                notifyAll();
                return;
            }
        }
        frame.close();
    }

    @Override
    public synchronized void onEndOfStream() {
        ended = true;
        notifyAll();
    }

    /**
     * The next frame in decode-output order, owned by the caller; {@link #END} (null) once the
     * stream has ended and everything was taken.
     *
     * @throws java.util.concurrent.TimeoutException when nothing came within the timeout
     */
    public synchronized VideoFrame take(long timeout, TimeUnit unit)
            throws InterruptedException, java.util.concurrent.TimeoutException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (frames.isEmpty()) {
            if (ended || closed) {
                return END;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new java.util.concurrent.TimeoutException("no frame within " + timeout + " " + unit);
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        VideoFrame f = frames.pollFirst();
        notifyAll();
        return f;
    }

    /** Frames waiting. */
    public synchronized int size() {
        return frames.size();
    }

    @Override
    public synchronized void flush() {
        generation++;
        ended = false;
        VideoFrame f;
        while ((f = frames.pollFirst()) != null) {
            f.close();
        }
        notifyAll();
    }

    /** Drops everything and refuses later frames. Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        flush();
    }
}
