package org.spiceoverlay.guest.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spiceoverlay.api.thrift.ControlAction;
import org.spiceoverlay.api.thrift.ControlCommand;
import org.spiceoverlay.api.thrift.CreateStreamRequest;
import org.spiceoverlay.api.thrift.CreateStreamResponse;
import org.spiceoverlay.guest.GuestConnectionException;
import org.spiceoverlay.guest.GuestStreamError;
import org.spiceoverlay.guest.OverlayException;

/**
 * A stream's re-creation after a reconnect, from what it kept (its create request, latest geometry,
 * pause, rate, volume, mute): the new id, credit and chunk numbering for the senders, then the
 * player's listener is told and decides where to resume.
 *
 * <p>Threads: the guest's event thread.
 */
final class StreamReplay {

    private static final Logger LOG = LoggerFactory.getLogger(StreamReplay.class);

    private final StreamCore core;

    StreamReplay(StreamCore core) {
        this.core = core;
    }

    /** Where a resume should start: the last reported position, else the last video sample sent. */
    long resumePositionNs() {
        long p = core.positionNs;
        if (p >= 0) {
            return p;
        }
        long pts = core.lastVideoPtsNs;
        return pts == Long.MIN_VALUE ? 0 : Math.max(0, pts - core.options.startTimeNs());
    }

    /**
     * Re-creates the stream on the reconnected session {@code gen} (event thread): its create request
     * with the latest geometry and pause state, then rate, volume and mute, then the new id, credit
     * and chunk numbering for the senders; then {@code onReconnected} and {@code onResumeNeeded}.
     *
     * @return false when the channel dropped again meanwhile (the next reconnect replays it)
     */
    boolean replay(long gen) {
        if (core.isClosed()) { // closed by the player during the outage
            core.terminated(null);
            return true;
        }
        if (core.generation == gen) { // created on the new session already
            return true;
        }
        core.closeHeld = false;
        core.fatalReported = false;
        long oldId = core.id;
        long resumeAt = resumePositionNs();
        boolean wasPaused;
        double wasRate;
        double wasVolume;
        boolean wasMute;
        core.lock.lock();
        try {
            wasPaused = core.paused;
            wasRate = core.rate;
            wasVolume = core.volume;
            wasMute = core.mute;
        } finally {
            core.lock.unlock();
        }
        try {
            synchronized (core.geometryLock) {
                CreateStreamRequest again = core.request
                        .deepCopy()
                        .setGeometry(Wire.geometry(core.geometry, StreamCore.FIRST_GEOMETRY_SEQ))
                        .setStartPaused(wasPaused);
                CreateStreamResponse r =
                        core.guest.streamCall("createStream (reconnect)", gen, client -> client.createStream(again));
                long newId = r.getStreamId();
                if (wasRate != 1.0) {
                    restore(gen, newId, new ControlCommand(ControlAction.SET_RATE).setRate(wasRate));
                }
                if (wasVolume != 1.0) {
                    restore(gen, newId, new ControlCommand(ControlAction.SET_VOLUME).setVolume(wasVolume));
                }
                if (wasMute) {
                    restore(gen, newId, new ControlCommand(ControlAction.SET_MUTE).setMute(true));
                }
                core.lock.lock();
                try {
                    core.id = newId;
                    core.generation = gen;
                    core.nextSeq = 1;
                    core.bytesSent = 0;
                    core.bytesLimit = r.getCredit() == null ? 0 : r.getCredit().getBytesLimit();
                    core.discontPending = false;
                    core.resumePending = true;
                    core.geometrySeq = StreamCore.FIRST_GEOMETRY_SEQ;
                    core.creditChanged.signalAll();
                } finally {
                    core.lock.unlock();
                }
                core.guest.mapped(core);
            }
        } catch (SessionCore.Reconnecting e) {
            return false;
        } catch (OverlayException e) {
            LOG.warn(
                    "stream {}: the client refused to re-create it after the reconnect: {} {}",
                    oldId,
                    e.code(),
                    e.getMessage());
            try {
                core.events.onError(new GuestStreamError(
                        e.code(), "re-creating the stream after a reconnect: " + e.getMessage(), true));
            } catch (RuntimeException ex) {
                LOG.warn("stream {}: listener failed on error", oldId, ex);
            }
            core.terminated(null);
            return true;
        } catch (GuestConnectionException e) {
            return false; // closed or gave up meanwhile: the event thread ends the stream
        }
        LOG.info(
                "stream {} re-created as {} after the reconnect; resume at {} ms",
                oldId,
                core.id,
                resumeAt / 1_000_000);
        // Controls set while the re-creation ran (recorded, holding lock, while the id was stale).
        try {
            if (core.paused != wasPaused) {
                restore(gen, core.id, new ControlCommand(core.paused ? ControlAction.PAUSE : ControlAction.PLAY));
            }
            if (core.rate != wasRate) {
                restore(gen, core.id, new ControlCommand(ControlAction.SET_RATE).setRate(core.rate));
            }
            if (core.volume != wasVolume) {
                restore(gen, core.id, new ControlCommand(ControlAction.SET_VOLUME).setVolume(core.volume));
            }
            if (core.mute != wasMute) {
                restore(gen, core.id, new ControlCommand(ControlAction.SET_MUTE).setMute(core.mute));
            }
        } catch (SessionCore.Reconnecting | GuestConnectionException e) {
            releaseSenders();
            return false;
        }
        try {
            core.events.onReconnected();
            if (core.events.onResumeNeeded(resumeAt)) {
                // The player sends again from the keyframe before resumeAt: what waited is stale. The
                // stream is new, so nothing on the client needs a seek (it could not seek before data).
                core.lock.lock();
                try {
                    core.epoch++;
                } finally {
                    core.lock.unlock();
                }
            }
        } catch (RuntimeException ex) {
            LOG.warn("stream {}: listener failed on reconnect", core.id, ex);
        } finally {
            releaseSenders();
        }
        return true;
    }

    /** Lets the sends that waited through the outage go on (event thread, after onResumeNeeded). */
    void releaseSenders() {
        core.lock.lock();
        try {
            core.resumePending = false;
            core.creditChanged.signalAll();
        } finally {
            core.lock.unlock();
        }
    }

    /** One control on the re-created stream; a refusal is logged, not fatal (event thread). */
    void restore(long gen, long streamId, ControlCommand c) {
        try {
            core.guest.streamCall("control " + c.getAction() + " (reconnect)", gen, client -> {
                client.control(streamId, c);
                return null;
            });
        } catch (OverlayException e) {
            LOG.warn(
                    "stream {}: restoring {} after the reconnect was refused: {} {}",
                    streamId,
                    c.getAction(),
                    e.code(),
                    e.getMessage());
        }
    }
}
