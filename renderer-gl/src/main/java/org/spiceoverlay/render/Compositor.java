package org.spiceoverlay.render;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.spiceoverlay.api.FrameLayout;
import org.spiceoverlay.api.PixelFormat;
import org.spiceoverlay.api.Rect;

/**
 * The client's picture: draws every stream's newest frame into its screen rectangle, letterboxed
 * and clipped to its visible region, on one render thread that owns the GL context.
 *
 * <p>Two kinds:
 * <ul>
 * <li>{@link #onScreen} draws into an overlay window on the X display named by {@code DISPLAY}: one
 *     undecorated, always-on-top, click-through window that does not take focus, covering the
 *     bounds of what is shown and shaped to it (X Shape), mapped only while something is shown. No
 *     compositing manager is needed. The render thread itself initialises GLFW, creates the window
 *     and pumps its events: a deliberate, X11-only choice (GLFW's main-thread rule exists for macOS
 *     and Windows; on X11 GLFW works from whichever one thread initialised it), which keeps the
 *     window, its context and its events on the thread that owns them. One on-screen compositor per
 *     process (GLFW is process-global).</li>
 * <li>{@link #offscreen} draws into a framebuffer standing for a screen of a given size, on an EGL
 *     surfaceless context: no X server needed. For tests, headless runs, screenshots and
 *     benchmarks; {@link #readPixels} reads what was presented.</li>
 * </ul>
 *
 * <p>Refreshes come from the render thread at {@link CompositorOptions#refreshHz()} (vsync'd swaps
 * where the display has vsync, throttled to that rate everywhere), or in
 * {@link RefreshMode#MANUAL} mode one per {@link #refresh()}. A refresh that has nothing new to
 * show (no new frame, no placement change, no exposure) draws nothing and leaves the picture as it
 * is.
 *
 * <p>Threads: every method may be called from any thread; all of them hand work to the render
 * thread. {@link #addStream}, {@link #stats()}, {@link #rendererInfo()} and
 * {@link #preferredFormat()} never block; {@link #refresh()}, {@link #readPixels} and
 * {@link #close()} wait for the render thread and must not be called on it (from a
 * {@link PresentListener}).
 */
public final class Compositor implements AutoCloseable {

    /** The overlay windows' X {@code WM_CLASS} (instance and class), for window managers and trackers. */
    public static final String OVERLAY_WINDOW_CLASS = OverlayWindow.X11_CLASS;

    private final RenderLoop loop;
    private final RendererInfo rendererInfo;
    private final boolean onScreen;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Compositor(RenderLoop loop, boolean onScreen) {
        this.loop = loop;
        this.onScreen = onScreen;
        this.rendererInfo = loop.start();
    }

    /**
     * A compositor drawing into an overlay window on the X display ({@code DISPLAY}).
     *
     * @throws RenderException saying what is missing (no X display, no OpenGL 3.3, no Shape
     *         extension), or when another on-screen compositor is open in this process
     */
    public static Compositor onScreen(CompositorOptions options) {
        Objects.requireNonNull(options, "options");
        return new Compositor(new RenderLoop(options, OverlayWindow::create), true);
    }

    /**
     * A compositor drawing into an offscreen screen of {@code width x height} pixels; needs no X
     * server, only Mesa's EGL.
     *
     * @throws IllegalArgumentException when a dimension is outside [1, {@value FrameLayout#MAX_DIMENSION}]
     * @throws RenderException saying what is missing (EGL, its surfaceless platform, OpenGL 3.3)
     */
    public static Compositor offscreen(int width, int height, CompositorOptions options) {
        Objects.requireNonNull(options, "options");
        if (width <= 0 || width > FrameLayout.MAX_DIMENSION) {
            throw new IllegalArgumentException("width must be in [1, " + FrameLayout.MAX_DIMENSION + "], got " + width);
        }
        if (height <= 0 || height > FrameLayout.MAX_DIMENSION) {
            throw new IllegalArgumentException(
                    "height must be in [1, " + FrameLayout.MAX_DIMENSION + "], got " + height);
        }
        return new Compositor(new RenderLoop(options, () -> OffscreenTarget.create(width, height)), false);
    }

    /**
     * A new stream, hidden until {@link StreamLayer#place} shows it. Streams added later are drawn
     * over earlier ones where they overlap.
     *
     * @param name for logs (e.g. the guest's stream id)
     * @throws IllegalStateException once the compositor is closed
     */
    public StreamLayer addStream(String name) {
        return loop.addStream(name);
    }

    /** The OpenGL implementation in use. */
    public RendererInfo rendererInfo() {
        return rendererInfo;
    }

    /** The frame format to ask the decoder for with this renderer: see {@link RendererInfo#preferredFormat()}. */
    public PixelFormat preferredFormat() {
        return rendererInfo.preferredFormat();
    }

    public CompositorOptions options() {
        return loop.options();
    }

    /** Whether this compositor draws into an overlay window (else offscreen). */
    public boolean isOnScreen() {
        return onScreen;
    }

    /**
     * Refreshes now and returns what the refresh did.
     *
     * @throws IllegalStateException unless the compositor runs in {@link RefreshMode#MANUAL} mode,
     *         or when called on the render thread
     * @throws RenderException when the compositor is closed
     */
    public RefreshReport refresh() {
        if (loop.options().refreshMode() != RefreshMode.MANUAL) {
            throw new IllegalStateException("refresh() is for RefreshMode.MANUAL; this compositor refreshes itself at "
                    + loop.options().refreshHz() + " Hz");
        }
        return loop.call("refresh()", loop::refresh);
    }

    /**
     * The overlay's pixels in {@code area} (screen pixels) as of the latest refresh: offscreen, read
     * from the presented framebuffer (and {@code area} must lie inside the offscreen screen); on
     * screen, the same scene drawn again into a scratch framebuffer (a window's back buffer is
     * undefined after a swap, and the X server may have covered the window). Pixels the overlay
     * does not cover read as transparent black.
     *
     * @throws IllegalArgumentException when {@code area} is empty, or outside the offscreen screen
     * @throws RenderException when the compositor is closed
     */
    public RgbaImage readPixels(Rect area) {
        Objects.requireNonNull(area, "area");
        return loop.call("readPixels(" + area + ")", () -> loop.readPixels(area));
    }

    /** A snapshot of the compositor's counters and where the overlay is. */
    public CompositorStats stats() {
        return loop.stats();
    }

    /**
     * Stops the render thread: every waiting frame is closed (counted as dropped), every stream's
     * textures are deleted, the window is destroyed. Streams take no more frames afterwards (they
     * close what they are given). Idempotent.
     *
     * @throws IllegalStateException when called on the render thread (from a PresentListener)
     */
    @Override
    public void close() {
        if (loop.isRenderThread()) {
            throw new IllegalStateException("close() may not be called on the render thread (from a PresentListener)");
        }
        if (closed.compareAndSet(false, true)) {
            loop.close();
        }
    }

    @Override
    public String toString() {
        return "Compositor[" + (onScreen ? "on screen" : "offscreen") + ", " + rendererInfo + "]";
    }
}
