package org.spiceoverlay.render;

import static org.lwjgl.opengl.GL33C.GL_COLOR_ATTACHMENT0;
import static org.lwjgl.opengl.GL33C.GL_FRAMEBUFFER;
import static org.lwjgl.opengl.GL33C.GL_FRAMEBUFFER_COMPLETE;
import static org.lwjgl.opengl.GL33C.GL_PACK_ALIGNMENT;
import static org.lwjgl.opengl.GL33C.GL_PACK_ROW_LENGTH;
import static org.lwjgl.opengl.GL33C.GL_READ_FRAMEBUFFER;
import static org.lwjgl.opengl.GL33C.GL_RENDERBUFFER;
import static org.lwjgl.opengl.GL33C.GL_RGBA;
import static org.lwjgl.opengl.GL33C.GL_RGBA8;
import static org.lwjgl.opengl.GL33C.GL_UNSIGNED_BYTE;
import static org.lwjgl.opengl.GL33C.glBindFramebuffer;
import static org.lwjgl.opengl.GL33C.glBindRenderbuffer;
import static org.lwjgl.opengl.GL33C.glCheckFramebufferStatus;
import static org.lwjgl.opengl.GL33C.glDeleteFramebuffers;
import static org.lwjgl.opengl.GL33C.glDeleteRenderbuffers;
import static org.lwjgl.opengl.GL33C.glFramebufferRenderbuffer;
import static org.lwjgl.opengl.GL33C.glGenFramebuffers;
import static org.lwjgl.opengl.GL33C.glGenRenderbuffers;
import static org.lwjgl.opengl.GL33C.glPixelStorei;
import static org.lwjgl.opengl.GL33C.glReadPixels;
import static org.lwjgl.opengl.GL33C.glRenderbufferStorage;
import static org.lwjgl.system.MemoryUtil.memAlloc;
import static org.lwjgl.system.MemoryUtil.memFree;

import java.nio.ByteBuffer;
import org.spiceoverlay.api.Rect;

/**
 * A framebuffer object with one RGBA8 colour renderbuffer: the offscreen target's "screen", and
 * the scratch target an on-screen compositor draws into to read its picture back.
 *
 * <p>Threads: the render thread only (GL objects live and die there).
 */
final class Framebuffer implements AutoCloseable {

    private final int width;
    private final int height;
    private int fbo;
    private int colour;

    Framebuffer(int width, int height) {
        this.width = width;
        this.height = height;
        fbo = glGenFramebuffers();
        colour = glGenRenderbuffers();
        glBindRenderbuffer(GL_RENDERBUFFER, colour);
        glRenderbufferStorage(GL_RENDERBUFFER, GL_RGBA8, width, height);
        glBindRenderbuffer(GL_RENDERBUFFER, 0);
        glBindFramebuffer(GL_FRAMEBUFFER, fbo);
        glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, colour);
        int status = glCheckFramebufferStatus(GL_FRAMEBUFFER);
        if (status != GL_FRAMEBUFFER_COMPLETE) {
            close();
            throw new RenderException("a " + width + "x" + height + " RGBA8 framebuffer is incomplete (status 0x"
                    + Integer.toHexString(status) + ")");
        }
    }

    int width() {
        return width;
    }

    int height() {
        return height;
    }

    /** Binds it for drawing and reading. */
    void bind() {
        glBindFramebuffer(GL_FRAMEBUFFER, fbo);
    }

    /**
     * Reads {@code area} (in this framebuffer's pixels, y down from the top row) as RGBA bytes,
     * rows top to bottom. GL's rows run bottom-up, hence the flip.
     */
    byte[] readTopDown(Rect area) {
        if (!new Rect(0, 0, width, height).contains(area)) {
            throw new IllegalArgumentException(
                    "area " + area + " is not inside the " + width + "x" + height + " framebuffer");
        }
        int rowBytes = area.width() * 4;
        byte[] out = new byte[rowBytes * area.height()];
        if (out.length == 0) {
            return out;
        }
        ByteBuffer pixels = memAlloc(out.length);
        try {
            glBindFramebuffer(GL_READ_FRAMEBUFFER, fbo);
            glPixelStorei(GL_PACK_ALIGNMENT, 1);
            glPixelStorei(GL_PACK_ROW_LENGTH, 0);
            glReadPixels(
                    area.x(), height - area.bottom(), area.width(), area.height(), GL_RGBA, GL_UNSIGNED_BYTE, pixels);
            for (int row = 0; row < area.height(); row++) {
                pixels.get((area.height() - 1 - row) * rowBytes, out, row * rowBytes, rowBytes);
            }
        } finally {
            memFree(pixels);
        }
        return out;
    }

    /** Deletes the GL objects. Idempotent. */
    @Override
    public void close() {
        if (fbo != 0) {
            glBindFramebuffer(GL_FRAMEBUFFER, 0);
            glDeleteFramebuffers(fbo);
            fbo = 0;
        }
        if (colour != 0) {
            glDeleteRenderbuffers(colour);
            colour = 0;
        }
    }
}
