package org.spiceoverlay.samples.player;

import java.util.Objects;

/**
 * The events of a player that paces its own sending (the redirect sample player): it anchors its
 * clock when it starts sending (a sample with decode time {@code first} is due at {@code wall}, so
 * origin = wall - first), and again after every seek or resend; the client's clock stops while
 * paused, so a resume moves the origin on by the time spent paused. Each new origin goes to the
 * {@link PlaybackEventLog} as a {@code clock} line (not while paused: then at the resume), with the
 * actions as the player takes them.
 *
 * <p>Thread-safe: the send loop anchors, the script or keyboard thread acts; the lock covers the
 * arithmetic and a line appended to a local file.
 */
public final class PacedClockLog {

    private final PlaybackEventLog log;
    private long origin = Long.MIN_VALUE; // none yet
    private long pausedSince = -1;

    public PacedClockLog(PlaybackEventLog log) {
        this.log = Objects.requireNonNull(log, "log");
    }

    /** The sample with decode time {@code firstNs} is due at {@code wallNs}; logs the clock unless paused. */
    public synchronized void anchored(long wallNs, long firstNs) {
        origin = wallNs - firstNs;
        if (pausedSince >= 0) {
            pausedSince = Math.max(pausedSince, wallNs);
        } else {
            log.clock(origin);
        }
    }

    public synchronized void paused(long atNs) {
        log.pause(atNs);
        if (pausedSince < 0) {
            pausedSince = atNs;
        }
    }

    public synchronized void resumed(long atNs) {
        log.resume(atNs);
        if (pausedSince >= 0 && origin != Long.MIN_VALUE) {
            origin += Math.max(0, atNs - pausedSince);
            log.clock(origin);
        }
        pausedSince = -1;
    }

    /** A seek asked for; the clock follows when the player re-anchors on the new position. */
    public void seeked(long atNs, long toNs) {
        log.seek(atNs, toNs);
    }

    public void endOfStream(long atNs) {
        log.eos(atNs);
    }

    public void stopped(long atNs) {
        log.stopped(atNs);
    }
}
