package org.spiceoverlay.engine;

import java.util.Objects;

/**
 * An error a session reports to its listener: an {@link EngineErrorCode}, a message a person can
 * act on (it names the stream's caps, the element, the limit), and whether the session had to stop.
 *
 * <p>Immutable; safe to share between threads.
 */
public record EngineError(EngineErrorCode code, String message, boolean fatal) {

    public EngineError {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return code + (fatal ? " (fatal)" : "") + ": " + message;
    }
}
