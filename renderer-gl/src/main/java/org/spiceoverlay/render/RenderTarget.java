package org.spiceoverlay.render;

import org.spiceoverlay.api.Rect;
import org.spiceoverlay.api.Region;

/**
 * Where a compositor's picture goes: the overlay window on the X screen, or an offscreen
 * framebuffer standing for a screen. Owns the GL context the render thread draws with.
 *
 * <p>Threads: created, used and closed on the render thread only.
 */
interface RenderTarget extends AutoCloseable {

    /**
     * Fits the target to the screen pixels that are to be shown: the window covers their bounds,
     * is shaped to them and mapped (or unmapped when there are none).
     *
     * @return true when the target's area, shape or visibility changed (the picture must be redrawn)
     */
    boolean arrange(Region shown);

    /**
     * Nothing is shown yet, but a picture is about to appear within {@code bounds} (a stream is
     * placed and waits for its first frame): get ready so that showing it costs no more than a
     * shape change. The overlay window maps itself there with an empty shape (invisible,
     * click-through), so the window manager's map round trip does not delay the first frames.
     *
     * @return true when something changed
     */
    default boolean standBy(Rect bounds) {
        return arrange(Region.EMPTY);
    }

    /** The screen rectangle the target's framebuffer covers now. */
    Rect area();

    /**
     * Where the overlay is on the screen: the mapped window's rectangle, or offscreen the bounds of
     * what is shown; empty when nothing is.
     */
    Rect windowBounds();

    /** Whether a drawn picture would be seen (the window is mapped; offscreen: always). */
    boolean isShowing();

    /** Binds the framebuffer to draw into. */
    void bindForDrawing();

    /** Shows what was drawn: swaps the window's buffers (vsync'd), or finishes the offscreen drawing. */
    void present();

    /**
     * Handles window-system events (GLFW's on the render thread: see {@link Compositor}).
     *
     * @return true when part of the window was exposed and must be redrawn
     */
    boolean pollEvents();

    /**
     * The framebuffer that holds the presented picture, to read back from, or null when there is
     * none to read (a window's buffers are undefined after a swap).
     */
    Framebuffer presentedFramebuffer();

    /** Frees the context, window and GL objects. Idempotent. */
    @Override
    void close();
}
