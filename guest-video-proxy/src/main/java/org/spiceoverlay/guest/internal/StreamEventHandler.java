package org.spiceoverlay.guest.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spiceoverlay.api.thrift.Event;
import org.spiceoverlay.guest.GuestConnectionException;
import org.spiceoverlay.guest.GuestStreamState;

/**
 * What the client reports about a stream, taken in: credit, state, position, errors, QoS, and the
 * stream's end (once), including a close the client's shutdown announces before the channel drops.
 *
 * <p>Threads: the guest's event thread.
 */
final class StreamEventHandler {

    private static final Logger LOG = LoggerFactory.getLogger(StreamEventHandler.class);

    private final StreamCore core;

    StreamEventHandler(StreamCore core) {
        this.core = core;
    }

    void onEvent(Event e) {
        try {
            switch (e.getKind()) {
                case CREDIT -> {
                    core.lock.lock();
                    try {
                        core.raiseLimit(e.getCredit());
                    } finally {
                        core.lock.unlock();
                    }
                }
                case STATE_CHANGED -> {
                    if (e.getState() != null) {
                        core.state = Wire.state(e.getState());
                        core.events.onState(core.state);
                    }
                }
                case END_OF_STREAM -> core.events.onEndOfStream();
                case ERROR -> {
                    if (e.getError() != null) {
                        core.fatalReported |= e.getError().isFatal();
                        core.events.onError(Wire.error(e.getError()));
                    }
                }
                case POSITION -> {
                    core.positionNs = e.getPositionNs();
                    if (e.isSetDurationNs()) {
                        core.durationNs = e.getDurationNs();
                    }
                    core.events.onPosition(e.getPositionNs(), e.isSetDurationNs() ? e.getDurationNs() : -1);
                }
                case SEEK_DONE -> {
                    core.positionNs = e.getPositionNs();
                    core.events.onSeekDone(e.getPositionNs());
                }
                case QOS -> {
                    if (e.getQos() != null) {
                        core.events.onQos(Wire.qos(e.getQos()));
                    }
                }
                case VISIBILITY -> core.events.onVisibility(e.isVisible());
                case STREAM_CLOSED -> {
                    if (core.guest.options().reconnect() && !core.isClosed() && !core.fatalReported) {
                        // Neither the player's CLOSE nor a fatal error: the client is shutting down,
                        // unless the next poll answers (settleHeldClose). A drop replays the stream.
                        core.closeHeld = true;
                    } else {
                        terminated(null);
                    }
                }
                default -> LOG.debug("stream {}: ignoring event {}", core.id, e.getKind());
            }
        } catch (RuntimeException ex) {
            LOG.warn("stream {}: listener failed on {}", core.id, e.getKind(), ex);
        }
    }

    /** The stream is gone; {@code cause} is set when the connection dropped. Reports once. */
    void terminated(GuestConnectionException cause) {
        core.lock.lock();
        try {
            core.closed = true;
            core.state = GuestStreamState.CLOSED;
            core.creditChanged.signalAll();
        } finally {
            core.lock.unlock();
        }
        core.guest.forget(core);
        if (core.closedReported) {
            return;
        }
        core.closedReported = true;
        try {
            if (cause != null) {
                core.events.onConnectionLost(cause);
            }
            core.events.onClosed();
        } catch (RuntimeException ex) {
            LOG.warn("stream {}: listener failed on close", core.id, ex);
        }
    }

    /** The poll after an unexplained STREAM_CLOSED answered: the close was real (event thread). */
    void settleHeldClose() {
        if (core.closeHeld) {
            core.closeHeld = false;
            terminated(null);
        }
    }

    /** The channel dropped and the guest reconnects (event thread). */
    void connectionLost(GuestConnectionException drop) {
        if (core.isClosed()) {
            return;
        }
        try {
            core.events.onConnectionLost(drop);
        } catch (RuntimeException ex) {
            LOG.warn("stream {}: listener failed on connection lost", core.id, ex);
        }
    }
}
