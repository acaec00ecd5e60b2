package org.spiceoverlay.samples.player;

import java.io.PrintWriter;
import org.spiceoverlay.api.Rect;
import org.spiceoverlay.guest.GuestGeometry;
import org.spiceoverlay.guest.GuestStream;
import org.spiceoverlay.guest.OverlayException;
import org.spiceoverlay.guest.x11.PlayerWindow;
import org.spiceoverlay.guest.x11.X11GeometryListener;
import org.spiceoverlay.guest.x11.X11GeometryTracker;
import org.spiceoverlay.x11.X11Exception;

/**
 * The sample player's video window on the guest X display ({@code play --window}): a
 * {@link PlayerWindow} painted in the placement probe colour that it opened, or a window someone
 * else opened ({@code --window-id}), followed by an {@link X11GeometryTracker} whose every new
 * geometry goes to the stream playing now.
 *
 * <p>Threads: {@link #attach}/{@link #detach}/{@link #close} from the player's thread; geometries are
 * sent from the tracker's event thread. Sends are serialised and always send the newest geometry, so
 * an older one never overtakes it.
 */
public final class TrackedPlayerWindow implements AutoCloseable {

    private final PlayerWindow window; // null when following someone else's window
    private final PrintWriter out;
    private final Runnable onGone;
    private X11GeometryTracker tracker;
    private GuestStream stream; // guarded by this

    private TrackedPlayerWindow(PlayerWindow window, PrintWriter out, Runnable onGone) {
        this.window = window;
        this.out = out;
        this.onGone = onGone;
    }

    /** Opens a probe-coloured player window at {@code where} on {@code xDisplay} (null: $DISPLAY) and follows it. */
    public static TrackedPlayerWindow open(String xDisplay, Rect where, String title, PrintWriter out, Runnable onGone)
            throws X11Exception {
        PlayerWindow w = PlayerWindow.open(xDisplay, title, where, PlayerWindow.Fill.PLACEMENT_PROBE);
        TrackedPlayerWindow t = new TrackedPlayerWindow(w, out, onGone);
        try {
            t.tracker = X11GeometryTracker.track(xDisplay, w.id(), 0, t.listener());
        } catch (X11Exception | RuntimeException e) {
            w.close();
            throw e;
        }
        return t;
    }

    /** Follows an existing window. */
    public static TrackedPlayerWindow follow(String xDisplay, long windowId, PrintWriter out, Runnable onGone)
            throws X11Exception {
        TrackedPlayerWindow t = new TrackedPlayerWindow(null, out, onGone);
        t.tracker = X11GeometryTracker.track(xDisplay, windowId, 0, t.listener());
        return t;
    }

    private X11GeometryListener listener() {
        return new X11GeometryListener() {
            @Override
            public void onGeometry(GuestGeometry geometry) {
                out.println("window geometry: " + geometry);
                out.flush();
                sendLatest();
            }

            @Override
            public void onWindowGone(long id) {
                out.println("the player window 0x" + Long.toHexString(id) + " is gone; stopping");
                out.flush();
                onGone.run();
            }

            @Override
            public void onDisplayLost(X11Exception error) {
                out.println("lost the guest X display: " + error.getMessage() + "; stopping");
                out.flush();
                onGone.run();
            }
        };
    }

    public long windowId() {
        return tracker.window();
    }

    /** The geometry now: the stream's initial geometry. */
    public GuestGeometry current() {
        return tracker.current();
    }

    /** From now on, sends every change to {@code s}; sends what changed since {@link #current()} was read. */
    void attach(GuestStream s) {
        synchronized (this) {
            stream = s;
        }
        sendLatest();
    }

    void detach() {
        synchronized (this) {
            stream = null;
        }
    }

    private synchronized void sendLatest() {
        GuestStream s = stream;
        GuestGeometry g = tracker.current();
        if (s == null || s.isClosed() || g.equals(s.geometry())) {
            return;
        }
        try {
            s.setGeometry(g);
        } catch (OverlayException e) {
            out.println("overlay play: the client refused the geometry: " + e.code() + ": " + e.getMessage());
            out.flush();
        }
    }

    @Override
    public void close() {
        detach();
        if (tracker != null) {
            tracker.close();
        }
        if (window != null) {
            window.close();
        }
    }
}
