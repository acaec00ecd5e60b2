package org.spiceoverlay.guest.x11;

import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import org.spiceoverlay.api.PlacementProbe;
import org.spiceoverlay.api.Rect;
import org.spiceoverlay.x11.X11Exception;
import org.spiceoverlay.x11.XConnection;
import org.spiceoverlay.x11.Xlib;

/**
 * The Xlib side of {@link PlayerWindow}: one plain top-level InputOutput window whose background
 * pixel is the fill colour, so the X server itself repaints every exposed part (no client round
 * trip, nothing lost while the client is busy).
 *
 * <p>Threads: the connection's thread only.
 */
final class PlainWindow implements XConnection.Handler {

    private final XConnection conn;
    private final Xlib x;
    private final Pointer d;
    private long window;

    PlainWindow(XConnection conn) {
        this.conn = conn;
        this.x = conn.xlib();
        this.d = conn.display();
    }

    long create(String title, Rect where, boolean probeColour) {
        long background = probeColour ? probePixel() : x.XBlackPixel(d, conn.screen());
        window = x.XCreateSimpleWindow(
                d,
                conn.root(),
                where.x(),
                where.y(),
                where.width(),
                where.height(),
                0,
                x.XBlackPixel(d, conn.screen()),
                background);
        x.XStoreName(d, window, title);
        sizeHints(where);
        x.XSelectInput(d, window, Xlib.EXPOSURE_MASK | Xlib.STRUCTURE_NOTIFY_MASK);
        x.XMapRaised(d, window);
        x.XSync(d, false);
        return window;
    }

    /**
     * The position and size are the user's, and the given position is that of the window's inside
     * (static gravity): a window manager puts its frame around it instead of moving the window by
     * the frame's size. The same holds for later move requests (ICCCM 4.1.2.3, 4.1.5).
     */
    private void sizeHints(Rect where) {
        Xlib.XSizeHints h = new Xlib.XSizeHints();
        h.flags = new NativeLong(Xlib.US_POSITION | Xlib.US_SIZE | Xlib.P_WIN_GRAVITY);
        h.x = where.x();
        h.y = where.y();
        h.width = where.width();
        h.height = where.height();
        h.win_gravity = Xlib.STATIC_GRAVITY;
        x.XSetWMNormalHints(d, window, h);
    }

    private long probePixel() {
        Xlib.XColor c = new Xlib.XColor();
        c.red = (short) (PlacementProbe.RED * 0x101);
        c.green = (short) (PlacementProbe.GREEN * 0x101);
        c.blue = (short) (PlacementProbe.BLUE * 0x101);
        if (x.XAllocColor(d, x.XDefaultColormap(d, conn.screen()), c) == 0) {
            // A full colormap on a pseudo-colour visual: the TrueColor value is the best guess left.
            return PlacementProbe.RGB;
        }
        return c.pixel.longValue();
    }

    void moveResize(Rect where) {
        sizeHints(where);
        x.XMoveResizeWindow(d, window, where.x(), where.y(), where.width(), where.height());
        x.XFlush(d);
    }

    void raise() {
        x.XRaiseWindow(d, window);
        x.XFlush(d);
    }

    void map() {
        x.XMapRaised(d, window);
        x.XFlush(d);
    }

    void unmap() {
        x.XUnmapWindow(d, window);
        x.XFlush(d);
    }

    void iconify() {
        x.XIconifyWindow(d, window, conn.screen());
        x.XFlush(d);
    }

    void destroy() {
        if (window != 0) {
            x.XDestroyWindow(d, window);
            x.XSync(d, false);
            conn.takeError();
            window = 0;
        }
    }

    @Override
    public void onEvent(Pointer event) {
        // Exposures are repainted by the server from the background pixel; nothing to draw here.
    }

    @Override
    public int onIdle() {
        return -1;
    }

    @Override
    public void onLost(X11Exception e) {
        window = 0;
    }
}
