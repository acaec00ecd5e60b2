package org.spiceoverlay.guest;

import java.util.Objects;

/**
 * The client refused a call, on purpose: a typed {@link #code()} a player can act on and a message
 * a person can (it names the field, the limit, the caps). A channel that fails is the unchecked
 * {@link GuestConnectionException} instead.
 *
 * <p>Immutable; any thread.
 */
public class OverlayException extends Exception {

    private static final long serialVersionUID = 1L;

    private final GuestErrorCode code;
    private final long streamId;
    private final long expectedSeq;

    /**
     * @param streamId the stream it belongs to, -1 when none
     * @param expectedSeq with {@link GuestErrorCode#OUT_OF_SEQUENCE}: the chunk number the client
     *        expects next; else -1
     */
    public OverlayException(GuestErrorCode code, String message, long streamId, long expectedSeq) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
        this.streamId = streamId;
        this.expectedSeq = expectedSeq;
    }

    public GuestErrorCode code() {
        return code;
    }

    /** The stream the error belongs to, -1 when it belongs to none. */
    public long streamId() {
        return streamId;
    }

    /** With OUT_OF_SEQUENCE, the chunk number the client expects next; else -1. */
    public long expectedSeq() {
        return expectedSeq;
    }

    @Override
    public String toString() {
        return "OverlayException[" + code + (streamId >= 0 ? ", stream " + streamId : "") + ": " + getMessage() + "]";
    }
}
