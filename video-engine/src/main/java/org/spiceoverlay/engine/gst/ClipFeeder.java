package org.spiceoverlay.engine.gst;

import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spiceoverlay.engine.DecodeSession;
import org.spiceoverlay.engine.EncodedSample;
import org.spiceoverlay.engine.EngineException;
import org.spiceoverlay.engine.SeekMode;

/**
 * Plays the guest's part for a {@code SAMPLES} session on one machine: demuxes a clip and pushes
 * its samples into the session as fast as the session's queue allows, and on a seek restarts from
 * the keyframe before the target, exactly as a guest player does after a SEEK. Used by
 * {@code overlay decode}, the decode benchmark and the engine tests.
 *
 * <p>Threads: one feeder thread of its own; {@link #seek}, {@link #await} and {@link #close} from
 * any other thread.
 */
public final class ClipFeeder implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClipFeeder.class);

    private final ClipDemuxer demuxer;
    private final DecodeSession session;
    private final Thread thread;
    private final Object lock = new Object();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private long generation;
    private volatile boolean closed;
    private volatile boolean finished;
    private long samplesPushed;

    public ClipFeeder(ClipDemuxer demuxer, DecodeSession session) {
        this.demuxer = Objects.requireNonNull(demuxer, "demuxer");
        this.session = Objects.requireNonNull(session, "session");
        this.thread = new Thread(this::run, "feeder-" + session.spec().name());
        this.thread.setDaemon(true);
    }

    /** Starts pushing. */
    public ClipFeeder start() {
        thread.start();
        return this;
    }

    private void run() {
        try {
            while (!closed) {
                long gen;
                DemuxedSample d;
                synchronized (lock) {
                    gen = generation;
                    d = demuxer.next(30, TimeUnit.SECONDS);
                }
                if (d == null) {
                    synchronized (lock) {
                        if (gen != generation) {
                            continue; // a seek restarted the clip meanwhile
                        }
                        session.endOfStream();
                        finished = true;
                        lock.notifyAll();
                        // stay alive: a later seek feeds again
                        while (gen == generation && !closed) {
                            lock.wait();
                        }
                        finished = false;
                    }
                    continue;
                }
                try (d) {
                    EncodedSample s = d.sample();
                    // Wait for room outside the lock so that a seek is never held up by a full queue.
                    while (!closed && !session.awaitRoom(s.size(), 100, TimeUnit.MILLISECONDS)) {
                        synchronized (lock) {
                            if (gen != generation) {
                                break;
                            }
                        }
                    }
                    synchronized (lock) {
                        if (gen != generation || closed) {
                            continue;
                        }
                        session.push(new EncodedSample(
                                s.track(),
                                s.data(),
                                s.ptsNs(),
                                s.dtsNs(),
                                s.durationNs(),
                                s.keyframe(),
                                s.discontinuity(),
                                System.nanoTime()));
                        samplesPushed++;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (EngineException | RuntimeException e) {
            if (!closed) {
                LOG.warn("feeding {} stopped: {}", demuxer.file(), e.toString());
                failure.set(e);
            }
        } finally {
            synchronized (lock) {
                finished = true;
                lock.notifyAll();
            }
        }
    }

    /**
     * Seeks the session and restarts feeding from the keyframe at or before {@code positionNs}. With
     * {@link SeekMode#KEY_UNIT} playback starts at that keyframe; with ACCURATE at the position.
     *
     * @return the position playback starts from
     */
    public long seek(long positionNs, SeekMode mode, double rate) throws EngineException {
        synchronized (lock) {
            generation++;
            demuxer.seek(positionNs);
            long start = positionNs;
            if (mode == SeekMode.KEY_UNIT) {
                // The demuxer snapped to the keyframe: the first video sample tells where that is.
                long keyPts = demuxer.keyframeBefore(positionNs + demuxer.startTimeNs());
                start = Math.max(0, keyPts - demuxer.startTimeNs());
            }
            session.seek(start, mode, rate);
            lock.notifyAll();
            return start;
        }
    }

    /** Changes the rate at the current position (the session restarts there; so does the feed). */
    public long setRate(double rate) throws EngineException {
        long pos = Math.max(0, session.positionNs());
        return seek(pos, SeekMode.ACCURATE, rate);
    }

    /** Waits until every sample was pushed and end of stream signalled. */
    public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        synchronized (lock) {
            while (!finished) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
        }
        return true;
    }

    public long samplesPushed() {
        synchronized (lock) {
            return samplesPushed;
        }
    }

    /** What stopped the feeder, or null. */
    public Exception failure() {
        return failure.get();
    }

    @Override
    public void close() {
        closed = true;
        synchronized (lock) {
            lock.notifyAll();
        }
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
