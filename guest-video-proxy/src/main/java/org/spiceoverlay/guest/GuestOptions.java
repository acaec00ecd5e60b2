package org.spiceoverlay.guest;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.spiceoverlay.api.GuestDisplay;

/**
 * How {@link OverlayGuest#connect} introduces the guest: its displays, an auth token when the client
 * requires one, a name for the client's logs, and how long a send may wait for credit. Built with
 * {@link #builder(GuestDisplay...)}.
 *
 * <p>Immutable; safe to share between threads.
 */
public final class GuestOptions {

    /** Default wait for credit before a send gives up. */
    public static final long DEFAULT_CREDIT_TIMEOUT_MS = 30_000;

    private final List<GuestDisplay> displays;
    private final String authToken;
    private final String guestName;
    private final long creditTimeoutMs;

    private GuestOptions(Builder b) {
        if (b.displays.isEmpty()) {
            throw new IllegalArgumentException("displays must list at least one display");
        }
        this.displays = List.copyOf(b.displays);
        this.authToken = b.authToken;
        this.guestName = b.guestName;
        this.creditTimeoutMs = b.creditTimeoutMs;
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

    @Override
    public String toString() {
        return "GuestOptions[displays " + displays + ", name \"" + guestName + "\", token "
                + (authToken == null ? "none" : "set") + ", credit timeout " + creditTimeoutMs + " ms]";
    }

    /** Builds {@link GuestOptions}. Not thread-safe. */
    public static final class Builder {
        private final List<GuestDisplay> displays = new ArrayList<>();
        private String authToken;
        private String guestName = "spice-overlay-guest";
        private long creditTimeoutMs = DEFAULT_CREDIT_TIMEOUT_MS;

        private Builder() {
        }

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

        public GuestOptions build() {
            return new GuestOptions(this);
        }
    }
}
