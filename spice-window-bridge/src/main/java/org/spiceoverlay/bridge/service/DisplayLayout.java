package org.spiceoverlay.bridge.service;

import java.util.Objects;
import org.spiceoverlay.api.GuestToScreenMapping;
import org.spiceoverlay.api.Rect;

/**
 * Where a guest display appears on the client's screen. The window tracker of the Spice client
 * window provides the real one (the display area inside remote-viewer, following it); a fixed
 * layout serves headless runs and setups where the guest display has a known place.
 *
 * <p>Implementations are thread-safe.
 */
public interface DisplayLayout {

    /**
     * The mapping for a guest display of the given size, or null when that display is not on screen
     * now (its window minimised, closed, unknown).
     */
    GuestToScreenMapping mappingFor(int displayId, int displayWidth, int displayHeight);

    /** Every display shown letterboxed into one fixed screen rectangle. */
    static DisplayLayout fixed(Rect screenRect) {
        Objects.requireNonNull(screenRect, "screenRect");
        return (id, w, h) -> GuestToScreenMapping.letterbox(screenRect, w, h);
    }
}
