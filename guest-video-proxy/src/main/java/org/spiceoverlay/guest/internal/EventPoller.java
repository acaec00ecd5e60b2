package org.spiceoverlay.guest.internal;

import org.apache.thrift.TException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spiceoverlay.api.thrift.Event;
import org.spiceoverlay.api.thrift.EventBatch;
import org.spiceoverlay.guest.GuestConnectionException;

/**
 * The session's event thread: long-polls the client's events on the events connection and hands
 * each to its stream (waiting out a createStream in flight, whose first events may come first);
 * when a poll fails, reconnects ({@link Reconnector}) or, when that is over, ends every stream.
 *
 * <p>Threads: the event thread only.
 */
final class EventPoller {

    private static final Logger LOG = LoggerFactory.getLogger(EventPoller.class);
    /** Long-poll wait per pollEvents call, milliseconds. */
    static final int POLL_TIMEOUT_MS = 1000;
    /** Most events read per poll. */
    static final int POLL_MAX_EVENTS = 256;

    private final SessionCore session;

    private final Reconnector reconnector;

    EventPoller(SessionCore session) {
        this.session = session;
        this.reconnector = new Reconnector(session);
    }

    void run() {
        long after = 0;
        Connection c = session.conn;
        while (!session.closed && session.lost == null) {
            EventBatch batch;
            try {
                batch = c.events.pollEvents(after, POLL_TIMEOUT_MS, POLL_MAX_EVENTS);
            } catch (TException e) { // OverlayError too: HELLO_REQUIRED, the session behind the attach ended
                if (session.closed) {
                    break;
                }
                if (session.dropped(c, "pollEvents", e) != null) {
                    session.wakeAllSenders();
                    break;
                }
                session.wakeAllSenders();
                if (!reconnector.reconnect(e)) {
                    break;
                }
                c = session.conn;
                after = 0;
                session.lastEventSeq = 0;
                continue;
            }
            // The connection still answers: a close held back by the last batch was a real one.
            for (StreamCore s : session.streams()) {
                s.settleHeldClose();
            }
            if (batch.getFirstAvailableSeq() > after + 1) {
                LOG.warn(
                        "session {}: events {}..{} were lost (polled too late); stream state resynchronises from "
                                + "the next events",
                        c.hello.getSessionId(),
                        after + 1,
                        batch.getFirstAvailableSeq() - 1);
            }
            for (Event e : batch.getEvents()) {
                after = e.getSeq();
                session.lastEventSeq = after;
                if (e.isSetStreamId()) {
                    StreamCore s = find(e.getStreamId());
                    if (s != null) {
                        s.onEvent(e);
                    }
                }
            }
        }
        // Tell whoever is left: the connection is gone (or closed by us).
        GuestConnectionException cause = session.closed ? null : session.lost;
        for (StreamCore s : session.streams()) {
            s.terminated(cause);
        }
        synchronized (session.streamsLock) {
            session.open.clear();
            session.byId.clear();
        }
    }

    /** The stream for an event; waits out a createStream in flight, whose early events may arrive first. */
    StreamCore find(long id) {
        synchronized (session.streamsLock) {
            StreamCore s = session.byId.get(id);
            while (s == null && session.creating > 0 && !session.closed && session.lost == null) {
                try {
                    session.streamsLock.wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
                s = session.byId.get(id);
            }
            return s;
        }
    }
}
