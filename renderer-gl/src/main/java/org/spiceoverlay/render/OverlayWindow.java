package org.spiceoverlay.render;

import static org.lwjgl.glfw.GLFW.GLFW_CONTEXT_VERSION_MAJOR;
import static org.lwjgl.glfw.GLFW.GLFW_CONTEXT_VERSION_MINOR;
import static org.lwjgl.glfw.GLFW.GLFW_DECORATED;
import static org.lwjgl.glfw.GLFW.GLFW_DOUBLEBUFFER;
import static org.lwjgl.glfw.GLFW.GLFW_FALSE;
import static org.lwjgl.glfw.GLFW.GLFW_FLOATING;
import static org.lwjgl.glfw.GLFW.GLFW_FOCUSED;
import static org.lwjgl.glfw.GLFW.GLFW_FOCUS_ON_SHOW;
import static org.lwjgl.glfw.GLFW.GLFW_MOUSE_PASSTHROUGH;
import static org.lwjgl.glfw.GLFW.GLFW_OPENGL_CORE_PROFILE;
import static org.lwjgl.glfw.GLFW.GLFW_OPENGL_FORWARD_COMPAT;
import static org.lwjgl.glfw.GLFW.GLFW_OPENGL_PROFILE;
import static org.lwjgl.glfw.GLFW.GLFW_PLATFORM;
import static org.lwjgl.glfw.GLFW.GLFW_PLATFORM_X11;
import static org.lwjgl.glfw.GLFW.GLFW_RESIZABLE;
import static org.lwjgl.glfw.GLFW.GLFW_TRANSPARENT_FRAMEBUFFER;
import static org.lwjgl.glfw.GLFW.GLFW_TRUE;
import static org.lwjgl.glfw.GLFW.GLFW_VISIBLE;
import static org.lwjgl.glfw.GLFW.GLFW_X11_CLASS_NAME;
import static org.lwjgl.glfw.GLFW.GLFW_X11_INSTANCE_NAME;
import static org.lwjgl.glfw.GLFW.glfwCreateWindow;
import static org.lwjgl.glfw.GLFW.glfwDefaultWindowHints;
import static org.lwjgl.glfw.GLFW.glfwDestroyWindow;
import static org.lwjgl.glfw.GLFW.glfwGetWindowAttrib;
import static org.lwjgl.glfw.GLFW.glfwHideWindow;
import static org.lwjgl.glfw.GLFW.glfwInit;
import static org.lwjgl.glfw.GLFW.glfwInitHint;
import static org.lwjgl.glfw.GLFW.glfwMakeContextCurrent;
import static org.lwjgl.glfw.GLFW.glfwPlatformSupported;
import static org.lwjgl.glfw.GLFW.glfwPollEvents;
import static org.lwjgl.glfw.GLFW.glfwSetErrorCallback;
import static org.lwjgl.glfw.GLFW.glfwSetWindowPos;
import static org.lwjgl.glfw.GLFW.glfwSetWindowRefreshCallback;
import static org.lwjgl.glfw.GLFW.glfwSetWindowSize;
import static org.lwjgl.glfw.GLFW.glfwShowWindow;
import static org.lwjgl.glfw.GLFW.glfwSwapBuffers;
import static org.lwjgl.glfw.GLFW.glfwSwapInterval;
import static org.lwjgl.glfw.GLFW.glfwTerminate;
import static org.lwjgl.glfw.GLFW.glfwWindowHint;
import static org.lwjgl.glfw.GLFW.glfwWindowHintString;
import static org.lwjgl.opengl.GL33C.GL_FRAMEBUFFER;
import static org.lwjgl.opengl.GL33C.glBindFramebuffer;
import static org.lwjgl.system.MemoryUtil.NULL;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.lwjgl.glfw.GLFWErrorCallback;
import org.lwjgl.glfw.GLFWNativeX11;
import org.lwjgl.glfw.GLFWWindowRefreshCallback;
import org.lwjgl.opengl.GL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spiceoverlay.api.Rect;
import org.spiceoverlay.api.Region;

/**
 * The overlay window on the X screen: one undecorated, always-on-top, click-through (an empty input
 * shape, GLFW_MOUSE_PASSTHROUGH) window that never takes the focus ({@link WindowManagerHints}),
 * opaque (no compositing manager needed).
 *
 * <p>One window for all streams: it covers the bounds of every shown stream's visible region and
 * is shaped ({@link XShape}) to exactly that region, so between and around the streams X shows what
 * lies beneath. One window means one context, one swap per refresh and no tearing between streams;
 * per-stream windows would swap N times per vsync. It is unmapped whenever nothing is shown.
 *
 * <p>GLFW is initialised, and its events polled, on the render thread, not the process's main
 * thread. GLFW documents most calls as main-thread only because of macOS and Windows; on X11 (the
 * only platform this overlay targets: it is forced with GLFW_PLATFORM_X11) every call works from
 * whichever single thread initialised GLFW. That keeps window, context and events on the one
 * thread that owns them. GLFW is process-global, so one overlay window (one on-screen compositor)
 * may exist at a time.
 *
 * <p>Threads: created, used and closed on the render thread only.
 */
