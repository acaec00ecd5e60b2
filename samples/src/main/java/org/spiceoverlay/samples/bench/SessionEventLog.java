package org.spiceoverlay.samples.bench;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.spiceoverlay.engine.EngineError;
import org.spiceoverlay.engine.SessionListener;

/**
 * Keeps what a decode session reported that a headless run cares about: errors (fatal or not)
 * and whether end of stream came.
 *
 * <p>Thread-safe: the session's event thread writes, the command's thread reads.
 */
public final class SessionEventLog implements SessionListener {

    private final List<EngineError> errors = new CopyOnWriteArrayList<>();
    private volatile boolean ended;
    private volatile boolean fatal;

    @Override
    public void onError(EngineError error) {
        errors.add(error);
        if (error.fatal()) {
            fatal = true;
        }
    }

    @Override
    public void onEndOfStream() {
        ended = true;
    }

    /** Errors in the order reported. */
    public List<EngineError> errors() {
        return List.copyOf(errors);
    }

    /** Whether an error closed the session (no more frames will come). */
    boolean failed() {
        return fatal;
    }

    boolean ended() {
        return ended;
    }
}
