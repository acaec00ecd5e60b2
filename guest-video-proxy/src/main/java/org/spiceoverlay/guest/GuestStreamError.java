package org.spiceoverlay.guest;

import java.util.Objects;

/**
 * An error the client reported for a stream ({@link GuestStreamListener#onError}).
 *
 * @param fatal whether the client closed the stream for it
 */
public record GuestStreamError(GuestErrorCode code, String message, boolean fatal) {
    public GuestStreamError {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }
}