final class OverlayWindow implements RenderTarget {

    private static final Logger LOG = LoggerFactory.getLogger(OverlayWindow.class);

    /** GLFW is global to the process: one on-screen compositor at a time. */
    private static final AtomicBoolean GLFW_IN_USE = new AtomicBoolean();

    /** The WM_CLASS of the overlay window, to find it with xdotool/xwininfo. */
    static final String X11_CLASS = "spice-overlay";

    private final GLFWErrorCallback errorCallback;
    private final long window;
    private final long display;
    private final long xWindow;
    private final XShape shape;
    private final WindowManagerHints hints;
    private final GLFWWindowRefreshCallback refreshCallback;
    private Rect bounds = Rect.EMPTY;
    private Region appliedShape = Region.EMPTY;
    private boolean mapped;
    private boolean exposed;
    private boolean closed;

    private OverlayWindow(GLFWErrorCallback errorCallback, long window, XShape shape, WindowManagerHints hints) {
        this.errorCallback = errorCallback;
        this.window = window;
        this.display = GLFWNativeX11.glfwGetX11Display();
        this.xWindow = GLFWNativeX11.glfwGetX11Window(window);
        this.shape = shape;
        this.hints = hints;
        // Called from glfwPollEvents on this thread when X says part of the window needs drawing.
        this.refreshCallback = GLFWWindowRefreshCallback.create(w -> exposed = true);
        glfwSetWindowRefreshCallback(window, refreshCallback);
    }

    /**
     * Initialises GLFW on X11, creates the (unmapped) window and makes its context current on the
     * calling thread.
     *
     * @throws RenderException when another on-screen compositor is open, or saying what is missing
     *         (no X display, no GLX 3.3 core context, no Shape extension)
     */
    static OverlayWindow create() {
        if (!GLFW_IN_USE.compareAndSet(false, true)) {
            throw new RenderException("an on-screen compositor is already open in this process (GLFW is "
                    + "process-global); close it first");
        }
        // The latest GLFW error, to say what went wrong when a call then fails (GLFW names the display).
        String[] lastError = {"no GLFW error reported"};
        GLFWErrorCallback errors = GLFWErrorCallback.create((code, description) -> {
            lastError[0] = GLFWErrorCallback.getDescription(description);
            LOG.warn("GLFW error 0x{}: {}", Integer.toHexString(code), lastError[0]);
        });
        long window = NULL;
        boolean initialised = false;
        try {
            GlFunctions.load();
            glfwSetErrorCallback(errors);
            if (!glfwPlatformSupported(GLFW_PLATFORM_X11)) {
                throw new RenderException("this GLFW build has no X11 support");
            }
            glfwInitHint(GLFW_PLATFORM, GLFW_PLATFORM_X11);
            if (!glfwInit()) {
                throw new RenderException("cannot open the X display (" + lastError[0] + "): is DISPLAY set and the "
                        + "X server running? (Xvfb comes from the Debian package xvfb)");
            }
            initialised = true;
            glfwDefaultWindowHints();
            glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
            glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
            glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
            glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
            glfwWindowHint(GLFW_DOUBLEBUFFER, GLFW_TRUE);
            glfwWindowHint(GLFW_VISIBLE, GLFW_FALSE);
            glfwWindowHint(GLFW_DECORATED, GLFW_FALSE);
            glfwWindowHint(GLFW_RESIZABLE, GLFW_FALSE);
            glfwWindowHint(GLFW_FLOATING, GLFW_TRUE);
            glfwWindowHint(GLFW_FOCUSED, GLFW_FALSE);
            glfwWindowHint(GLFW_FOCUS_ON_SHOW, GLFW_FALSE);
            glfwWindowHint(GLFW_MOUSE_PASSTHROUGH, GLFW_TRUE);
            // Opaque: a transparent framebuffer would need a compositing manager.
            glfwWindowHint(GLFW_TRANSPARENT_FRAMEBUFFER, GLFW_FALSE);
            glfwWindowHintString(GLFW_X11_CLASS_NAME, X11_CLASS);
            glfwWindowHintString(GLFW_X11_INSTANCE_NAME, X11_CLASS);
            window = glfwCreateWindow(1, 1, "spice-overlay", NULL, NULL);
            if (window == NULL) {
                throw new RenderException("cannot create an OpenGL 3.3 core window on the X display (" + lastError[0]
                        + "); GLX with Mesa comes from the Debian packages libgl1 and libgl1-mesa-dri");
            }
            glfwMakeContextCurrent(window);
            GL.createCapabilities();
            // Vsync where the display has it; the render loop also throttles to its refresh rate,
            // for displays that do not (Xvfb).
            glfwSwapInterval(1);
            XShape shape = XShape.open(GLFWNativeX11.glfwGetX11Display());
            try {
                return new OverlayWindow(errors, window, shape, new WindowManagerHints());
            } catch (RuntimeException e) {
                shape.close();
                throw e;
            }
        } catch (RuntimeException e) {
            GL.setCapabilities(null);
            if (window != NULL) {
                glfwMakeContextCurrent(NULL);
                glfwDestroyWindow(window);
            }
            if (initialised) {
                glfwTerminate();
            }
            glfwSetErrorCallback(null);
            errors.free();
            GLFW_IN_USE.set(false);
            throw e;
        }
    }

