package org.spiceoverlay.guest;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.spiceoverlay.api.GuestDisplay;

/**
 * How {@link OverlayGuest#connect} introduces the guest: its displays, an auth token when the client
 * requires one, a name for the client's logs, how long a send may wait for credit, and whether and
 * how the guest reconnects after the channel drops. Built with {@link #builder(GuestDisplay...)}.
 *
 * <p>Reconnection (on by default): after a drop the guest tries again after
 * {@link #reconnectInitialDelayMs()} (100 ms), doubling the delay up to {@link #reconnectMaxDelayMs()}
 * (2 s), and gives up once {@link #reconnectGiveUpMs()} (30 s) have passed since the drop.
 *
 * <p>Immutable; safe to share between threads.
 */
public final class GuestOptions {

    /** Default wait for credit before a send gives up. */
    public static final long DEFAULT_CREDIT_TIMEOUT_MS = 30_000;
    /** Default first delay before a reconnect attempt. */
    public static final long DEFAULT_RECONNECT_INITIAL_DELAY_MS = 100;
    /** Default longest delay between reconnect attempts (the delay doubles up to it). */
    public static final long DEFAULT_RECONNECT_MAX_DELAY_MS = 2_000;
    /** Default time after a drop at which the guest stops trying and gives up. */
    public static final long DEFAULT_RECONNECT_GIVE_UP_MS = 30_000;

    private final List<GuestDisplay> displays;
    private final String authToken;
    private final String guestName;
    private final long creditTimeoutMs;
    private final boolean reconnect;
    private final long reconnectInitialDelayMs;
    private final long reconnectMaxDelayMs;
    private final long reconnectGiveUpMs;
    private final long connectWaitMs;

    private GuestOptions(Builder b) {
        if (b.displays.isEmpty()) {
            throw new IllegalArgumentException("displays must list at least one display");
        }
        this.displays = List.copyOf(b.displays);
        this.authToken = b.authToken;
        this.guestName = b.guestName;
        this.creditTimeoutMs = b.creditTimeoutMs;
        if (b.reconnectMaxDelayMs < b.reconnectInitialDelayMs) {
            throw new IllegalArgumentException("reconnect max delay (" + b.reconnectMaxDelayMs
                    + " ms) must be >= the initial delay (" + b.reconnectInitialDelayMs + " ms)");
        }
        this.reconnect = b.reconnect;
        this.reconnectInitialDelayMs = b.reconnectInitialDelayMs;
        this.reconnectMaxDelayMs = b.reconnectMaxDelayMs;
        this.reconnectGiveUpMs = b.reconnectGiveUpMs;
        this.connectWaitMs = b.connectWaitMs;
    }

    /** Options for a guest with these displays (at least one; ids distinct). */
    public static Builder builder(GuestDisplay... displays) {
        Builder b = new Builder();
        for (GuestDisplay d : displays) {
            b.displays.add(Objects.requireNonNull(d, "display"));
        }
        return b;
    }

    public List<GuestDisplay> displays() {
        return displays;
    }

    /** The shared secret, or null when none is sent. */
    public String authToken() {
        return authToken;
    }

    /** Who is calling, for the client's logs. */
    public String guestName() {
        return guestName;
    }

    /** How long a send waits for credit before {@link CreditTimeoutException} (not while paused). */
    public long creditTimeoutMs() {
        return creditTimeoutMs;
    }

    /** Whether the guest reconnects after the channel drops (default true). */
    public boolean reconnect() {
        return reconnect;
    }

    /** Delay before the first reconnect attempt; each failed attempt doubles it. */
    public long reconnectInitialDelayMs() {
        return reconnectInitialDelayMs;
    }

    /** The longest delay between reconnect attempts. */
    public long reconnectMaxDelayMs() {
        return reconnectMaxDelayMs;
    }

    /** How long after a drop the guest keeps trying before it gives up (calls then throw). */
    public long reconnectGiveUpMs() {
        return reconnectGiveUpMs;
    }

