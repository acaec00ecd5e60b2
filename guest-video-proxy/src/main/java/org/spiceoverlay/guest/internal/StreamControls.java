package org.spiceoverlay.guest.internal;

import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spiceoverlay.api.thrift.ControlAction;
import org.spiceoverlay.api.thrift.ControlCommand;
import org.spiceoverlay.api.thrift.SourceKind;
import org.spiceoverlay.guest.GuestConnectionException;
import org.spiceoverlay.guest.GuestErrorCode;
import org.spiceoverlay.guest.GuestGeometry;
import org.spiceoverlay.guest.GuestSeekMode;
import org.spiceoverlay.guest.OverlayException;

/**
 * A stream's controls: play, pause, seek (ordered with the chunks on the wire), rate, volume,
 * mute, and close. While the stream waits to be re-created after a drop only their effect is
 * recorded: the re-creation applies it.
 *
 * <p>Threads: any.
 */
final class StreamControls {

    private static final Logger LOG = LoggerFactory.getLogger(StreamControls.class);

    private final StreamCore core;

    StreamControls(StreamCore core) {
        this.core = core;
    }

    /** Plays (the outcome arrives as STATE_CHANGED). */
    void play() throws OverlayException {
        control(new ControlCommand(ControlAction.PLAY), () -> {
            core.paused = false;
            core.creditChanged.signalAll();
        });
    }

    /** Pauses; sends waiting for credit keep waiting, without a time limit, until {@link #play()}. */
    void pause() throws OverlayException {
        control(new ControlCommand(ControlAction.PAUSE), () -> core.paused = true);
    }

    /**
     * Flushing seek to {@code positionNs} (media time). On a samples stream the client drops what it
     * holds; the player then sends from the keyframe at or before the target: the next chunk is the
     * first of the new position (its seq is the command's resumeSeq) and its first sample is flagged
     * DISCONT here. A send blocked on credit in another thread returns false. The outcome arrives as
     * {@link GuestStreamListener#onSeekDone}.
     */
    void seek(long targetNs, GuestSeekMode mode) throws OverlayException {
        if (targetNs < 0) {
            throw new IllegalArgumentException("positionNs must be >= 0, got " + targetNs);
        }
        ControlCommand c = new ControlCommand(ControlAction.SEEK)
                .setPositionNs(targetNs)
                .setSeekMode(Wire.seekMode(mode))
                .setRate(core.rate);
        // No chunk goes out between naming resumeSeq and the seek reaching the client.
        core.wireLock.lock();
        try {
            while (true) {
                long gen;
                long streamId;
                core.lock.lock();
                try {
                    core.ensureOpen();
                    if (core.source == SourceKind.PUSH_SAMPLES) {
                        c.setResumeSeq(core.nextSeq);
                    }
                    gen = core.generation;
                    streamId = core.id;
                } finally {
                    core.lock.unlock();
                }
                try {
                    core.guest.streamCall("control SEEK", gen, client -> {
                        client.control(streamId, c);
                        return null;
                    });
                } catch (SessionCore.Reconnecting e) {
                    if (recreatedSince(gen)) {
                        continue; // re-created meanwhile: seek the new stream
                    }
                    // The re-created stream starts afresh with what the player sends from the target.
                    core.positionNs = targetNs;
                }
                core.lock.lock();
                try {
                    core.epoch++;
                    core.discontPending = true;
                    core.creditChanged.signalAll();
                } finally {
                    core.lock.unlock();
                }
                return;
            }
        } finally {
            core.wireLock.unlock();
        }
    }

    boolean recreatedSince(long gen) {
        core.lock.lock();
        try {
            return core.generation != gen;
        } finally {
            core.lock.unlock();
        }
    }

    /** Playback rate (&gt; 0; 1.0 normal; BUFFERED streams only). */
    void setRate(double newRate) throws OverlayException {
        if (!(newRate > 0) || Double.isInfinite(newRate)) {
            throw new IllegalArgumentException("rate must be > 0, got " + newRate);
        }
        control(new ControlCommand(ControlAction.SET_RATE).setRate(newRate), () -> core.rate = newRate);
    }

