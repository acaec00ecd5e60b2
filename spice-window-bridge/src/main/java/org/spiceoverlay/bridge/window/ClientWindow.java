package org.spiceoverlay.bridge.window;

import java.util.Objects;
import org.spiceoverlay.api.Rect;

/**
 * A followed client window as it is now.
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param facts what identifies it (id, class, title, pid)
 * @param displayId the guest display it shows
 * @param bounds the window's inside (the client's own area, without the window manager's
 *        frame) in root-window (screen) pixels
 * @param shown whether it is on screen: mapped, not minimised ({@code WM_STATE} Iconic or
 *        {@code _NET_WM_STATE_HIDDEN}) and on the current desktop
 * @param fullScreen whether {@code _NET_WM_STATE_FULLSCREEN} is set
 */
public record ClientWindow(WindowFacts facts, int displayId, Rect bounds, boolean shown, boolean fullScreen) {

    public ClientWindow {
        Objects.requireNonNull(facts, "facts");
        Objects.requireNonNull(bounds, "bounds");
    }

    public long windowId() {
        return facts.windowId();
    }

    @Override
    public String toString() {
        return "ClientWindow[" + facts + ", display " + displayId + ", " + bounds + (shown ? "" : ", not shown")
                + (fullScreen ? ", full screen" : "") + "]";
    }
}
