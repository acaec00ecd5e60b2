package org.spiceoverlay.guest.x11;

import org.spiceoverlay.api.Rect;

import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

/** Reads what the root window shows (XGetImage), as 0xRRGGBB, on a 24-bit TrueColor display. */
final class ScreenPixels {

    private ScreenPixels() {
    }

    static int[][] read(String display, Rect area) throws X11Exception {
        try (XConnection c = XConnection.open(display, "screen-pixels")) {
            return c.call(() -> {
                c.x.XSync(c.display, false);
                Pointer image = c.x.XGetImage(c.display, c.root, area.x(), area.y(), area.width(), area.height(),
                        new NativeLong(Xlib.ALL_PLANES), Xlib.Z_PIXMAP);
                if (image == null) {
                    throw new IllegalStateException("XGetImage failed for " + area);
                }
                try {
                    int[][] px = new int[area.height()][area.width()];
                    for (int y = 0; y < area.height(); y++) {
                        for (int x = 0; x < area.width(); x++) {
                            px[y][x] = (int) (c.x.XGetPixel(image, x, y).longValue() & 0xFFFFFF);
                        }
                    }
                    return px;
                } finally {
                    c.x.XDestroyImage(image);
                }
            });
        }
    }
}
