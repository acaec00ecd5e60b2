package org.spiceoverlay.x11;

import com.sun.jna.Function;
import com.sun.jna.Pointer;
import java.nio.ByteOrder;

/**
 * Screen grabs on one {@link XConnection}: the root window's pixels in an area, as X shows them
 * now, windows on top included ({@code XGetImage}).
 *
 * <p>Threads: the connection's thread only.
 */
public final class XScreenGrab {

    /**
     * Pixels of an area of the screen.
     *
     * @param rgb {@code width * height} pixels, row by row, each {@code 0xRRGGBB}
     */
    public record Pixels(int x, int y, int width, int height, int[] rgb) {}

    private XScreenGrab() {}

    /** The screen's size. */
    public static int[] screenSize(XConnection conn) {
        Xlib x = conn.xlib();
        return new int[] {
            x.XDisplayWidth(conn.display(), conn.screen()), x.XDisplayHeight(conn.display(), conn.screen())
        };
    }

    /**
     * The screen's pixels in the area, which must lie on the screen.
     *
     * @throws IllegalStateException when X cannot read them, or the pixel format is not 24/32-bit
     */
    public static Pixels grab(XConnection conn, int ax, int ay, int aw, int ah) {
        Xlib x = conn.xlib();
        Pointer image = x.XGetImage(conn.display(), conn.root(), ax, ay, aw, ah, Xlib.ALL_PLANES, Xlib.Z_PIXMAP);
        if (image == null) {
            throw new IllegalStateException(
                    conn.isLost()
                            ? "the connection to X display " + conn.name() + " is lost"
                            : "XGetImage of " + aw + "x" + ah + "+" + ax + "+" + ay + " on " + conn.name() + " failed");
        }
        try {
            int w = image.getInt(Xlib.IMAGE_WIDTH);
            int h = image.getInt(Xlib.IMAGE_HEIGHT);
            int bpp = image.getInt(Xlib.IMAGE_BITS_PER_PIXEL);
            int stride = image.getInt(Xlib.IMAGE_BYTES_PER_LINE);
            boolean lsbFirst = image.getInt(Xlib.IMAGE_BYTE_ORDER) == Xlib.LSB_FIRST;
            long rm = image.getLong(Xlib.IMAGE_RED_MASK);
            long gm = image.getLong(Xlib.IMAGE_GREEN_MASK);
            long bm = image.getLong(Xlib.IMAGE_BLUE_MASK);
            if (bpp != 32 && bpp != 24) {
                throw new IllegalStateException(
                        "screen grab: " + bpp + " bits per pixel is not supported (24/32 only)");
            }
            Pointer data = image.getPointer(Xlib.IMAGE_DATA);
            int[] rgb = new int[w * h];
            if (bpp == 32
                    && lsbFirst
                    && ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN
                    && rm == 0xff0000L
                    && gm == 0xff00L
                    && bm == 0xffL) {
                // The usual TrueColor layout: each pixel is already 0x..RRGGBB in a little-endian int.
                for (int y = 0; y < h; y++) {
                    data.read((long) y * stride, rgb, y * w, w);
                }
                for (int i = 0; i < rgb.length; i++) {
                    rgb[i] &= 0xffffff;
                }
            } else {
                unpack(data, stride, bpp / 8, lsbFirst, new long[] {rm, gm, bm}, w, h, rgb);
            }
            return new Pixels(ax, ay, w, h, rgb);
        } finally {
            // XDestroyImage is a macro calling the image's own destroy function.
            Function.getFunction(image.getPointer(Xlib.IMAGE_DESTROY_FUNCTION)).invokeInt(new Object[] {image});
        }
    }

    private static void unpack(
            Pointer data, int stride, int bytes, boolean lsbFirst, long[] masks, int w, int h, int[] rgb) {
        byte[] row = new byte[stride];
        for (int y = 0; y < h; y++) {
            data.read((long) y * stride, row, 0, stride);
            for (int xx = 0; xx < w; xx++) {
                long px = 0;
                for (int b = 0; b < bytes; b++) {
                    int v = row[xx * bytes + b] & 0xff;
                    px |= lsbFirst ? (long) v << (8 * b) : (long) v << (8 * (bytes - 1 - b));
                }
                rgb[y * w + xx] = (channel(px, masks[0]) << 16) | (channel(px, masks[1]) << 8) | channel(px, masks[2]);
            }
        }
    }

    private static int channel(long pixel, long mask) {
        if (mask == 0) {
            return 0;
        }
        int shift = Long.numberOfTrailingZeros(mask);
        long max = mask >>> shift;
        long v = (pixel & mask) >>> shift;
        return (int) (max == 255 ? v : v * 255 / max);
    }
}
