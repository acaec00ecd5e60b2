package org.spiceoverlay.api;

import java.util.List;
import java.util.Objects;

/**
 * The complete memory layout of a frame: format, picture size, where each plane is, and the
 * buffer size it needs. Validated: every plane's rows fit in {@link #size()} without overlapping
 * the row length they need.
 *
 * <p>Immutable; safe to share between threads.
 */
public record FrameLayout(PixelFormat format, int width, int height, List<Plane> planes, int size) {

    /** Largest picture dimension accepted anywhere (GStreamer and GL limits are lower in practice). */
    public static final int MAX_DIMENSION = 16384;

    public FrameLayout {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(planes, "planes");
        if (width <= 0 || width > MAX_DIMENSION) {
            throw new IllegalArgumentException("width must be in [1, " + MAX_DIMENSION + "], got " + width);
        }
        if (height <= 0 || height > MAX_DIMENSION) {
            throw new IllegalArgumentException("height must be in [1, " + MAX_DIMENSION + "], got " + height);
        }
        planes = List.copyOf(planes);
        if (planes.size() != format.planeCount()) {
            throw new IllegalArgumentException(
                    "planes must have " + format.planeCount() + " entries for " + format + ", got " + planes.size());
        }
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0, got " + size);
        }
        for (int p = 0; p < planes.size(); p++) {
            Plane plane = planes.get(p);
            int rowBytes = format.minStride(p, width);
            if (plane.stride() < rowBytes) {
                throw new IllegalArgumentException("planes[" + p + "].stride must be >= " + rowBytes + " for a " + width
                        + " px wide " + format + " frame, got " + plane.stride());
            }
            long end = plane.offset() + (long) plane.stride() * (format.planeHeight(p, height) - 1) + rowBytes;
            if (end > size) {
                throw new IllegalArgumentException(
                        "planes[" + p + "] ends at byte " + end + ", past the buffer size " + size);
            }
        }
    }

    /**
     * The layout GStreamer gives a frame of this format and size by default (no video meta):
     * rows padded to a multiple of 4 bytes, chroma planes after an even number of luma rows. Odd
     * widths and heights round the chroma planes up.
     */
    public static FrameLayout gstreamerDefault(PixelFormat format, int width, int height) {
        Objects.requireNonNull(format, "format");
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("width and height must be > 0, got " + width + "x" + height);
        }
        switch (format) {
            case RGBA, RGBX, BGRA, BGRX -> {
                int stride = Math.multiplyExact(width, 4);
                return new FrameLayout(
                        format, width, height, List.of(new Plane(0, stride)), Math.multiplyExact(stride, height));
            }
            case I420 -> {
                int yStride = roundUp4(width);
                int cStride = roundUp4(roundUp2(width) / 2);
                int lumaRows = roundUp2(height);
                int chromaRows = lumaRows / 2;
                int u = Math.multiplyExact(yStride, lumaRows);
                int v = Math.addExact(u, Math.multiplyExact(cStride, chromaRows));
                int size = Math.addExact(v, Math.multiplyExact(cStride, chromaRows));
                return new FrameLayout(
                        format,
                        width,
                        height,
                        List.of(new Plane(0, yStride), new Plane(u, cStride), new Plane(v, cStride)),
                        size);
            }
            case NV12 -> {
                int stride = roundUp4(width);
                int lumaRows = roundUp2(height);
                int uv = Math.multiplyExact(stride, lumaRows);
                int size = Math.addExact(uv, Math.multiplyExact(stride, lumaRows / 2));
                return new FrameLayout(
                        format, width, height, List.of(new Plane(0, stride), new Plane(uv, stride)), size);
            }
            default -> throw new IllegalArgumentException("no default layout for " + format);
        }
    }

    public Plane plane(int index) {
        if (index < 0 || index >= planes.size()) {
            throw new IllegalArgumentException("plane index must be in [0, " + planes.size() + "), got " + index);
        }
        return planes.get(index);
    }

    private static int roundUp2(int v) {
        return (v + 1) & ~1;
    }

    private static int roundUp4(int v) {
        return (v + 3) & ~3;
    }

    @Override
    public String toString() {
        return "FrameLayout[" + format + " " + width + "x" + height + ", " + planes + ", size=" + size + "]";
    }
}