    @Override
    public boolean arrange(Region shown) {
        if (shown.isEmpty()) {
            if (!mapped) {
                return false;
            }
            glfwHideWindow(window);
            mapped = false;
            bounds = Rect.EMPTY;
            return true;
        }
        boolean changed = false;
        Rect b = shown.bounds();
        if (!b.equals(bounds)) {
            glfwSetWindowSize(window, b.width(), b.height());
            glfwSetWindowPos(window, b.x(), b.y());
            bounds = b;
            changed = true;
        }
        Region local = shown.translate(-b.x(), -b.y());
        if (!local.equals(appliedShape)) {
            shape.setBoundingShape(display, xWindow, local.rects());
            appliedShape = local;
            changed = true;
        }
        if (!mapped) {
            hints.apply(display, xWindow);
            glfwShowWindow(window);
            // A window manager may place a window where it likes when it maps it; say it again.
            glfwSetWindowPos(window, b.x(), b.y());
            // glfwShowWindow waited until the window was viewable, so a manager's frame exists by now.
            hints.makeFramesClickThrough(display, xWindow, shape);
            mapped = true;
            changed = true;
        }
        return changed;
    }

    @Override
    public boolean standBy(Rect where) {
        if (mapped) {
            // Already mapped: shaped to nothing while nothing is shown.
            if (appliedShape != null && appliedShape.isEmpty()) {
                return false;
            }
            shape.setBoundingShape(display, xWindow, List.of());
            appliedShape = Region.EMPTY;
            return true;
        }
        glfwSetWindowSize(window, where.width(), where.height());
        glfwSetWindowPos(window, where.x(), where.y());
        bounds = where;
        shape.setBoundingShape(display, xWindow, List.of());
        appliedShape = Region.EMPTY;
        hints.apply(display, xWindow);
        glfwShowWindow(window);
        glfwSetWindowPos(window, where.x(), where.y());
        hints.makeFramesClickThrough(display, xWindow, shape);
        mapped = true;
        return true;
    }

    @Override
    public Rect area() {
        return mapped ? bounds : Rect.EMPTY;
    }

    @Override
    public Rect windowBounds() {
        return isShowing() ? bounds : Rect.EMPTY;
    }

    @Override
    public boolean isShowing() {
        // Mapped but shaped to nothing (standing by) shows nothing.
        return mapped && !(appliedShape != null && appliedShape.isEmpty());
    }

    @Override
    public void bindForDrawing() {
        glBindFramebuffer(GL_FRAMEBUFFER, 0);
    }

    @Override
    public void present() {
        glfwSwapBuffers(window);
    }

    @Override
    public boolean pollEvents() {
        glfwPollEvents();
        boolean e = exposed;
        exposed = false;
        return e;
    }

    @Override
    public Framebuffer presentedFramebuffer() {
        return null;
    }

    /** Whether GLFW says the window is mapped (for diagnostics). */
    boolean glfwVisible() {
        return glfwGetWindowAttrib(window, GLFW_VISIBLE) == GLFW_TRUE;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        GL.setCapabilities(null);
        glfwMakeContextCurrent(NULL);
        glfwSetWindowRefreshCallback(window, null);
        glfwDestroyWindow(window);
        refreshCallback.free();
        shape.close();
        hints.close();
        glfwTerminate();
        glfwSetErrorCallback(null);
        errorCallback.free();
        GLFW_IN_USE.set(false);
    }
}
