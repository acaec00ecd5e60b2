package org.spiceoverlay.bridge.service;

import java.util.Objects;
import org.spiceoverlay.api.Rect;
import org.spiceoverlay.api.Region;

/**
 * Where a stream's video is on the guest's display, validated from a setGeometry: the display,
 * the video rectangle and its visible part in guest-display pixels, and whether it is hidden.
 *
 * <p>Immutable; safe to share between threads.
 */
public record GuestPlacement(
        int displayId, int displayWidth, int displayHeight, Rect videoRect, Region visible, boolean hidden) {

    public GuestPlacement {
        Objects.requireNonNull(videoRect, "videoRect");
        Objects.requireNonNull(visible, "visible");
        if (displayWidth <= 0 || displayHeight <= 0) {
            throw new IllegalArgumentException(
                    "displayWidth and displayHeight must be > 0, got " + displayWidth + "x" + displayHeight);
        }
        // Only what lies inside the video rectangle can show video.
        visible = visible.intersect(videoRect);
    }

    /** Whether any video pixel is to be shown. */
    public boolean showsVideo() {
        return !hidden && !visible.isEmpty();
    }
}
