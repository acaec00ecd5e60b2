package org.spiceoverlay.guest.x11;

import java.util.Objects;
import org.spiceoverlay.api.PlacementProbe;
import org.spiceoverlay.api.Rect;
import org.spiceoverlay.x11.X11Exception;
import org.spiceoverlay.x11.XConnection;

/**
 * A plain player window on the guest's X display: a normal, managed top-level window (title,
 * position, size; the window manager frames it as usual), filled with black or with the
 * {@link PlacementProbe} colour so that the client can find it on its screen. The X server repaints
 * the fill on every exposure from the window's background pixel. Follow it with
 * {@link X11GeometryTracker#track} on {@link #id()}.
 *
 * <p>Positions are those of the window's inside, in display pixels: a window manager's frame goes
 * around it (static gravity), so {@code open(..., new Rect(300, 250, 640, 360), ...)} shows the video
 * area exactly at (300, 250).
 *
 * <p>Threads: every method from any thread; the window has its own connection and event thread.
 * Needs JNA and libX11 (see the package documentation).
 */
public final class PlayerWindow implements AutoCloseable {

    /** What the window shows until the video covers it. */
    public enum Fill {
        /** Black, as a player's empty video area. */
        BLACK,
        /** {@link PlacementProbe#RGB}, for the client's placement calibration. */
        PLACEMENT_PROBE
    }

    private final XConnection conn;
    private final PlainWindow window;
    private final long id;
    private volatile boolean closed;

    private PlayerWindow(XConnection conn, PlainWindow window, long id) {
        this.conn = conn;
        this.window = window;
        this.id = id;
    }

    /**
     * Opens and maps the window.
     *
     * @param display an X display name such as {@code ":0"}; null: {@code $DISPLAY}
     * @param title   the window's title ({@code WM_NAME})
     * @param where   its inside's position and size on the display (size &gt; 0)
     * @throws X11Exception NATIVE_LIBRARY_MISSING or DISPLAY_UNREACHABLE
     */
    public static PlayerWindow open(String display, String title, Rect where, Fill fill) throws X11Exception {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(fill, "fill");
        requireSize(where);
        NativeSupport.require();
        XConnection conn = XConnection.open(display, "x11-player-window");
        try {
            PlainWindow w = new PlainWindow(conn);
            long id = conn.call(() -> {
                conn.setHandler(w);
                return w.create(title, where, fill == Fill.PLACEMENT_PROBE);
            });
            return new PlayerWindow(conn, w, id);
        } catch (X11Exception | RuntimeException e) {
            conn.close();
            throw e;
        }
    }

    private static void requireSize(Rect where) {
        Objects.requireNonNull(where, "where");
        if (where.width() <= 0 || where.height() <= 0) {
            throw new IllegalArgumentException("the window's size must be > 0, got " + where);
        }
    }

    /** The X window id. */
    public long id() {
        return id;
    }

    /** The display it is on, e.g. ":1". */
    public String display() {
        return conn.name();
    }

    /** Asks for a new position and size of the inside (the window manager has the last word). */
    public void moveResize(Rect where) throws X11Exception {
        requireSize(where);
        run(() -> window.moveResize(where));
    }

    /** Raises it above its siblings. */
    public void raise() throws X11Exception {
        run(window::raise);
    }

    /** Maps (shows) it again after {@link #unmap} or {@link #minimize}, raised. */
    public void map() throws X11Exception {
        run(window::map);
    }

    /** Unmaps (withdraws) it. */
    public void unmap() throws X11Exception {
        run(window::unmap);
    }

    /** Asks the window manager to minimise (iconify) it. */
    public void minimize() throws X11Exception {
        run(window::iconify);
    }

    private void run(Runnable r) throws X11Exception {
        if (closed) {
            throw new IllegalStateException("the player window 0x" + Long.toHexString(id) + " is closed");
        }
        conn.call(() -> {
            r.run();
            return null;
        });
    }

    /** Destroys the window and closes the connection; idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            conn.call(() -> {
                window.destroy();
                return null;
            });
        } catch (X11Exception e) {
            // the connection is gone, and the window with it
        }
        conn.close();
    }

    @Override
    public String toString() {
        return "PlayerWindow[0x" + Long.toHexString(id) + " on " + conn.name() + (closed ? ", closed" : "") + "]";
    }
}
