package org.spiceoverlay.samples.bench;

/**
 * One direction of an emulated link, shared by every connection through a {@link CountingRelay}:
 * a chunk is clocked out at the link's rate after the chunks reserved before it (from any
 * connection), then travels for the one-way delay. {@link #deliverAt} says when its last byte
 * arrives at the far end. Without a cap chunks never queue; without a delay they arrive when
 * clocked out.
 *
 * <p>Thread-safe: the readers of every connection reserve; the lock covers arithmetic only.
 */
public final class LinkSchedule {

    private final long oneWayNanos;
    private final long bitsPerSecond; // 0: no cap
    private long linkFreeAt = Long.MIN_VALUE; // when the last reserved chunk is clocked out

    LinkSchedule(long oneWayNanos, long bitsPerSecond) {
        this.oneWayNanos = oneWayNanos;
        this.bitsPerSecond = bitsPerSecond;
    }

    /** When a chunk of {@code bytes} read at {@code nowNanos} arrives; reserves the link time it needs. */
    long deliverAt(long nowNanos, int bytes) {
        if (bitsPerSecond == 0) {
            return nowNanos + oneWayNanos;
        }
        long serialise = (long) Math.ceil(bytes * 8e9 / bitsPerSecond);
        synchronized (this) {
            long start = linkFreeAt == Long.MIN_VALUE ? nowNanos : Math.max(linkFreeAt, nowNanos);
            linkFreeAt = start + serialise;
            return linkFreeAt + oneWayNanos;
        }
    }

    /** A chunk size that keeps the cap's steps short (about 2 ms of the link), 1 to 16 KiB. */
    int chunkBytes() {
        if (bitsPerSecond == 0) {
            return 16 * 1024;
        }
        long twoMs = bitsPerSecond / 8 / 500;
        return (int) Math.max(1024, Math.min(16 * 1024, twoMs));
    }
}
