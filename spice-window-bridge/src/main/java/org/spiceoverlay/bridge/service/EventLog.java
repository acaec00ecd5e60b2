package org.spiceoverlay.bridge.service;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.spiceoverlay.api.thrift.Event;
import org.spiceoverlay.api.thrift.EventBatch;

/**
 * A session's numbered, bounded event log, read by long poll. Events get strictly increasing
 * sequence numbers from 1; when more than {@code capacity} are held the oldest go, and a reader
 * learns it from {@link EventBatch#getFirstAvailableSeq()}.
 *
 * <p>Thread-safe: events are appended by stream and engine threads, read by connection threads.
 */
final class EventLog {

    private final int capacity;
    private final ArrayDeque<Event> events = new ArrayDeque<>();
    private long lastSeq;
    private boolean closed;

    EventLog(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be > 0, got " + capacity);
        }
        this.capacity = capacity;
    }

    /** Numbers and stores {@code event} (its seq and timestamp are set here); returns the seq. */
    synchronized long append(Event event) {
        if (closed) {
            return lastSeq;
        }
        event.setSeq(++lastSeq);
        event.setTimestampNs(System.nanoTime());
        events.addLast(event);
        while (events.size() > capacity) {
            events.pollFirst();
        }
        notifyAll();
        return lastSeq;
    }

    /**
     * Events after {@code afterSeq}, waiting up to {@code timeoutMs} for the first one; at most
     * {@code maxEvents}.
     */
    synchronized EventBatch poll(long afterSeq, long timeoutMs, int maxEvents) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, timeoutMs));
        while (lastSeq <= afterSeq && !closed) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        List<Event> out = new ArrayList<>();
        for (Event e : events) {
            if (e.getSeq() > afterSeq) {
                out.add(e.deepCopy());
                if (out.size() >= maxEvents) {
                    break;
                }
            }
        }
        long first = events.isEmpty() ? lastSeq + 1 : events.peekFirst().getSeq();
        return new EventBatch(out, lastSeq, first);
    }

    synchronized long lastSeq() {
        return lastSeq;
    }

    /** Wakes every poller; later appends are ignored. */
    synchronized void close() {
        closed = true;
        notifyAll();
    }
}
