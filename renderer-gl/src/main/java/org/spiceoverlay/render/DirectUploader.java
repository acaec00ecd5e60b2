package org.spiceoverlay.render;

import static org.lwjgl.system.MemoryUtil.memAddress;

import org.spiceoverlay.api.VideoFrame;

/**
 * {@link UploadMethod#DIRECT}: {@code glTexSubImage2D} from the frame's native memory, plane by
 * plane. GL copies client memory before the call returns, so the frame may be released at once.
 *
 * <p>Threads: the render thread only.
 */
final class DirectUploader implements FrameUploader {

    @Override
    public void upload(VideoFrame frame, PlaneTextures textures) {
        for (int plane = 0; plane < frame.format().planeCount(); plane++) {
            textures.upload(plane, frame.layout().plane(plane).stride(), memAddress(frame.plane(plane)));
        }
    }

    @Override
    public void close() {
        // nothing held
    }
}
