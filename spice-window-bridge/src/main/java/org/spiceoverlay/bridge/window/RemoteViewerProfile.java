package org.spiceoverlay.bridge.window;

import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * remote-viewer (virt-viewer 11, spice-gtk 0.42), measured on Xvfb + openbox with the default
 * GTK theme at 96 DPI:
 * <ul>
 * <li>{@code WM_CLASS} "remote-viewer" / "Remote-viewer". An unmapped 10x10 window (GTK's client
 *     leader, title "Remote Viewer") shares the class; it is never managed by the window manager,
 *     so the tracker's rule (viewable, or carrying {@code WM_STATE}) leaves it out.</li>
 * <li>One window per guest display; the title ends with the display's number from 1 in
 *     parentheses: "spice-scene (1)", or "name (2) - Remote Viewer" without {@code --title}.</li>
 * <li>GTK draws its own header bar (client-side decorations, so the window manager adds no
 *     frame): a 5 px margin on every side and a 46 px header bar below the top margin, so the
 *     display container is the window less 5 px left, right and bottom and 51 px at the top. Full
 *     screen: no header bar, no margin. The header bar's height depends on theme, font and DPI:
 *     calibrate with the probe colour.</li>
 * </ul>
 */
final class RemoteViewerProfile implements ClientWindowProfile {

    static final RemoteViewerProfile INSTANCE = new RemoteViewerProfile();

    /** The measured margin on each side of the window. */
    static final int MARGIN = 5;
    /** The measured header bar height (below the top margin). */
    static final int HEADER_BAR = 46;

    private static final Pattern DISPLAY_NUMBER = Pattern.compile("\\((\\d+)\\)(?: - [^()]*)?$");

    private RemoteViewerProfile() {}

    @Override
    public String name() {
        return "remote-viewer";
    }

    @Override
    public boolean matches(WindowFacts window) {
        return window.instance().equals("remote-viewer") || window.className().equals("Remote-viewer");
    }

    @Override
    public OptionalInt displayIdOf(WindowFacts window) {
        Matcher m = DISPLAY_NUMBER.matcher(window.title());
        if (!m.find()) {
            return OptionalInt.empty();
        }
        int n = Integer.parseInt(m.group(1));
        return n >= 1 ? OptionalInt.of(n - 1) : OptionalInt.empty();
    }

    @Override
    public Insets defaultInsets(boolean fullScreen) {
        return fullScreen ? Insets.NONE : new Insets(MARGIN, MARGIN + HEADER_BAR, MARGIN, MARGIN);
    }

    @Override
    public String toString() {
        return "remote-viewer";
    }
}
