package org.spiceoverlay.guest;

/**
 * A send waited longer than {@link GuestOptions#creditTimeoutMs()} for the client to grant credit
 * (the client is not consuming: stuck, or the stream was paused on the client's side). Nothing of
 * the chunk that waited was sent; the stream stays usable. Unchecked, like
 * {@link GuestConnectionException}.
 *
 * <p>Immutable; safe to share between threads.
 */
public class CreditTimeoutException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CreditTimeoutException(String message) {
        super(message);
    }
}
