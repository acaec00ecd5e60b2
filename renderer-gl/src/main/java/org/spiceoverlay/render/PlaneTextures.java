package org.spiceoverlay.render;

import static org.lwjgl.opengl.GL33C.GL_BLUE;
import static org.lwjgl.opengl.GL33C.GL_CLAMP_TO_EDGE;
import static org.lwjgl.opengl.GL33C.GL_GREEN;
import static org.lwjgl.opengl.GL33C.GL_LINEAR;
import static org.lwjgl.opengl.GL33C.GL_ONE;
import static org.lwjgl.opengl.GL33C.GL_R8;
import static org.lwjgl.opengl.GL33C.GL_RED;
import static org.lwjgl.opengl.GL33C.GL_RG;
import static org.lwjgl.opengl.GL33C.GL_RG8;
import static org.lwjgl.opengl.GL33C.GL_RGBA;
import static org.lwjgl.opengl.GL33C.GL_RGBA8;
import static org.lwjgl.opengl.GL33C.GL_TEXTURE0;
import static org.lwjgl.opengl.GL33C.GL_TEXTURE_2D;
import static org.lwjgl.opengl.GL33C.GL_TEXTURE_MAG_FILTER;
import static org.lwjgl.opengl.GL33C.GL_TEXTURE_MAX_LEVEL;
import static org.lwjgl.opengl.GL33C.GL_TEXTURE_MIN_FILTER;
import static org.lwjgl.opengl.GL33C.GL_TEXTURE_SWIZZLE_A;
import static org.lwjgl.opengl.GL33C.GL_TEXTURE_SWIZZLE_B;
import static org.lwjgl.opengl.GL33C.GL_TEXTURE_SWIZZLE_G;
import static org.lwjgl.opengl.GL33C.GL_TEXTURE_SWIZZLE_R;
import static org.lwjgl.opengl.GL33C.GL_TEXTURE_WRAP_S;
import static org.lwjgl.opengl.GL33C.GL_TEXTURE_WRAP_T;
import static org.lwjgl.opengl.GL33C.GL_UNPACK_ALIGNMENT;
import static org.lwjgl.opengl.GL33C.GL_UNPACK_ROW_LENGTH;
import static org.lwjgl.opengl.GL33C.GL_UNPACK_SKIP_PIXELS;
import static org.lwjgl.opengl.GL33C.GL_UNPACK_SKIP_ROWS;
import static org.lwjgl.opengl.GL33C.GL_UNSIGNED_BYTE;
import static org.lwjgl.opengl.GL33C.glActiveTexture;
import static org.lwjgl.opengl.GL33C.glBindTexture;
import static org.lwjgl.opengl.GL33C.glDeleteTextures;
import static org.lwjgl.opengl.GL33C.glGenTextures;
import static org.lwjgl.opengl.GL33C.glPixelStorei;
import static org.lwjgl.opengl.GL33C.glTexImage2D;
import static org.lwjgl.opengl.GL33C.glTexParameteri;
import static org.lwjgl.opengl.GL33C.glTexSubImage2D;

import java.nio.ByteBuffer;
import java.util.Objects;
import org.spiceoverlay.api.PixelFormat;

/**
 * The textures holding one stream's current picture, one per plane: RGBA8 for the packed RGB
 * formats, R8 for each I420 plane, R8 + RG8 for NV12. Re-created only when the frame's format or
 * size changes ({@link #ensure}); otherwise each frame overwrites them in place.
 *
 * <p>Packed formats are uploaded as raw bytes with no conversion (the driver would convert BGRA
 * per pixel on the CPU under llvmpipe); the byte order is fixed up by the texture's swizzle, which
 * also forces alpha to 1 (the overlay is opaque: a frame's alpha must not punch holes in it).
 *
 * <p>Threads: the render thread only.
 */
final class PlaneTextures implements AutoCloseable {

    private PixelFormat format;
    private int width;
    private int height;
    private int[] textures = new int[0];

