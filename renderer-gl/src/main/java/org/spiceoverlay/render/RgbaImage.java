package org.spiceoverlay.render;

import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.util.Objects;
import org.spiceoverlay.api.Rect;

/**
 * Pixels read back from the compositor: 4 bytes per pixel (R, G, B, A), rows top to bottom, no
 * padding. Alpha is 255 where the overlay drew (picture or black bars) and 0 where it did not.
 *
 * <p>Immutable (the bytes are never handed out except as copies or read-only views); safe to share
 * between threads.
 */
public final class RgbaImage {

    private final Rect area;
    private final byte[] rgba;

    /** Takes ownership of {@code rgba}: the caller must not touch it afterwards. */
    RgbaImage(Rect area, byte[] rgba) {
        this.area = Objects.requireNonNull(area, "area");
        Objects.requireNonNull(rgba, "rgba");
        if (rgba.length != area.width() * area.height() * 4) {
            throw new IllegalArgumentException(
                    "rgba must hold " + area.width() + "x" + area.height() + "x4 bytes, got " + rgba.length);
        }
        this.rgba = rgba;
    }

    /** The screen rectangle the pixels came from. */
    public Rect area() {
        return area;
    }

    public int width() {
        return area.width();
    }

    public int height() {
        return area.height();
    }

    /** The pixel at {@code (x, y)} relative to {@link #area()}'s corner, as {@code 0xRRGGBBAA}. */
    public int rgba(int x, int y) {
        Objects.checkIndex(x, area.width());
        Objects.checkIndex(y, area.height());
        int i = (y * area.width() + x) * 4;
        return ((rgba[i] & 0xff) << 24)
                | ((rgba[i + 1] & 0xff) << 16)
                | ((rgba[i + 2] & 0xff) << 8)
                | (rgba[i + 3] & 0xff);
    }

    /** One channel (0 red .. 3 alpha) of the pixel at {@code (x, y)}, 0..255. */
    public int channel(int x, int y, int channel) {
        Objects.checkIndex(x, area.width());
        Objects.checkIndex(y, area.height());
        Objects.checkIndex(channel, 4);
        return rgba[(y * area.width() + x) * 4 + channel] & 0xff;
    }

    /** A read-only view of the bytes (stride {@code 4 * width()}). */
    public ByteBuffer buffer() {
        return ByteBuffer.wrap(rgba).asReadOnlyBuffer();
    }

    /** A copy of the bytes. */
    public byte[] toByteArray() {
        return rgba.clone();
    }

    /** The pixels as a {@link BufferedImage#TYPE_INT_ARGB} image, e.g. to write a PNG screenshot. */
    public BufferedImage toBufferedImage() {
        BufferedImage image = new BufferedImage(area.width(), area.height(), BufferedImage.TYPE_INT_ARGB);
        int[] row = new int[area.width()];
        for (int y = 0; y < area.height(); y++) {
            for (int x = 0; x < area.width(); x++) {
                int v = rgba(x, y);
                row[x] = (v >>> 8) | (v << 24);
            }
            image.setRGB(0, y, area.width(), 1, row, 0, area.width());
        }
        return image;
    }

    @Override
    public String toString() {
        return "RgbaImage[" + area + "]";
    }
}
