package org.spiceoverlay.render;

/**
 * How frame pixels get from the decoder's buffer into the stream's textures.
 *
 * <p>Measured with {@code ./overlay render-bench} on Mesa llvmpipe (README, "Renderer benchmark"):
 * {@link #DIRECT} is the faster there at every size, so it is the default. On a GPU a PBO ring
 * lets the driver copy asynchronously (DMA) and may win; pick it with
 * {@link CompositorOptions#withUpload(UploadMethod)}.
 *
 * <p>Enum constants are safe to share between threads.
 */
public enum UploadMethod {
    /**
     * {@code glTexSubImage2D} straight from the frame's native memory, with
     * {@code GL_UNPACK_ROW_LENGTH} set from the stride: one copy, made by the driver; the frame is
     * released as soon as the call returns.
     */
    DIRECT,
    /**
     * The frame is copied into a mapped pixel-unpack buffer from a ring of three (guarded by fences)
     * and the textures are updated from there: two copies, but the frame is released right after
     * the first and the second may run asynchronously on a GPU.
     */
    PBO;

    /** Copies of the frame's bytes this method makes per frame (the driver's own excluded). */
    public int copiesPerFrame() {
        return this == DIRECT ? 1 : 2;
    }
}
