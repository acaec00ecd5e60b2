package org.spiceoverlay.bridge.window;

import org.spiceoverlay.api.PlacementProbe;
import org.spiceoverlay.api.Rect;

/**
 * A guest "player window" on the guest's X display (Xspice): a plain borderless X window painted
 * in the placement probe colour, as a player shows before its video covers it. The guest desktop
 * (root) is painted {@link #DESKTOP}. No window manager runs there, so the window is exactly where
 * it is put. {@link #open(String, Rect, int)} opens one of another colour, e.g. a window covering
 * part of the player's. Public for other modules' tests, through this module's test jar.
 *
 * <p>Threads: one thread. {@link #close()} is idempotent.
 */
public final class GuestPlayerWindow implements AutoCloseable {

    /** The guest desktop's colour. */
    public static final int DESKTOP = 0x204060;

    private final XConnection x;
    private final long window;
    private Rect rect;
    private boolean closed;

    private GuestPlayerWindow(XConnection x, long window, Rect rect) {
        this.x = x;
        this.window = window;
        this.rect = rect;
    }

    /** Paints the guest desktop (the root window's background) {@link #DESKTOP}, opening no window. */
    public static void paintDesktop(String guestDisplay) {
        XConnection x = XConnection.open(guestDisplay);
        try {
            XConnection.X.XSetWindowBackground(x.display(), x.root(), DESKTOP);
            XConnection.X.XClearWindow(x.display(), x.root());
            x.sync();
        } finally {
            x.close();
        }
    }

    public static GuestPlayerWindow open(String guestDisplay, Rect rect) {
        return open(guestDisplay, rect, PlacementProbe.RGB);
    }

    /** Paints the desktop {@link #DESKTOP} and opens a window filled with {@code rgb} above the others. */
    public static GuestPlayerWindow open(String guestDisplay, Rect rect, int rgb) {
        XConnection x = XConnection.open(guestDisplay);
        XConnection.X.XSetWindowBackground(x.display(), x.root(), DESKTOP);
        XConnection.X.XClearWindow(x.display(), x.root());
        long w = XConnection.X.XCreateSimpleWindow(x.display(), x.root(), rect.x(), rect.y(), rect.width(),
                rect.height(), 0, 0, rgb);
        XConnection.X.XStoreName(x.display(), w, "guest player");
        XConnection.X.XMapWindow(x.display(), w);
        x.sync();
        return new GuestPlayerWindow(x, w, rect);
    }

    public Rect rect() {
        return rect;
    }

    public void moveTo(Rect r) {
        XConnection.X.XMoveResizeWindow(x.display(), window, r.x(), r.y(), r.width(), r.height());
        x.sync();
        rect = r;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            XConnection.X.XDestroyWindow(x.display(), window);
            x.sync();
            x.close();
        }
    }
}
