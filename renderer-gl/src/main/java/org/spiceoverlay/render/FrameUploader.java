package org.spiceoverlay.render;

import org.spiceoverlay.api.VideoFrame;

/**
 * Copies a frame's planes into a stream's textures. When {@link #upload} returns, the frame's
 * memory is no longer needed and the caller closes the frame (so the decoder gets its buffer back
 * before the refresh is even drawn).
 *
 * <p>Threads: the render thread only.
 */
interface FrameUploader extends AutoCloseable {

    /** Uploads every plane of {@code frame} into {@code textures}, which already fit its format and size. */
    void upload(VideoFrame frame, PlaneTextures textures);

    /** Frees the uploader's GL objects. Idempotent. */
    @Override
    void close();

    static FrameUploader create(UploadMethod method) {
        return switch (method) {
            case DIRECT -> new DirectUploader();
            case PBO -> new PboRingUploader();
        };
    }
}
