package org.spiceoverlay.guest.internal;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spiceoverlay.guest.GuestConnectionException;
import org.spiceoverlay.guest.OverlayException;

/**
 * Reconnection after the channel dropped: with backoff until the give-up time, a new session
 * (connect, hello, attach), then every open stream re-created on it ({@link StreamReplay}).
 *
 * <p>Threads: the event thread only.
 */
final class Reconnector {

    private static final Logger LOG = LoggerFactory.getLogger(Reconnector.class);

    private final SessionCore session;

    Reconnector(SessionCore session) {
        this.session = session;
    }

    /**
     * Reconnects with backoff and replays the streams. @return true when a new session is up (the
     * replay may have been cut short by another drop: the next poll then fails and this runs again);
     * false when the guest gave up or was closed
     */
    boolean reconnect(Exception cause) {
        Connection old = session.conn;
        GuestConnectionException drop = new GuestConnectionException(
                "lost the connection to the overlay client at " + session.endpoint + ": " + Connection.describe(cause)
                        + "; reconnecting",
                cause);
        synchronized (session.streamsLock) {
            session.byId.clear(); // the old session's ids mean nothing to the next one
        }
        for (StreamCore s : session.streams()) {
            s.connectionLost(drop);
        }
        long started = System.nanoTime();
        long giveUpNanos = TimeUnit.MILLISECONDS.toNanos(session.options.reconnectGiveUpMs());
        long delayMs = session.options.reconnectInitialDelayMs();
        int attempts = 0;
        Exception last = cause;
        while (!session.closed && session.lost == null) {
            long leftNanos = giveUpNanos - (System.nanoTime() - started);
            if (leftNanos <= 0) {
                session.giveUp(new GuestConnectionException(
                        "gave up reconnecting to " + session.endpoint + " after "
                                + seconds(session.options.reconnectGiveUpMs()) + " s (" + attempts + " attempts; last: "
                                + Connection.describe(last) + ")",
                        last));
                return false;
            }
            synchronized (session.stateLock) {
                try {
                    session.stateLock.wait(Math.max(1, Math.min(delayMs, TimeUnit.NANOSECONDS.toMillis(leftNanos))));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    session.giveUp(
                            new GuestConnectionException("interrupted while reconnecting to " + session.endpoint, e));
                    return false;
                }
            }
            if (session.closed || session.lost != null) {
                return false;
            }
            attempts++;
            Connection next;
            try {
                next = Connection.openSession(session.endpoint, session.options, old.generation + 1);
            } catch (OverlayException e) {
                session.giveUp(new GuestConnectionException(
                        "gave up reconnecting to " + session.endpoint + ": the client refused " + "hello: " + e.code()
                                + " " + e.getMessage(),
                        e));
                return false;
            } catch (GuestConnectionException e) {
                last = e;
                delayMs = Math.min(delayMs * 2, session.options.reconnectMaxDelayMs());
                LOG.debug("reconnect attempt {} to {} failed: {}", attempts, session.endpoint, e.getMessage());
                continue;
            }
            synchronized (session.dataLock) {
                synchronized (session.stateLock) {
                    if (session.closed) {
                        next.close();
                        return false;
                    }
                    session.conn = next;
                    session.stateLock.notifyAll();
                }
            }
            LOG.info(
                    "reconnected to {} after {} ms ({} attempts): session {}",
                    session.endpoint,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
                    attempts,
                    next.hello.getSessionId());
            for (StreamCore s : session.streams()) {
                if (!s.replay(next.generation)) {
                    break; // dropped again: the next poll fails and reconnects
                }
            }
            return true;
        }
        return false;
    }

    private static String seconds(long ms) {
        return ms % 1000 == 0 ? String.valueOf(ms / 1000) : String.format(Locale.ROOT, "%.1f", ms / 1000.0);
    }
}
