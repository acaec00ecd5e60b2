package org.spiceoverlay.engine.gst;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.spiceoverlay.engine.EncodedSample;

/**
 * The samples {@link ClipDemuxer} has demuxed and its reader has not taken yet, and what a seek
 * does to them: a seek starts a new generation and empties the queue; a sample pulled under an
 * older generation, or while the seek still flushes, is dropped instead of queued. Every sample
 * dropped here is closed (its buffer released). Bounded and refilled in bursts: a full queue lets
 * the demuxer go on only once its reader took half of it. Woken for every sample a real-time reader
 * takes, the streaming thread costs about four times as much CPU per sample as in a burst (caches
 * and the callback path go cold between samples).
 *
 * <p>Threads: {@link #offer} and {@link #segmentArrived()} on the demuxer's streaming threads;
 * {@link #next}, {@link #keyframeBefore}, {@link #beginSeek()} and {@link #seekFailed()} on the
 * reader's thread; {@link #failed()} and {@link #close()} from any.
 */
final class DemuxQueue {

    /** Samples buffered ahead of the reader. */
    static final int CAPACITY = 256;

    /** Marks the end of the file (or a failure); stays at the head once reached. */
    static final DemuxedSample END = DemuxedSample.marker(new EncodedSample(
            EncodedSample.Track.VIDEO,
            ByteBuffer.allocate(1),
            EncodedSample.NO_TIME,
            EncodedSample.NO_TIME,
            EncodedSample.NO_TIME,
            false,
            false,
            EncodedSample.NO_TIME));

    private final BlockingQueue<DemuxedSample> queue = new ArrayBlockingQueue<>(CAPACITY);
    /** Samples already taken from the queue by {@link #keyframeBefore} and not yet returned. */
    private final ArrayDeque<DemuxedSample> peeked = new ArrayDeque<>();

    private volatile boolean flushing;
    /** Bumped by every seek before it flushes: a sample pulled under an older generation is stale. */
    private volatile int generation;

    private volatile boolean closed;

    /** The generation a streaming thread pulls its sample under (read before pulling it). */
    int generation() {
        return generation;
    }

    /**
     * Enqueues, waiting for room, unless a seek or close flushes meanwhile (then closes the sample).
     * The sample was pulled under {@code pulledIn}.
     */
    void offer(int pulledIn, DemuxedSample s) {
        if (!tryOffer(pulledIn, s)) {
            s.close();
        }
    }

    private boolean tryOffer(int pulledIn, DemuxedSample s) {
        try {
            if (queue.remainingCapacity() == 0) {
                while (queue.size() > CAPACITY / 2) {
                    if (flushing || closed || generation != pulledIn) {
                        return false;
                    }
                    Thread.sleep(50);
                }
            }
            // A seek may have emptied the queue while this thread waited: its sample is then stale,
            // as is anything that comes before the seek's new segment. (A sample of the new position
            // may arrive while the seek call still runs: it follows that segment and is kept.)
            if (closed || flushing || generation != pulledIn) {
                return false;
            }
            while (!queue.offer(s, 100, TimeUnit.MILLISECONDS)) {
                if (flushing || closed || generation != pulledIn) {
                    return false;
                }
            }
            if (closed) {
                clear(); // close() may have emptied the queue just before this sample went in
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The demuxer failed: the reader sees the end at once, without waiting for room. */
    void failed() {
        queue.offer(END);
    }

    /**
     * A segment reached a sink. The first one after a seek's flush: everything in flight before it
     * was flushed, everything after it is for the new position. What is queued is stale.
     */
    void segmentArrived() {
        if (flushing) {
            clear();
            flushing = false;
        }
    }

    /**
     * A seek starts: until the new segment reaches the sinks, a streaming thread waiting for room
     * gives up. That segment comes from the streaming thread once the seek has returned: a sample
     * of the old position pulled meanwhile would otherwise stay at the head of the queue.
     */
    @SuppressWarnings("NonAtomicVolatileUpdate") // only the reader's thread seeks
    void beginSeek() {
        generation++;
        flushing = true;
        clear();
        closeAll(peeked);
    }

    /** The seek did not happen: nothing is flushing. */
    void seekFailed() {
        flushing = false;
    }

    /**
     * The next sample, {@link #END} at the end (it stays there), or null when none came within the
     * timeout.
     */
    @SuppressWarnings("ReferenceEquality") // END is a marker instance
    DemuxedSample next(long timeout, TimeUnit unit) throws InterruptedException {
        DemuxedSample s = peeked.isEmpty() ? queue.poll(timeout, unit) : peeked.pollFirst();
        if (s == END) {
            queue.offer(END); // stay at the end for later calls
        }
        return s;
    }

    /**
     * After {@link #beginSeek()}: the presentation time of the first video keyframe queued (the
     * samples read to find it are returned by {@link #next} as usual), or {@code fallback} when
     * none shows up within 10 s.
     */
    @SuppressWarnings("ReferenceEquality") // END is a marker instance
    long keyframeBefore(long fallback) {
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                DemuxedSample d = queue.poll(100, TimeUnit.MILLISECONDS);
                if (d == null) {
                    continue;
                }
                peeked.addLast(d);
                if (d == END) {
                    break;
                }
                EncodedSample s = d.sample();
                if (s.track() == EncodedSample.Track.VIDEO && s.keyframe() && s.ptsNs() != EncodedSample.NO_TIME) {
                    return s.ptsNs();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return fallback;
    }

    /** Whether a seek is under way and its new segment has not reached the sinks yet. */
    boolean isFlushing() {
        return flushing;
    }

    boolean isClosed() {
        return closed;
    }

    /** Drops and closes everything; waiting streaming threads give up. */
    void close() {
        closed = true;
        clear();
        closeAll(peeked);
    }

    private void clear() {
        List<DemuxedSample> dropped = new ArrayList<>();
        queue.drainTo(dropped);
        closeAll(dropped);
    }

    private static void closeAll(java.util.Collection<DemuxedSample> samples) {
        for (DemuxedSample s : samples) {
            s.close();
        }
        samples.clear();
    }
}
