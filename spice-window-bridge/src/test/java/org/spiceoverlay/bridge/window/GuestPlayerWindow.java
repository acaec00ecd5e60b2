package org.spiceoverlay.bridge.window;

import org.spiceoverlay.api.PlacementProbe;
import org.spiceoverlay.api.Rect;

/**
 * A guest "player window" on the guest's X display (Xspice): a plain borderless X window painted
 * in the placement probe colour, as a player shows before its video covers it. The guest desktop
 * (root) is painted {@link #DESKTOP}. No window manager runs there, so the window is exactly where
 * it is put.
 *
 * <p>Threads: one thread. {@link #close()} is idempotent.
 */
final class GuestPlayerWindow implements AutoCloseable {

    /** The guest desktop's colour. */
    static final int DESKTOP = 0x204060;

    private final XConnection x;
    private final long window;
    private Rect rect;
    private boolean closed;

    private GuestPlayerWindow(XConnection x, long window, Rect rect) {
        this.x = x;
        this.window = window;
        this.rect = rect;
    }

    static GuestPlayerWindow open(String guestDisplay, Rect rect) {
        XConnection x = XConnection.open(guestDisplay);
        XConnection.X.XSetWindowBackground(x.display(), x.root(), DESKTOP);
        XConnection.X.XClearWindow(x.display(), x.root());
        long w = XConnection.X.XCreateSimpleWindow(x.display(), x.root(), rect.x(), rect.y(), rect.width(),
                rect.height(), 0, 0, PlacementProbe.RGB);
        XConnection.X.XStoreName(x.display(), w, "guest player");
        XConnection.X.XMapWindow(x.display(), w);
        x.sync();
        return new GuestPlayerWindow(x, w, rect);
    }

    Rect rect() {
        return rect;
    }

    void moveTo(Rect r) {
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
