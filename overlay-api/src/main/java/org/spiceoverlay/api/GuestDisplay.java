package org.spiceoverlay.api;

/**
 * One monitor of the guest: its Spice display id, its position in the guest's virtual desktop and
 * its framebuffer size in pixels.
 *
 * <p>Immutable and validated (a zero or negative size is refused with a message naming the field).
 * Safe to share between threads.
 */
public record GuestDisplay(int displayId, int x, int y, int width, int height) {

    public GuestDisplay {
        if (displayId < 0) {
            throw new IllegalArgumentException("displayId must be >= 0, got " + displayId);
        }
        if (width <= 0) {
            throw new IllegalArgumentException("width must be > 0, got " + width);
        }
        if (height <= 0) {
            throw new IllegalArgumentException("height must be > 0, got " + height);
        }
    }

    /** A display at the origin of the virtual desktop. */
    public static GuestDisplay of(int displayId, int width, int height) {
        return new GuestDisplay(displayId, 0, 0, width, height);
    }

    /** The whole display in its own pixel space: {@code (0, 0, width, height)}. */
    public Rect bounds() {
        return new Rect(0, 0, width, height);
    }

    @Override
    public String toString() {
        return "display " + displayId + " " + width + "x" + height + (x != 0 || y != 0 ? " at " + x + "," + y : "");
    }
}
