package org.spiceoverlay.bridge.window;

import java.util.OptionalInt;
import org.spiceoverlay.api.GuestToScreenMapping;
import org.spiceoverlay.api.Rect;

/**
 * One remote-desktop client's windows: how to recognise them, which guest display each shows, and
 * where in a window the guest display is drawn. The tracker, the renderer and the protocol know
 * nothing else about the client, so another client (xfreerdp, a VNC viewer) is one more
 * implementation.
 *
 * <p>Implementations are immutable and thread-safe.
 */
public interface ClientWindowProfile {

    /** A short name for logs and options ("remote-viewer"). */
    String name();

    /** Whether a top-level window belongs to this client (typically by its {@code WM_CLASS}). */
    boolean matches(WindowFacts window);

    /**
     * The guest display a window of this client shows (from its title, e.g. remote-viewer's
     * "guest (2)" is display 1), or empty when the window does not say (then it is display 0).
     */
    OptionalInt displayIdOf(WindowFacts window);

    /**
     * The client's own decorations around the display area, as measured with the default theme:
     * the starting point until a probe calibration says otherwise.
     *
     * @param fullScreen whether the window is full screen (most clients drop their bars then)
     */
    Insets defaultInsets(boolean fullScreen);

    /**
     * Where a guest display of {@code guestWidth x guestHeight} is drawn in a window at
     * {@code window} (screen pixels) with these insets, or null when the window has no room for
     * it. The default is spice-gtk's rule: scaled keeping the aspect ratio, centred, letterboxed.
     */
    default GuestToScreenMapping place(Rect window, Insets insets, int guestWidth, int guestHeight) {
        Rect container = insets.inside(window);
        return container.isEmpty() ? null : GuestToScreenMapping.letterbox(container, guestWidth, guestHeight);
    }

    /** remote-viewer (virt-viewer). */
    static ClientWindowProfile remoteViewer() {
        return RemoteViewerProfile.INSTANCE;
    }

    /** spicy (spice-gtk's test client). */
    static ClientWindowProfile spicy() {
        return SpicyProfile.INSTANCE;
    }

    /**
     * The profile named {@code name} ("remote-viewer" or "spicy").
     *
     * @throws IllegalArgumentException naming the known profiles
     */
    static ClientWindowProfile named(String name) {
        return switch (name) {
            case "remote-viewer" -> remoteViewer();
            case "spicy" -> spicy();
            default -> throw new IllegalArgumentException(
                    "unknown Spice client \"" + name + "\"; known: remote-viewer, spicy");
        };
    }
}