    /**
     * Makes sure the textures fit a {@code format} frame of {@code width x height}.
     *
     * @return true when they were (re)created, false when the existing ones fit
     */
    boolean ensure(PixelFormat format, int width, int height) {
        Objects.requireNonNull(format, "format");
        if (format == this.format && width == this.width && height == this.height) {
            return false;
        }
        deleteTextures();
        this.format = format;
        this.width = width;
        this.height = height;
        textures = new int[format.planeCount()];
        glGenTextures(textures);
        for (int plane = 0; plane < textures.length; plane++) {
            glBindTexture(GL_TEXTURE_2D, textures[plane]);
            glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
            glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
            glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
            glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
            glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAX_LEVEL, 0);
            if (!format.isYuv()) {
                boolean bgr = format == PixelFormat.BGRA || format == PixelFormat.BGRX;
                glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_SWIZZLE_R, bgr ? GL_BLUE : GL_RED);
                glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_SWIZZLE_G, GL_GREEN);
                glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_SWIZZLE_B, bgr ? GL_RED : GL_BLUE);
                glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_SWIZZLE_A, GL_ONE);
            }
            glTexImage2D(
                    GL_TEXTURE_2D,
                    0,
                    internalFormat(plane),
                    planeWidth(plane),
                    planeHeight(plane),
                    0,
                    uploadFormat(plane),
                    GL_UNSIGNED_BYTE,
                    (ByteBuffer) null);
        }
        glBindTexture(GL_TEXTURE_2D, 0);
        return true;
    }

    boolean isAllocated() {
        return format != null;
    }

    PixelFormat format() {
        return format;
    }

    int width() {
        return width;
    }

    int height() {
        return height;
    }

    int planeWidth(int plane) {
        return format.planeWidth(plane, width);
    }

    int planeHeight(int plane) {
        return format.planeHeight(plane, height);
    }

    /**
     * Overwrites one plane from {@code pixels}: a client memory address, or an offset into the bound
     * {@code GL_PIXEL_UNPACK_BUFFER}. Rows are {@code stride} bytes apart; when the stride is a whole
     * number of samples, {@code GL_UNPACK_ROW_LENGTH} lets one call skip the padding, otherwise
     * the plane goes up row by row.
     */
    void upload(int plane, int stride, long pixels) {
        int bytesPerSample = format.bytesPerSample(plane);
        int w = planeWidth(plane);
        int h = planeHeight(plane);
        glBindTexture(GL_TEXTURE_2D, textures[plane]);
        glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
        glPixelStorei(GL_UNPACK_SKIP_PIXELS, 0);
        glPixelStorei(GL_UNPACK_SKIP_ROWS, 0);
        if (stride % bytesPerSample == 0) {
            glPixelStorei(GL_UNPACK_ROW_LENGTH, stride / bytesPerSample);
            glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, w, h, uploadFormat(plane), GL_UNSIGNED_BYTE, pixels);
        } else {
            glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
            for (int row = 0; row < h; row++) {
                glTexSubImage2D(
                        GL_TEXTURE_2D,
                        0,
                        0,
                        row,
                        w,
                        1,
                        uploadFormat(plane),
                        GL_UNSIGNED_BYTE,
                        pixels + (long) row * stride);
            }
        }
        glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
        glBindTexture(GL_TEXTURE_2D, 0);
    }

    /** Binds plane {@code i} to texture unit {@code i}, where the picture shaders sample it. */
    void bindForDrawing() {
        for (int plane = 0; plane < textures.length; plane++) {
            glActiveTexture(GL_TEXTURE0 + plane);
            glBindTexture(GL_TEXTURE_2D, textures[plane]);
        }
        glActiveTexture(GL_TEXTURE0);
    }

    private int internalFormat(int plane) {
        if (!format.isYuv()) {
            return GL_RGBA8;
        }
        return format.bytesPerSample(plane) == 2 ? GL_RG8 : GL_R8;
    }

    private int uploadFormat(int plane) {
        if (!format.isYuv()) {
            return GL_RGBA;
        }
        return format.bytesPerSample(plane) == 2 ? GL_RG : GL_RED;
    }

    private void deleteTextures() {
        if (textures.length > 0) {
            glDeleteTextures(textures);
            textures = new int[0];
        }
        format = null;
        width = 0;
        height = 0;
    }

    /** Deletes the textures. Idempotent. */
    @Override
    public void close() {
        deleteTextures();
    }
}
