package org.spiceoverlay.bridge.window;

import org.spiceoverlay.api.PlacementProbe;
import org.spiceoverlay.api.Rect;
import org.spiceoverlay.x11.X11Exception;
import org.spiceoverlay.x11.XConnection;
import org.spiceoverlay.x11.Xlib;

/**
 * A guest "player window" on the guest's X display (Xspice): a plain borderless X window painted
 * in the placement probe colour, as a player shows before its video covers it. The guest desktop
 * (root) is painted {@link #DESKTOP}. No window manager runs there, so the window is exactly where
 * it is put. {@link #open(String, Rect, int)} opens one of another colour, e.g. a window covering
 * part of the player's. Public for other modules' tests, through this module's test jar.
 *
 * <p>Threads: any; the X work runs on the connection's thread. {@link #close()} is idempotent.
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

    private static XConnection connect(String guestDisplay) {
        try {
            return XConnection.open(guestDisplay, "guest-player-window");
        } catch (X11Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Paints the guest desktop (the root window's background) {@link #DESKTOP}, opening no window. */
    public static void paintDesktop(String guestDisplay) {
        XConnection x = connect(guestDisplay);
        try {
            x.callUnchecked(() -> {
                paint(x);
                x.syncAndTakeError();
                return null;
            });
        } finally {
            x.close();
        }
    }

    private static void paint(XConnection x) {
        x.xlib().XSetWindowBackground(x.display(), x.root(), DESKTOP);
        x.xlib().XClearWindow(x.display(), x.root());
    }

    public static GuestPlayerWindow open(String guestDisplay, Rect rect) {
        return open(guestDisplay, rect, PlacementProbe.RGB);
    }

    /** Paints the desktop {@link #DESKTOP} and opens a window filled with {@code rgb} above the others. */
    public static GuestPlayerWindow open(String guestDisplay, Rect rect, int rgb) {
        XConnection x = connect(guestDisplay);
        long w = x.callUnchecked(() -> {
            paint(x);
            Xlib xl = x.xlib();
            long id = xl.XCreateSimpleWindow(
                    x.display(), x.root(), rect.x(), rect.y(), rect.width(), rect.height(), 0, 0, rgb);
            xl.XStoreName(x.display(), id, "guest player");
            xl.XMapWindow(x.display(), id);
            x.syncAndTakeError();
            return id;
        });
        return new GuestPlayerWindow(x, w, rect);
    }

    public Rect rect() {
        return rect;
    }

    public void moveTo(Rect r) {
        x.callUnchecked(() -> {
            x.xlib().XMoveResizeWindow(x.display(), window, r.x(), r.y(), r.width(), r.height());
            return x.syncAndTakeError();
        });
        rect = r;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            try {
                x.callUnchecked(() -> {
                    x.xlib().XDestroyWindow(x.display(), window);
                    return x.syncAndTakeError();
                });
            } finally {
                x.close();
            }
        }
    }
}
