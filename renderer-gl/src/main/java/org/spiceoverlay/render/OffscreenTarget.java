package org.spiceoverlay.render;

import static org.lwjgl.opengl.GL33C.glFinish;

import org.lwjgl.opengl.GL;
import org.spiceoverlay.api.Rect;
import org.spiceoverlay.api.Region;

/**
 * A screen that exists only in memory: an EGL surfaceless context and one RGBA8 framebuffer of the
 * screen's size, with the screen's pixel (0, 0) at its top-left. Needs no X server. "Presenting"
 * is {@code glFinish}: the picture is complete and can be read back.
 *
 * <p>Threads: created, used and closed on the render thread only.
 */
final class OffscreenTarget implements RenderTarget {

    private final EglSurfacelessContext context;
    private final Framebuffer framebuffer;
    private final Rect screen;
    private Region shown = Region.EMPTY;

    private OffscreenTarget(EglSurfacelessContext context, Framebuffer framebuffer, Rect screen) {
        this.context = context;
        this.framebuffer = framebuffer;
        this.screen = screen;
    }

    /** Creates the context (current on the calling thread) and a {@code width x height} screen. */
    static OffscreenTarget create(int width, int height) {
        EglSurfacelessContext context = EglSurfacelessContext.createCurrent();
        try {
            GL.createCapabilities();
            return new OffscreenTarget(context, new Framebuffer(width, height), new Rect(0, 0, width, height));
        } catch (RuntimeException e) {
            GL.setCapabilities(null);
            context.close();
            throw e;
        }
    }

    @Override
    public boolean arrange(Region region) {
        boolean changed = !region.equals(shown);
        shown = region;
        return changed;
    }

    @Override
    public Rect area() {
        return screen;
    }

    @Override
    public Rect windowBounds() {
        return shown.bounds();
    }

    @Override
    public boolean isShowing() {
        return true;
    }

    @Override
    public void bindForDrawing() {
        framebuffer.bind();
    }

    @Override
    public void present() {
        glFinish();
    }

    @Override
    public boolean pollEvents() {
        return false;
    }

    @Override
    public Framebuffer presentedFramebuffer() {
        return framebuffer;
    }

    @Override
    public void close() {
        framebuffer.close();
        GL.setCapabilities(null);
        context.close();
    }
}
