package org.spiceoverlay.render;

import static org.lwjgl.opengl.GL33C.GL_ALREADY_SIGNALED;
import static org.lwjgl.opengl.GL33C.GL_CONDITION_SATISFIED;
import static org.lwjgl.opengl.GL33C.GL_MAP_INVALIDATE_BUFFER_BIT;
import static org.lwjgl.opengl.GL33C.GL_MAP_UNSYNCHRONIZED_BIT;
import static org.lwjgl.opengl.GL33C.GL_MAP_WRITE_BIT;
import static org.lwjgl.opengl.GL33C.GL_PIXEL_UNPACK_BUFFER;
import static org.lwjgl.opengl.GL33C.GL_STREAM_DRAW;
import static org.lwjgl.opengl.GL33C.GL_SYNC_FLUSH_COMMANDS_BIT;
import static org.lwjgl.opengl.GL33C.GL_SYNC_GPU_COMMANDS_COMPLETE;
import static org.lwjgl.opengl.GL33C.glBindBuffer;
import static org.lwjgl.opengl.GL33C.glBufferData;
import static org.lwjgl.opengl.GL33C.glClientWaitSync;
import static org.lwjgl.opengl.GL33C.glDeleteBuffers;
import static org.lwjgl.opengl.GL33C.glDeleteSync;
import static org.lwjgl.opengl.GL33C.glFenceSync;
import static org.lwjgl.opengl.GL33C.glGenBuffers;
import static org.lwjgl.opengl.GL33C.glMapBufferRange;
import static org.lwjgl.opengl.GL33C.glUnmapBuffer;
import static org.lwjgl.system.MemoryUtil.memAddress;
import static org.lwjgl.system.MemoryUtil.memCopy;

import java.nio.ByteBuffer;
import org.spiceoverlay.api.VideoFrame;

/**
 * {@link UploadMethod#PBO}: a ring of three pixel-unpack buffers. Each frame's whole buffer (all
 * planes, strides as they are) is copied into the next buffer of the ring, mapped unsynchronized;
 * the textures are then updated from the buffer at each plane's offset, which a GPU can do
 * asynchronously. A fence per buffer keeps a buffer from being overwritten while the GPU may still
 * read it.
 *
 * <p>Threads: the render thread only.
 */
final class PboRingUploader implements FrameUploader {

    private static final int RING = 3;
    private static final long FENCE_TIMEOUT_NANOS = 2_000_000_000L;

    private final int[] buffers = new int[RING];
    private final long[] capacities = new long[RING];
    private final long[] fences = new long[RING];
    private int next;
    private boolean closed;

    PboRingUploader() {
        glGenBuffers(buffers);
    }

    @Override
    public void upload(VideoFrame frame, PlaneTextures textures) {
        int slot = next;
        next = (next + 1) % RING;
        waitForFence(slot);
        int size = frame.layout().size();
        glBindBuffer(GL_PIXEL_UNPACK_BUFFER, buffers[slot]);
        try {
            if (capacities[slot] < size) {
                glBufferData(GL_PIXEL_UNPACK_BUFFER, size, GL_STREAM_DRAW);
                capacities[slot] = size;
            }
            // Unsynchronized is safe: the fence above proved the GPU is done with this buffer.
            ByteBuffer mapped = glMapBufferRange(
                    GL_PIXEL_UNPACK_BUFFER,
                    0,
                    size,
                    GL_MAP_WRITE_BIT | GL_MAP_INVALIDATE_BUFFER_BIT | GL_MAP_UNSYNCHRONIZED_BIT);
            if (mapped == null) {
                throw new RenderException("glMapBufferRange of a " + size + " byte pixel buffer failed");
            }
            memCopy(memAddress(frame.data()), memAddress(mapped), size);
            glUnmapBuffer(GL_PIXEL_UNPACK_BUFFER);
            for (int plane = 0; plane < frame.format().planeCount(); plane++) {
                textures.upload(
                        plane,
                        frame.layout().plane(plane).stride(),
                        frame.layout().plane(plane).offset());
            }
            fences[slot] = glFenceSync(GL_SYNC_GPU_COMMANDS_COMPLETE, 0);
        } finally {
            glBindBuffer(GL_PIXEL_UNPACK_BUFFER, 0);
        }
    }

    private void waitForFence(int slot) {
        long fence = fences[slot];
        if (fence == 0) {
            return;
        }
        int status = glClientWaitSync(fence, GL_SYNC_FLUSH_COMMANDS_BIT, FENCE_TIMEOUT_NANOS);
        glDeleteSync(fence);
        fences[slot] = 0;
        if (status != GL_ALREADY_SIGNALED && status != GL_CONDITION_SATISFIED) {
            throw new RenderException("pixel buffer " + slot + " still in use by the GPU after 2 s (wait status 0x"
                    + Integer.toHexString(status) + ")");
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (int i = 0; i < RING; i++) {
            if (fences[i] != 0) {
                glDeleteSync(fences[i]);
                fences[i] = 0;
            }
        }
        glDeleteBuffers(buffers);
    }
}
