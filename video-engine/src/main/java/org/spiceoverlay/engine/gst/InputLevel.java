package org.spiceoverlay.engine.gst;

import java.util.ArrayDeque;

/**
 * Counts the compressed bytes waiting in a session's appsrc queues. Each appsrc is a FIFO, so the
 * size of every buffer pushed is remembered in order and forgotten when a probe on that appsrc's
 * source pad sees a buffer leave. Cheaper than asking GStreamer for the level on every push, and
 * it lets producers wait for room without polling.
 *
 * <p>Thread-safe: pushes from the producer, departures from streaming threads, flushes from the
 * seeking thread.
 */
final class InputLevel {

    private final ArrayDeque<Integer>[] fifos;
    private long bytes;

    @SuppressWarnings("unchecked")
    InputLevel(int queues) {
        fifos = new ArrayDeque[queues];
        for (int i = 0; i < queues; i++) {
            fifos[i] = new ArrayDeque<>();
        }
    }

    synchronized void pushed(int queue, int size) {
        fifos[queue].addLast(size);
        bytes += size;
    }

    /** The last push did not enter the queue after all (the appsrc was flushing). */
    synchronized void refused(int queue) {
        Integer size = fifos[queue].pollLast();
        if (size != null) {
            bytes -= size;
        }
        notifyAll();
    }

    /** One buffer left the queue, downstream. */
    synchronized void left(int queue) {
        Integer size = fifos[queue].pollFirst();
        if (size != null) {
            bytes -= size;
            notifyAll();
        }
    }

    /** All queues were emptied by a flush. */
    synchronized void flushed() {
        for (ArrayDeque<Integer> f : fifos) {
            f.clear();
        }
        bytes = 0;
        notifyAll();
    }

    synchronized long bytes() {
        return bytes;
    }

    /** Waits until {@code size} more bytes fit under {@code limit}; false on timeout. */
    synchronized boolean awaitRoom(long size, long limit, long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        while (bytes + size > limit) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    /** Wakes waiters (the session closed). */
    synchronized void wake() {
        notifyAll();
    }
}
