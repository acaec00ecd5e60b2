package org.spiceoverlay.guest;

import java.util.Objects;
import org.spiceoverlay.api.Rect;
import org.spiceoverlay.api.Region;

/**
 * Where a stream's video is on a guest display, in guest-display pixels (the protocol's
 * {@code Geometry} without its sequence number, which {@link GuestStream} assigns): the display and
 * its size when measured, the video rectangle, the visible part of it, and whether it is hidden.
 *
 * <p>Immutable; safe to share between threads.
 */
public final class GuestGeometry {

    private final int displayId;
    private final int displayWidth;
    private final int displayHeight;
    private final Rect videoRect;
    private final Region visible;
    private final boolean hidden;

    /**
     * @param displayId     a display announced in {@link GuestOptions#displays()}
     * @param displayWidth  the display's size when the geometry was measured (&gt; 0)
     * @param displayHeight the display's size when the geometry was measured (&gt; 0)
     * @param videoRect     where the player would draw the picture (may extend past the display)
     * @param visible       the visible part of it (other windows subtracted); empty = nothing shows
     * @param hidden        hide the video while the stream keeps decoding
     */
    public GuestGeometry(
            int displayId, int displayWidth, int displayHeight, Rect videoRect, Region visible, boolean hidden) {
        if (displayId < 0) {
            throw new IllegalArgumentException("displayId must be >= 0, got " + displayId);
        }
        if (displayWidth <= 0 || displayHeight <= 0) {
            throw new IllegalArgumentException(
                    "displayWidth and displayHeight must be > 0, got " + displayWidth + "x" + displayHeight);
        }
        this.displayId = displayId;
        this.displayWidth = displayWidth;
        this.displayHeight = displayHeight;
        this.videoRect = Objects.requireNonNull(videoRect, "videoRect");
        this.visible = Objects.requireNonNull(visible, "visible");
        this.hidden = hidden;
    }

    /** A fully visible, shown video at {@code videoRect}. */
    public static GuestGeometry visible(int displayId, int displayWidth, int displayHeight, Rect videoRect) {
        return new GuestGeometry(displayId, displayWidth, displayHeight, videoRect, Region.of(videoRect), false);
    }

    public int displayId() {
        return displayId;
    }

    public int displayWidth() {
        return displayWidth;
    }

    public int displayHeight() {
        return displayHeight;
    }

    public Rect videoRect() {
        return videoRect;
    }

    public Region visible() {
        return visible;
    }

    public boolean hidden() {
        return hidden;
    }

    /** The same geometry with another visible region. */
    public GuestGeometry withVisible(Region newVisible) {
        return new GuestGeometry(displayId, displayWidth, displayHeight, videoRect, newVisible, hidden);
    }

    /** The same geometry, hidden or shown. */
    public GuestGeometry withHidden(boolean newHidden) {
        return new GuestGeometry(displayId, displayWidth, displayHeight, videoRect, visible, newHidden);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GuestGeometry g
                && g.displayId == displayId
                && g.displayWidth == displayWidth
                && g.displayHeight == displayHeight
                && g.videoRect.equals(videoRect)
                && g.visible.equals(visible)
                && g.hidden == hidden;
    }

    @Override
    public int hashCode() {
        return Objects.hash(displayId, displayWidth, displayHeight, videoRect, visible, hidden);
    }

    @Override
    public String toString() {
        return "GuestGeometry[display " + displayId + " (" + displayWidth + "x" + displayHeight + "), video "
                + videoRect + ", visible " + visible + (hidden ? ", hidden" : "") + "]";
    }
}
