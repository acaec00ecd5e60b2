package org.spiceoverlay.bridge.service;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spiceoverlay.api.thrift.ErrorInfo;
import org.spiceoverlay.api.thrift.Event;
import org.spiceoverlay.api.thrift.EventKind;
import org.spiceoverlay.api.thrift.PlaybackState;
import org.spiceoverlay.engine.EngineError;
import org.spiceoverlay.engine.SessionListener;
import org.spiceoverlay.engine.SessionState;

/**
 * A stream's decode session events, as the protocol's events in its guest's event log: state
 * changes, end of stream, errors, position, seeks done.
 *
 * <p>Threads: the session's event thread calls it; the event log is thread-safe.
 */
final class StreamEventRelay implements SessionListener {

    private static final Logger LOG = LoggerFactory.getLogger(StreamEventRelay.class);

    private final long id;
    private final EventLog events;

    StreamEventRelay(long id, EventLog events) {
        this.id = id;
        this.events = events;
    }

    @Override
    public void onStateChanged(SessionState state) {
        PlaybackState ps =
                switch (state) {
                    case PREROLLING -> PlaybackState.PREROLLING;
                    case PAUSED -> PlaybackState.PAUSED;
                    case PLAYING -> PlaybackState.PLAYING;
                    case BUFFERING -> PlaybackState.BUFFERING;
                    case CLOSED -> PlaybackState.CLOSED;
                };
        events.append(new Event(0, EventKind.STATE_CHANGED).setStreamId(id).setState(ps));
    }

    @Override
    public void onEndOfStream() {
        events.append(new Event(0, EventKind.END_OF_STREAM).setStreamId(id));
    }

    @Override
    public void onError(EngineError error) {
        LOG.info("stream {}: {}", id, error);
        events.append(new Event(0, EventKind.ERROR)
                .setStreamId(id)
                .setError(new ErrorInfo(WireErrors.of(error.code()), error.message()).setFatal(error.fatal())));
    }

    @Override
    public void onPosition(long positionNs, long durationNs) {
        Event e = new Event(0, EventKind.POSITION).setStreamId(id).setPositionNs(positionNs);
        if (durationNs >= 0) {
            e.setDurationNs(durationNs);
        }
        events.append(e);
    }

    /** The Spice client stopped (false) or started again (true) showing the stream's display. */
    void onVisibility(boolean visible) {
        events.append(new Event(0, EventKind.VISIBILITY).setStreamId(id).setVisible(visible));
    }

    @Override
    public void onSeekDone(long positionNs) {
        events.append(new Event(0, EventKind.SEEK_DONE).setStreamId(id).setPositionNs(positionNs));
    }
}
