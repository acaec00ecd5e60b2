package org.spiceoverlay.render;

import java.util.Objects;
import org.spiceoverlay.api.Rect;
import org.spiceoverlay.api.Region;

/**
 * A snapshot of the compositor as a whole.
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param refreshes      refreshes so far
 * @param drawnRefreshes refreshes that drew and presented (the others changed nothing)
 * @param streams        streams open now
 * @param shownRegion    the screen pixels the overlay covers now (every shown stream's visible
 *                       region), as of the latest refresh
 * @param windowMapped   on screen: whether the overlay window is shown; offscreen: whether
 *                       anything is shown
 * @param windowBounds   on screen: the overlay window's rectangle (empty while it is hidden);
 *                       offscreen: the bounds of {@code shownRegion}
 */
public record CompositorStats(
        long refreshes, long drawnRefreshes, int streams, Region shownRegion, boolean windowMapped, Rect windowBounds) {

    public CompositorStats {
        Objects.requireNonNull(shownRegion, "shownRegion");
        Objects.requireNonNull(windowBounds, "windowBounds");
    }
}
