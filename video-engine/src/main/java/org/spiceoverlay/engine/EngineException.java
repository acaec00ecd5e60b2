package org.spiceoverlay.engine;

import java.util.Objects;

/**
 * Thrown by engine calls that fail synchronously (opening a session with caps nothing can decode, a
 * push beyond the queue limit, a URI the policy refuses). Carries an {@link EngineErrorCode}, which
 * the client service maps to the protocol's code of the same name for the guest.
 */
public final class EngineException extends Exception {

    private static final long serialVersionUID = 1L;

    private final EngineErrorCode code;

    public EngineException(EngineErrorCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    public EngineException(EngineErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    public EngineErrorCode code() {
        return code;
    }

    @Override
    public String toString() {
        return "EngineException[" + code + ": " + getMessage() + "]";
    }
}
