package org.spiceoverlay.render;

import java.util.Locale;
import java.util.Objects;
import org.spiceoverlay.api.PixelFormat;

/**
 * The OpenGL implementation a compositor renders with, as its context reports it.
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param vendor   {@code GL_VENDOR}
 * @param renderer {@code GL_RENDERER}, e.g. "llvmpipe (LLVM 15.0.6, 256 bits)"
 * @param version  {@code GL_VERSION}
 */
public record RendererInfo(String vendor, String renderer, String version) {

    public RendererInfo {
        Objects.requireNonNull(vendor, "vendor");
        Objects.requireNonNull(renderer, "renderer");
        Objects.requireNonNull(version, "version");
    }

    /** Whether the GL runs on the CPU (Mesa's llvmpipe, softpipe or swrast). */
    public boolean isSoftware() {
        String r = renderer.toLowerCase(Locale.ROOT);
        return r.contains("llvmpipe") || r.contains("softpipe") || r.contains("swrast");
    }

    /**
     * The frame format the client should ask its decoder for. On a software renderer the
     * YUV&rarr;RGB shader runs on the CPU, per output pixel, and costs far more than having the
     * decoder's converter produce RGBA once (DESIGN.md: ~10 ms against ~0.5 ms at 1080p on
     * llvmpipe), so {@link PixelFormat#RGBA}; on a GPU the shader is free and planar
     * {@link PixelFormat#I420} moves 2.7x fewer bytes, so I420.
     */
    public PixelFormat preferredFormat() {
        return isSoftware() ? PixelFormat.RGBA : PixelFormat.I420;
    }

    @Override
    public String toString() {
        return renderer + " (" + vendor + ", " + version + ")";
    }
}
