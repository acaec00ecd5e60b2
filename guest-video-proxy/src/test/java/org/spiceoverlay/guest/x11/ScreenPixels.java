package org.spiceoverlay.guest.x11;

import org.spiceoverlay.api.Rect;
import org.spiceoverlay.x11.X11Exception;
import org.spiceoverlay.x11.XConnection;
import org.spiceoverlay.x11.XScreenGrab;

/** Reads what the root window shows (XGetImage), as 0xRRGGBB. */
final class ScreenPixels {

    private ScreenPixels() {}

    static int[][] read(String display, Rect area) throws X11Exception {
        try (XConnection c = XConnection.open(display, "screen-pixels")) {
            XScreenGrab.Pixels p = c.call(() -> {
                c.syncAndTakeError();
                return XScreenGrab.grab(c, area.x(), area.y(), area.width(), area.height());
            });
            int[][] px = new int[p.height()][p.width()];
            for (int y = 0; y < p.height(); y++) {
                System.arraycopy(p.rgb(), y * p.width(), px[y], 0, p.width());
            }
            return px;
        }
    }
}
