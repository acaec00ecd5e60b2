package org.spiceoverlay.bridge.window;

import java.util.Objects;
import org.spiceoverlay.api.Rect;

/**
 * Pixels grabbed from the screen: {@code area} in screen pixels, as 0xRRGGBB values row by row.
 *
 * <p>Immutable once made (the array is not handed out); safe to share between threads.
 */
public final class ScreenImage {

    private final Rect area;
    private final int[] rgb;

    /**
     * @param area where the pixels are on screen
     * @param rgb {@code area.width() * area.height()} pixels as 0xRRGGBB, row by row (copied)
     */
    public ScreenImage(Rect area, int[] rgb) {
        this.area = Objects.requireNonNull(area, "area");
        Objects.requireNonNull(rgb, "rgb");
        if (rgb.length != area.area()) {
            throw new IllegalArgumentException(
                    "rgb has " + rgb.length + " pixels, the area " + area + " needs " + area.area());
        }
        this.rgb = rgb.clone();
    }

    /** For code in this package that made the array itself and drops it. */
    static ScreenImage wrap(Rect area, int[] rgb) {
        return new ScreenImage(rgb, area);
    }

    private ScreenImage(int[] owned, Rect area) {
        if (owned.length != area.area()) {
            throw new IllegalArgumentException(
                    "rgb has " + owned.length + " pixels, the area " + area + " needs " + area.area());
        }
        this.area = area;
        this.rgb = owned;
    }

    public Rect area() {
        return area;
    }

    public int width() {
        return area.width();
    }

    public int height() {
        return area.height();
    }

    /** The pixel at screen position {@code (x, y)}, which must lie inside {@link #area()}. */
    public int rgbAtScreen(int x, int y) {
        return rgb(x - area.x(), y - area.y());
    }

    /** The pixel at {@code (x, y)} from the image's top-left corner. */
    public int rgb(int x, int y) {
        if (x < 0 || y < 0 || x >= area.width() || y >= area.height()) {
            throw new IndexOutOfBoundsException(
                    "pixel " + x + "," + y + " outside a " + area.width() + "x" + area.height() + " image");
        }
        return rgb[y * area.width() + x];
    }

    @Override
    public String toString() {
        return "ScreenImage[" + area + "]";
    }
}
