package org.spiceoverlay.guest.x11;

import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spiceoverlay.guest.GuestGeometry;
import org.spiceoverlay.x11.X11Exception;
import org.spiceoverlay.x11.XConnection;

/**
 * Follows a player's video window on the guest's X display and reports the {@link GuestGeometry}
 * the protocol needs whenever it changes: the window's inside rectangle in display pixels (through
 * any window-manager frames), the display's size, and the part of the window nothing covers — the
 * window ∩ the screen ∩ every ancestor, minus every mapped window stacked above it or above one of
 * its ancestors (window-manager frames, popups and override-redirect menus included; InputOnly and
 * unmapped windows ignored). It is hidden while the window is unmapped, minimised
 * ({@code WM_STATE} Iconic) or fully covered.
 *
 * <p>Event-driven: the tracker's own connection listens for structure changes on the root window
 * (moves, restacks, maps of every top-level window, a RandR size change), on the window and on its
 * ancestors, for visibility and for {@code WM_STATE}. A burst of events (a drag) is coalesced into
 * one measurement {@link #coalescing} after its first event; the listener hears only geometries that
 * differ from the last one.
 *
 * <pre>{@code
 * AtomicReference<GuestStream> stream = new AtomicReference<>();
 * try (X11GeometryTracker t = X11GeometryTracker.track(null, videoWindowXid, 0, g -> {
 *         GuestStream s = stream.get();
 *         if (s != null) { try { s.setGeometry(g); } catch (OverlayException e) { log.warn("{}", e.getMessage()); } }
 *     })) {
 *     stream.set(guest.createSamplesStream(StreamOptions.samples(caps, t.current()).build(), listener));
 *     ...
 * }
 * }</pre>
 *
 * <p>Threads: every method from any thread; the listener runs on the tracker's event thread.
 * Needs JNA and libX11 (see the package documentation).
 */
public final class X11GeometryTracker implements AutoCloseable {

    /** How long a burst of events is collected before the geometry is measured, by default. */
    public static final Duration DEFAULT_COALESCING = Duration.ofMillis(15);

    private static final Logger LOG = LoggerFactory.getLogger(X11GeometryTracker.class);

    private final long window;
    private final Duration coalescing;
    private final XConnection conn;
    private final X11GeometryListener listener;
    private volatile GuestGeometry current;
    private volatile boolean gone;
    private volatile boolean closed;

    private X11GeometryTracker(long window, Duration coalescing, XConnection conn, X11GeometryListener listener) {
        this.window = window;
        this.coalescing = coalescing;
        this.conn = conn;
        this.listener = listener;
    }

    /**
     * Starts following {@code window} on {@code display} with the default coalescing.
     *
     * @see #track(String, long, int, Duration, X11GeometryListener)
     */
    public static X11GeometryTracker track(String display, long window, int displayId, X11GeometryListener listener)
            throws X11Exception {
        return track(display, window, displayId, DEFAULT_COALESCING, listener);
    }

    /**
     * Opens its own connection to {@code display}, measures the window once ({@link #current()}) and
     * from then on calls {@code listener} on every change.
     *
     * @param display    an X display name such as {@code ":0"}; null: {@code $DISPLAY}
     * @param window     the X window id of the video window (the player's own window, or a child of it
     *                   that shows the picture)
     * @param displayId  the guest display id the geometries carry ({@code GuestOptions.displays()})
     * @param coalescing how long to collect a burst of events before measuring (0 to 1 s)
     * @throws X11Exception NATIVE_LIBRARY_MISSING, DISPLAY_UNREACHABLE, or NO_SUCH_WINDOW
     */
    public static X11GeometryTracker track(
            String display, long window, int displayId, Duration coalescing, X11GeometryListener listener)
            throws X11Exception {
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(coalescing, "coalescing");
        if (coalescing.isNegative() || coalescing.compareTo(Duration.ofSeconds(1)) > 0) {
            throw new IllegalArgumentException("coalescing must be within 0..1 s, got " + coalescing);
        }
        if (displayId < 0) {
            throw new IllegalArgumentException("displayId must be >= 0, got " + displayId);
        }
        if (window == 0) {
            throw new IllegalArgumentException("window must be an X window id, got 0");
        }
        NativeSupport.require();
        XConnection conn = XConnection.open(display, "x11-geometry-0x" + Long.toHexString(window));
        X11GeometryTracker tracker = new X11GeometryTracker(window, coalescing, conn, listener);
        try {
            conn.call(() -> {
                WindowGeometryFollower f = new WindowGeometryFollower(
                        conn,
                        window,
                        displayId,
                        (int) coalescing.toMillis(),
                        tracker::deliver,
                        tracker::windowGone,
                        tracker::displayLost);
                tracker.current = f.start();
                conn.setHandler(f); // on the event thread: every event after the first measurement is seen
                return f;
            });
        } catch (X11Exception | RuntimeException e) {
            conn.close();
            throw e;
        }
        return tracker;
    }

    /** The window being followed. */
    public long window() {
        return window;
    }

    /** How long a burst of events is collected before the geometry is measured. */
    public Duration coalescing() {
        return coalescing;
    }

    /** The latest geometry measured (the one the listener heard last, or the first one). */
    public GuestGeometry current() {
        return current;
    }

    /** Whether the window was destroyed (or the display lost): no more geometries come. */
    public boolean isGone() {
        return gone;
    }

    /** Stops following and closes the connection; idempotent. */
    @Override
    public void close() {
        closed = true;
        conn.close();
    }

    private void deliver(GuestGeometry g) {
        current = g;
        if (closed) {
            return;
        }
        try {
            listener.onGeometry(g);
        } catch (RuntimeException e) {
            LOG.warn("geometry listener failed for window 0x{}", Long.toHexString(window), e);
        }
    }

    private void windowGone() {
        gone = true;
        if (closed) {
            return;
        }
        try {
            listener.onWindowGone(window);
        } catch (RuntimeException e) {
            LOG.warn("geometry listener failed for window 0x{}", Long.toHexString(window), e);
        }
    }

    private void displayLost(X11Exception e) {
        gone = true;
        if (closed) {
            return;
        }
        try {
            listener.onDisplayLost(e);
        } catch (RuntimeException ex) {
            LOG.warn("geometry listener failed for window 0x{}", Long.toHexString(window), ex);
        }
    }

    @Override
    public String toString() {
        return "X11GeometryTracker[0x" + Long.toHexString(window) + " on " + conn.name() + ", " + current
                + (gone ? ", gone" : "") + "]";
    }
}
