package org.spiceoverlay.api.transport;

/**
 * Limits and timings of a {@link ByteStreamMux}.
 *
 * @param windowBytes    how many bytes one logical connection may have buffered at the receiving end
 *                       before its reader consumes them (flow control per connection, so one slow
 *                       reader never stalls the others)
 * @param maxPayload     the largest data frame this end accepts (a write is cut into frames this big
 *                       at most, so connections take turns on the stream)
 * @param maxChannels    the most logical connections open at once (each holds up to windowBytes)
 * @param keepaliveMs    an idle end sends a ping this often
 * @param peerTimeoutMs  silence from the other end for this long resets every connection and goes
 *                       back to looking for the other end
 * @param helloRetryMs   how often to announce this end while the other end has not answered
 * @param openTimeoutMs  how long opening a connection waits for the other end
 */
public record MuxOptions(
        int windowBytes,
        int maxPayload,
        int maxChannels,
        int keepaliveMs,
        int peerTimeoutMs,
        int helloRetryMs,
        int openTimeoutMs) {

    /** 1 MiB window, 64 KiB frames, 128 connections, ping every 2 s, 10 s silence limit. */
    public static final MuxOptions DEFAULT = new MuxOptions(1 << 20, 64 << 10, 128, 2_000, 10_000, 500, 10_000);

    public MuxOptions {
        check(
                windowBytes >= 4096 && windowBytes <= (64 << 20),
                "windowBytes must be in [4096, 64 MiB], got " + windowBytes);
        check(maxPayload >= 1024 && maxPayload <= (1 << 20), "maxPayload must be in [1 KiB, 1 MiB], got " + maxPayload);
        check(maxChannels >= 1 && maxChannels <= 65536, "maxChannels must be in [1, 65536], got " + maxChannels);
        check(keepaliveMs >= 10, "keepaliveMs must be >= 10, got " + keepaliveMs);
        check(peerTimeoutMs > keepaliveMs, "peerTimeoutMs must exceed keepaliveMs, got " + peerTimeoutMs);
        check(helloRetryMs >= 10, "helloRetryMs must be >= 10, got " + helloRetryMs);
        check(openTimeoutMs >= 1, "openTimeoutMs must be >= 1, got " + openTimeoutMs);
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    public MuxOptions withWindowBytes(int v) {
        return new MuxOptions(v, maxPayload, maxChannels, keepaliveMs, peerTimeoutMs, helloRetryMs, openTimeoutMs);
    }

    public MuxOptions withMaxChannels(int v) {
        return new MuxOptions(windowBytes, maxPayload, v, keepaliveMs, peerTimeoutMs, helloRetryMs, openTimeoutMs);
    }

    public MuxOptions withTimings(int keepalive, int peerTimeout, int helloRetry, int openTimeout) {
        return new MuxOptions(windowBytes, maxPayload, maxChannels, keepalive, peerTimeout, helloRetry, openTimeout);
    }
}
