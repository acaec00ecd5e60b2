package org.spiceoverlay.api;

import java.util.Objects;

/**
 * How a YUV frame's values map to RGB: the matrix (BT.601, BT.709, BT.2020) and the range
 * (limited "TV" 16–235/240, or full 0–255). RGB frames carry it too, for the record.
 *
 * <p>Immutable; safe to share between threads.
 */
public record Colorimetry(Matrix matrix, Range range) {

    /** The YUV to RGB matrix. */
    public enum Matrix {
        BT601,
        BT709,
        BT2020
    }

    /** The value range of the samples. */
    public enum Range {
        LIMITED,
        FULL
    }

    public static final Colorimetry BT601_LIMITED = new Colorimetry(Matrix.BT601, Range.LIMITED);
    public static final Colorimetry BT709_LIMITED = new Colorimetry(Matrix.BT709, Range.LIMITED);
    public static final Colorimetry BT601_FULL = new Colorimetry(Matrix.BT601, Range.FULL);
    public static final Colorimetry BT709_FULL = new Colorimetry(Matrix.BT709, Range.FULL);

    public Colorimetry {
        Objects.requireNonNull(matrix, "matrix");
        Objects.requireNonNull(range, "range");
    }

    /**
     * The usual default when a stream does not say: BT.709 for HD (height above 576 lines), BT.601
     * for SD, limited range (what GStreamer assumes too).
     */
    public static Colorimetry defaultFor(int width, int height) {
        return height > 576 ? BT709_LIMITED : BT601_LIMITED;
    }

    @Override
    public String toString() {
        return matrix + "/" + range;
    }
}
