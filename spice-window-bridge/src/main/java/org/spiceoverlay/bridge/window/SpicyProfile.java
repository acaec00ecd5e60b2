package org.spiceoverlay.bridge.window;

import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * spicy (spice-client-gtk 0.42). Measured on Xvfb + openbox with the default GTK theme at 96 DPI,
 * window sizes 640x571 and 1000x600: {@code WM_CLASS} "spicy" / "Spicy"; title
 * "spice display C:M" (channel C, monitor M); server-side decorations (the window manager's
 * frame lies outside the client window and does not count); inside the window a 69 px band at the
 * top (menu bar and toolbar; DESIGN's 25 + 42 px, measured 69 px in all) and a 22 px status bar
 * at the bottom, no side margins; the guest display letterboxed in between like remote-viewer.
 *
 * <p>Assumed, not measured: full screen hides menu bar, toolbar and status bar (insets 0); the
 * display id is the channel number, or the monitor number on channel 0.
 */
final class SpicyProfile implements ClientWindowProfile {

    static final SpicyProfile INSTANCE = new SpicyProfile();

    static final int TOP_BARS = 69;
    static final int STATUS_BAR = 22;

    private static final Pattern DISPLAY = Pattern.compile("spice display (\\d+):(\\d+)");

    private SpicyProfile() {}

    @Override
    public String name() {
        return "spicy";
    }

    @Override
    public boolean matches(WindowFacts window) {
        return window.instance().equals("spicy") || window.className().equals("Spicy");
    }

    @Override
    public OptionalInt displayIdOf(WindowFacts window) {
        Matcher m = DISPLAY.matcher(window.title());
        if (!m.find()) {
            return OptionalInt.empty();
        }
        int channel = Integer.parseInt(m.group(1));
        int monitor = Integer.parseInt(m.group(2));
        return OptionalInt.of(channel != 0 ? channel : monitor);
    }

    @Override
    public Insets defaultInsets(boolean fullScreen) {
        return fullScreen ? Insets.NONE : new Insets(0, TOP_BARS, 0, STATUS_BAR);
    }

    @Override
    public String toString() {
        return "spicy";
    }
}
