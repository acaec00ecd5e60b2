package org.spiceoverlay.bridge.window;

import java.util.Objects;
import org.spiceoverlay.api.Rect;
import org.spiceoverlay.x11.X11Exception;
import org.spiceoverlay.x11.XConnection;
import org.spiceoverlay.x11.XScreenGrab;

/**
 * Reads pixels off an X screen as X shows them now ({@code XGetImage} of the root window), on a
 * connection of its own: what a user sees, for benchmarks and tests that read frame numbers and
 * compare pictures. A grab of a few rows costs well under a millisecond, so a reader can poll a
 * narrow band many times per refresh.
 *
 * <p>Threads: any; the X work runs on the connection's own thread. {@link #close()} is idempotent.
 */
public final class ScreenGrabber implements AutoCloseable {

    private final XConnection x;
    private final Rect screen;

    private ScreenGrabber(XConnection x) {
        this.x = x;
        this.screen = screenOf(x);
    }

    /**
     * Opens the X display {@code display} (e.g. ":1"), or {@code DISPLAY} when null.
     *
     * @throws IllegalStateException when the display cannot be opened
     */
    public static ScreenGrabber open(String display) {
        XConnection x;
        try {
            x = XConnection.open(display, "x11-screen-grabber " + display);
        } catch (X11Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        try {
            return new ScreenGrabber(x);
        } catch (RuntimeException e) {
            x.close();
            throw e;
        }
    }

    /** The whole screen, from (0,0). */
    public Rect screen() {
        return screen;
    }

    /**
     * The screen's pixels in {@code area}, clipped to the screen.
     *
     * @throws IllegalArgumentException when {@code area} is off the screen
     * @throws IllegalStateException when X cannot read them or the display is gone
     */
    public ScreenImage grab(Rect area) {
        Objects.requireNonNull(area, "area");
        return x.callUnchecked(() -> grab(x, screen, area));
    }

    /** The screen's size, read on any thread. */
    static Rect screenOf(XConnection x) {
        int[] size = x.callUnchecked(() -> XScreenGrab.screenSize(x));
        return new Rect(0, 0, size[0], size[1]);
    }

    /** A grab of {@code area} clipped to {@code screen}; on the connection's thread. */
    static ScreenImage grab(XConnection x, Rect screen, Rect area) {
        Rect a = area.intersect(screen);
        if (a.isEmpty()) {
            throw new IllegalArgumentException("area " + area + " is off the screen " + screen);
        }
        XScreenGrab.Pixels p = XScreenGrab.grab(x, a.x(), a.y(), a.width(), a.height());
        return ScreenImage.wrap(new Rect(p.x(), p.y(), p.width(), p.height()), p.rgb());
    }

    @Override
    public void close() {
        x.close();
    }

    @Override
    public String toString() {
        return "ScreenGrabber[" + x + ", " + screen + "]";
    }
}