    /** Volume, 0.0 .. 1.0 linear. */
    void setVolume(double newVolume) throws OverlayException {
        if (!(newVolume >= 0 && newVolume <= 1)) {
            throw new IllegalArgumentException("volume must be in [0, 1], got " + newVolume);
        }
        control(new ControlCommand(ControlAction.SET_VOLUME).setVolume(newVolume), () -> core.volume = newVolume);
    }

    void setMute(boolean newMute) throws OverlayException {
        control(new ControlCommand(ControlAction.SET_MUTE).setMute(newMute), () -> core.mute = newMute);
    }

    /**
     * Sends a control and then records its effect ({@code record} runs holding {@code lock}). While
     * the stream waits to be re-created only the effect is recorded: the re-creation applies it.
     */
    void control(ControlCommand c, Runnable record) throws OverlayException {
        while (true) {
            long gen;
            long streamId;
            core.lock.lock();
            try {
                gen = core.generation;
                streamId = core.id;
            } finally {
                core.lock.unlock();
            }
            try {
                core.guest.streamCall("control " + c.getAction(), gen, client -> {
                    client.control(streamId, c);
                    return null;
                });
            } catch (SessionCore.Reconnecting e) {
                core.lock.lock();
                try {
                    if (core.generation == gen) { // not re-created yet: the re-creation applies what is recorded
                        record.run();
                        return;
                    }
                } finally {
                    core.lock.unlock();
                }
                continue; // re-created meanwhile: send it to the new stream
            }
            core.lock.lock();
            try {
                record.run();
            } finally {
                core.lock.unlock();
            }
            return;
        }
    }

    /**
     * Moves the video: the new full geometry with the next geometry seq.
     *
     * @return false when the client found the update stale (a newer one won) and dropped it
     * @throws OverlayException UNKNOWN_DISPLAY, INVALID_ARGUMENT, LIMIT_EXCEEDED (too many visible
     *                      rectangles), UNKNOWN_STREAM/STREAM_CLOSED
     */
    boolean setGeometry(GuestGeometry newGeometry) throws OverlayException {
        Objects.requireNonNull(newGeometry, "geometry");
        synchronized (core.geometryLock) { // a re-creation holds it too: it replays the core.geometry kept here
            long seq = ++core.geometrySeq;
            long gen = core.generation;
            long streamId = core.id;
            boolean applied;
            try {
                applied = core.guest.streamCall(
                        "setGeometry", gen, client -> client.setGeometry(streamId, Wire.geometry(newGeometry, seq)));
            } catch (SessionCore.Reconnecting e) {
                applied = true; // the re-created stream starts with it
            }
            if (applied) {
                core.geometry = newGeometry;
            }
            return applied;
        }
    }

    /**
     * Closes the stream on the client; sends in progress throw STREAM_CLOSED. The listener hears
     * {@code onClosed} when the client confirms. Idempotent; a stream the client already dropped, or
     * a closed connection, is fine. An unexpected refusal is logged.
     */
    void close() {
        core.lock.lock();
        try {
            if (core.closed) {
                return;
            }
            core.closed = true;
            core.creditChanged.signalAll();
        } finally {
            core.lock.unlock();
        }
        if (core.guest.isClosed()) {
            return;
        }
        try {
            control(new ControlCommand(ControlAction.CLOSE), () -> {});
        } catch (OverlayException e) {
            if (e.code() != GuestErrorCode.UNKNOWN_STREAM && e.code() != GuestErrorCode.STREAM_CLOSED) {
                LOG.warn("stream {}: close refused: {} {}", core.id, e.code(), e.getMessage());
            }
        } catch (GuestConnectionException e) {
            LOG.debug("stream {}: close: {}", core.id, e.getMessage());
        }
    }
}
