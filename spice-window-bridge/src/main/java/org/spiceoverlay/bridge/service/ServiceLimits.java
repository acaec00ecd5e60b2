package org.spiceoverlay.bridge.service;

import org.spiceoverlay.api.thrift.ClientLimits;

/**
 * What the client service accepts from guests; every limit is answered with LIMIT_EXCEEDED when
 * crossed and announced in hello.
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param maxStreams                open streams per session
 * @param maxChunkBytes             largest pushData payload
 * @param maxFrameWidth             largest decoded picture
 * @param maxFrameHeight            largest decoded picture
 * @param maxRegionRects            rectangles in a visible region
 * @param maxPollTimeoutMs          longest long poll
 * @param eventLogCapacity          events kept per session
 * @param maxBufferedBytesPerStream the credit window: undecoded bytes a stream may hold
 * @param maxConnections            connections served at once (all sessions)
 */
public record ServiceLimits(
        int maxStreams,
        int maxChunkBytes,
        int maxFrameWidth,
        int maxFrameHeight,
        int maxRegionRects,
        int maxPollTimeoutMs,
        int eventLogCapacity,
        long maxBufferedBytesPerStream,
        int maxConnections) {

    /** Sensible defaults for a desktop client. */
    public static final ServiceLimits DEFAULT =
            new ServiceLimits(8, 4 << 20, 4096, 4096, 64, 30_000, 4096, 8L << 20, 64);

    public ServiceLimits {
        positive("maxStreams", maxStreams);
        positive("maxChunkBytes", maxChunkBytes);
        positive("maxFrameWidth", maxFrameWidth);
        positive("maxFrameHeight", maxFrameHeight);
        positive("maxRegionRects", maxRegionRects);
        positive("maxPollTimeoutMs", maxPollTimeoutMs);
        positive("eventLogCapacity", eventLogCapacity);
        positive("maxConnections", maxConnections);
        if (maxBufferedBytesPerStream < maxChunkBytes) {
            throw new IllegalArgumentException("maxBufferedBytesPerStream must be >= maxChunkBytes (" + maxChunkBytes
                    + "), got " + maxBufferedBytesPerStream);
        }
    }

    private static void positive(String field, long v) {
        if (v <= 0) {
            throw new IllegalArgumentException(field + " must be > 0, got " + v);
        }
    }

    /** Largest Thrift frame a connection accepts: a full chunk plus room for the message around it. */
    public int maxFrameBytes() {
        return maxChunkBytes + (1 << 20);
    }

    public ClientLimits toWire() {
        return new ClientLimits(
                maxStreams,
                maxChunkBytes,
                maxFrameWidth,
                maxFrameHeight,
                maxRegionRects,
                maxPollTimeoutMs,
                eventLogCapacity,
                maxBufferedBytesPerStream);
    }
}
