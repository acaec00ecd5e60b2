package org.spiceoverlay.guest;

/**
 * The channel to the client failed: it could not be opened, it dropped, or the client answered
 * with something that is not the protocol. Unchecked, because any call can meet it and the usual
 * reaction (fall back to local playback, or wait and reconnect) is the same for all of them; errors
 * the client reports on purpose arrive as the checked {@link OverlayException}
 * instead.
 *
 * <p>Immutable; safe to share between threads.
 */
public class GuestConnectionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public GuestConnectionException(String message, Throwable cause) {
        super(message, cause);
    }

    public GuestConnectionException(String message) {
        super(message);
    }
}