    /**
     * How long {@link OverlayGuest#connect} waits for a client that cannot be reached yet (not
     * listening, no socket file, the channel not attached), trying again with the reconnect backoff;
     * 0 (the default): it fails at once. A client that answers and refuses hello fails at once.
     */
    public long connectWaitMs() {
        return connectWaitMs;
    }

    @Override
    public String toString() {
        return "GuestOptions[displays " + displays + ", name \"" + guestName + "\", token "
                + (authToken == null ? "none" : "set") + ", credit timeout " + creditTimeoutMs + " ms, reconnect "
                + (reconnect
                        ? reconnectInitialDelayMs + ".." + reconnectMaxDelayMs + " ms, give up after "
                                + reconnectGiveUpMs + " ms"
                        : "off")
                + (connectWaitMs > 0 ? ", first connect waits " + connectWaitMs + " ms" : "")
                + "]";
    }

    /** Builds {@link GuestOptions}. Not thread-safe. */
    public static final class Builder {
        private final List<GuestDisplay> displays = new ArrayList<>();
        private String authToken;
        private String guestName = "spice-overlay-guest";
        private long creditTimeoutMs = DEFAULT_CREDIT_TIMEOUT_MS;
        private boolean reconnect = true;
        private long reconnectInitialDelayMs = DEFAULT_RECONNECT_INITIAL_DELAY_MS;
        private long reconnectMaxDelayMs = DEFAULT_RECONNECT_MAX_DELAY_MS;
        private long reconnectGiveUpMs = DEFAULT_RECONNECT_GIVE_UP_MS;
        private long connectWaitMs;

        private Builder() {}

        public Builder authToken(String token) {
            if (token != null && token.isEmpty()) {
                throw new IllegalArgumentException("authToken must be null (none) or non-empty");
            }
            this.authToken = token;
            return this;
        }

        public Builder guestName(String name) {
            this.guestName = Objects.requireNonNull(name, "guestName");
            return this;
        }

        public Builder creditTimeoutMs(long ms) {
            if (ms <= 0) {
                throw new IllegalArgumentException("creditTimeoutMs must be > 0, got " + ms);
            }
            this.creditTimeoutMs = ms;
            return this;
        }

        /** Whether to reconnect after the channel drops (default true); off, a drop ends the guest. */
        public Builder reconnect(boolean on) {
            this.reconnect = on;
            return this;
        }

        /** Reconnect backoff: the first delay and the longest (the delay doubles after each failure). */
        public Builder reconnectBackoffMs(long initialMs, long maxMs) {
            if (initialMs <= 0) {
                throw new IllegalArgumentException("reconnect initial delay must be > 0 ms, got " + initialMs);
            }
            if (maxMs < initialMs) {
                throw new IllegalArgumentException("reconnect max delay (" + maxMs + " ms) must be >= the initial "
                        + "delay (" + initialMs + " ms)");
            }
            this.reconnectInitialDelayMs = initialMs;
            this.reconnectMaxDelayMs = maxMs;
            return this;
        }

        /** How long after a drop to keep trying before giving up (default 30 s). */
        public Builder reconnectGiveUpMs(long ms) {
            if (ms <= 0) {
                throw new IllegalArgumentException("reconnectGiveUpMs must be > 0, got " + ms);
            }
            this.reconnectGiveUpMs = ms;
            return this;
        }

        /**
         * How long the first connect waits for a client that cannot be reached yet (default 0: it
         * fails at once); see {@link GuestOptions#connectWaitMs()}.
         */
        public Builder connectWaitMs(long ms) {
            if (ms < 0) {
                throw new IllegalArgumentException("connectWaitMs must be >= 0, got " + ms);
            }
            this.connectWaitMs = ms;
            return this;
        }

        public GuestOptions build() {
            return new GuestOptions(this);
        }
    }
}
