package org.spiceoverlay.bridge.window;

import org.spiceoverlay.api.Rect;

/**
 * Where a client window's display area lies inside the window: pixels taken by the client's own
 * decorations on each side (a header bar, menus, toolbars, a status bar, margins). The window
 * manager's frame is outside the client window and never counted.
 *
 * <p>Immutable; safe to share between threads.
 */
public record Insets(int left, int top, int right, int bottom) {

    /** No decorations: the display area is the whole window (e.g. a full-screen client). */
    public static final Insets NONE = new Insets(0, 0, 0, 0);

    public Insets {
        if (left < 0 || top < 0 || right < 0 || bottom < 0) {
            throw new IllegalArgumentException(
                    "insets must be >= 0, got left=" + left + " top=" + top + " right=" + right + " bottom=" + bottom);
        }
    }

    /** The display container of a window at {@code window}: the window less the insets, or empty. */
    public Rect inside(Rect window) {
        int w = window.width() - left - right;
        int h = window.height() - top - bottom;
        return w <= 0 || h <= 0 ? Rect.EMPTY : new Rect(window.x() + left, window.y() + top, w, h);
    }

    public Insets withTop(int newTop) {
        return new Insets(left, newTop, right, bottom);
    }

    public Insets withBottom(int newBottom) {
        return new Insets(left, top, right, newBottom);
    }

    @Override
    public String toString() {
        return "Insets[left " + left + ", top " + top + ", right " + right + ", bottom " + bottom + "]";
    }
}
