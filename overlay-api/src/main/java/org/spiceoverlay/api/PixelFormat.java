package org.spiceoverlay.api;

/**
 * The memory layouts a {@link VideoFrame} can have, named as GStreamer names them.
 *
 * <p>Packed RGB formats have one plane of 4 bytes per pixel; planar YUV formats have a full-size
 * luma plane and chroma planes subsampled 2x2. Enum constants are safe to share between threads.
 */
public enum PixelFormat {
    /** R, G, B, A bytes per pixel. */
    RGBA(new int[] {4}, new int[] {1}),
    /** R, G, B, unused byte per pixel. */
    RGBX(new int[] {4}, new int[] {1}),
    /** B, G, R, A bytes per pixel. */
    BGRA(new int[] {4}, new int[] {1}),
    /** B, G, R, unused byte per pixel. */
    BGRX(new int[] {4}, new int[] {1}),
    /** 8-bit Y plane, then U and V planes at half width and half height. */
    I420(new int[] {1, 1, 1}, new int[] {1, 2, 2}),
    /** 8-bit Y plane, then one plane of interleaved U,V byte pairs at half width and half height. */
    NV12(new int[] {1, 2}, new int[] {1, 2});

    private final int[] bytesPerSample;
    private final int[] subsampling;

    PixelFormat(int[] bytesPerSample, int[] subsampling) {
        this.bytesPerSample = bytesPerSample;
        this.subsampling = subsampling;
    }

    public int planeCount() {
        return bytesPerSample.length;
    }

    public boolean isYuv() {
        return this == I420 || this == NV12;
    }

    /** Bytes per sample position in the plane (2 for NV12's interleaved chroma). */
    public int bytesPerSample(int plane) {
        return bytesPerSample[checkPlane(plane)];
    }

    /** Samples per row of the plane for a picture {@code width} pixels wide (rounded up). */
    public int planeWidth(int plane, int width) {
        int s = subsampling[checkPlane(plane)];
        return (width + s - 1) / s;
    }

    /** Rows of the plane for a picture {@code height} pixels high (rounded up). */
    public int planeHeight(int plane, int height) {
        int s = subsampling[checkPlane(plane)];
        return (height + s - 1) / s;
    }

    /** The fewest bytes a row of the plane can take: its samples with no padding. */
    public int minStride(int plane, int width) {
        return planeWidth(plane, width) * bytesPerSample(plane);
    }

    /** The format GStreamer's caps call this one ({@code "RGBA"}, {@code "BGRx"}, {@code "I420"}, ...). */
    public String gstName() {
        return switch (this) {
            case RGBX -> "RGBx";
            case BGRX -> "BGRx";
            default -> name();
        };
    }

    /**
     * The format for a GStreamer caps format name.
     *
     * @throws IllegalArgumentException naming the format when it is not one of these
     */
    public static PixelFormat fromGstName(String name) {
        for (PixelFormat f : values()) {
            if (f.gstName().equals(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unsupported pixel format \"" + name + "\"");
    }

    private int checkPlane(int plane) {
        if (plane < 0 || plane >= bytesPerSample.length) {
            throw new IllegalArgumentException(
                    "plane must be in [0, " + bytesPerSample.length + ") for " + this + ", got " + plane);
        }
        return plane;
    }
}
