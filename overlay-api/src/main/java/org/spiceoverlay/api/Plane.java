package org.spiceoverlay.api;

/**
 * Where one plane of a frame lies in the frame's buffer: the byte offset of its first row and the
 * stride (bytes from the start of one row to the next, padding included).
 *
 * <p>Immutable; safe to share between threads.
 */
public record Plane(int offset, int stride) {

    public Plane {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be >= 0, got " + offset);
        }
        if (stride <= 0) {
            throw new IllegalArgumentException("stride must be > 0, got " + stride);
        }
    }

    @Override
    public String toString() {
        return "Plane[offset=" + offset + ", stride=" + stride + "]";
    }
}
