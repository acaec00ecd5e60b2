package org.spiceoverlay.bridge.window;

import java.util.Objects;

import org.spiceoverlay.api.Rect;

/**
 * Reads pixels off an X screen as X shows them now ({@code XGetImage} of the root window), on a
 * connection of its own: what a user sees, for benchmarks and tests that read frame numbers and
 * compare pictures. A grab of a few rows costs well under a millisecond, so a reader can poll a
 * narrow band many times per refresh.
 *
 * <p>Threads: one thread at a time uses a grabber (Xlib connections are not shared). {@link #close()}
 * is idempotent.
 */
public final class ScreenGrabber implements AutoCloseable {

    private final XConnection x;
    private final Rect screen;

    private ScreenGrabber(XConnection x) {
        this.x = x;
        this.screen = x.screen();
    }

    /**
     * Opens the X display {@code display} (e.g. ":1"), or {@code DISPLAY} when null.
     *
     * @throws IllegalStateException when the display cannot be opened
     */
    public static ScreenGrabber open(String display) {
        return new ScreenGrabber(XConnection.open(display));
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
        return x.grab(area);
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
