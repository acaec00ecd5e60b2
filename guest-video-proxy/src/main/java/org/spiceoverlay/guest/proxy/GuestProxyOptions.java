package org.spiceoverlay.guest.proxy;

import org.spiceoverlay.api.transport.MuxOptions;

/**
 * Limits of a {@link GuestProxy}.
 *
 * @param maxApps       the most player apps connected at once (each holds two logical connections on
 *                      the channel: data and events); more are refused
 * @param upstreamWaitMs how long a new app connection waits for the channel to the client
 * @param mux           the channel's mux settings (windows, keep-alive)
 */
public record GuestProxyOptions(int maxApps, int upstreamWaitMs, MuxOptions mux) {

    /** 32 apps, 5 s wait for the channel, default mux. */
    public static final GuestProxyOptions DEFAULT = new GuestProxyOptions(32, 5_000, MuxOptions.DEFAULT);

    public GuestProxyOptions {
        if (maxApps < 1 || maxApps > 1024) {
            throw new IllegalArgumentException("maxApps must be in [1, 1024], got " + maxApps);
        }
        if (upstreamWaitMs < 1) {
            throw new IllegalArgumentException("upstreamWaitMs must be >= 1, got " + upstreamWaitMs);
        }
        if (mux == null) {
            throw new IllegalArgumentException("mux settings are missing");
        }
        if (mux.maxChannels() < 2 * maxApps) {
            throw new IllegalArgumentException("the channel allows " + mux.maxChannels() + " connections; " + maxApps
                    + " apps need " + 2 * maxApps);
        }
    }

    public GuestProxyOptions withMaxApps(int n) {
        return new GuestProxyOptions(n, upstreamWaitMs, mux);
    }
}
