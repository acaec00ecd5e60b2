package org.spiceoverlay.engine;

import java.util.Objects;

import org.spiceoverlay.api.thrift.ErrorCode;

/**
 * Thrown by engine calls that fail synchronously (opening a session with caps nothing can decode, a
 * push beyond the queue limit, a URI the policy refuses). Carries the protocol {@link ErrorCode} so
 * the client service can answer the guest with the same code.
 */
public final class EngineException extends Exception {

    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public EngineException(ErrorCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    public EngineException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    public ErrorCode code() {
        return code;
    }

    @Override
    public String toString() {
        return "EngineException[" + code + ": " + getMessage() + "]";
    }
}
