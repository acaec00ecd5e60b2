package org.spiceoverlay.render;

import static org.lwjgl.egl.EGL10.EGL_ALPHA_SIZE;
import static org.lwjgl.egl.EGL10.EGL_BLUE_SIZE;
import static org.lwjgl.egl.EGL10.EGL_EXTENSIONS;
import static org.lwjgl.egl.EGL10.EGL_GREEN_SIZE;
import static org.lwjgl.egl.EGL10.EGL_NONE;
import static org.lwjgl.egl.EGL10.EGL_NO_CONTEXT;
import static org.lwjgl.egl.EGL10.EGL_NO_DISPLAY;
import static org.lwjgl.egl.EGL10.EGL_NO_SURFACE;
import static org.lwjgl.egl.EGL10.EGL_RED_SIZE;
import static org.lwjgl.egl.EGL10.EGL_SURFACE_TYPE;
import static org.lwjgl.egl.EGL10.eglChooseConfig;
import static org.lwjgl.egl.EGL10.eglDestroyContext;
import static org.lwjgl.egl.EGL10.eglGetError;
import static org.lwjgl.egl.EGL10.eglInitialize;
import static org.lwjgl.egl.EGL10.eglMakeCurrent;
import static org.lwjgl.egl.EGL10.eglQueryString;
import static org.lwjgl.egl.EGL10.eglTerminate;
import static org.lwjgl.egl.EGL12.EGL_RENDERABLE_TYPE;
import static org.lwjgl.egl.EGL12.eglBindAPI;
import static org.lwjgl.egl.EGL12.eglReleaseThread;
import static org.lwjgl.egl.EGL14.EGL_OPENGL_API;
import static org.lwjgl.egl.EGL14.EGL_OPENGL_BIT;
import static org.lwjgl.egl.EGL15.EGL_CONTEXT_MAJOR_VERSION;
import static org.lwjgl.egl.EGL15.EGL_CONTEXT_MINOR_VERSION;
import static org.lwjgl.egl.EGL15.EGL_CONTEXT_OPENGL_CORE_PROFILE_BIT;
import static org.lwjgl.egl.EGL15.EGL_CONTEXT_OPENGL_PROFILE_MASK;

import java.nio.IntBuffer;
import org.lwjgl.PointerBuffer;
import org.lwjgl.egl.EGL;
import org.lwjgl.egl.EGL10;
import org.lwjgl.egl.EGLCapabilities;
import org.lwjgl.system.JNI;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.system.MemoryUtil;

/**
 * An OpenGL 3.3 core context on Mesa's EGL "surfaceless" platform: no window, no pbuffer, no X
 * server; rendering goes to framebuffer objects. Used by the offscreen target.
 *
 * <p>The EGL display is shared by every context in the process and terminated when the last one
 * closes (an {@code eglTerminate} would pull it from under the others).
 *
 * <p>Threads: created on, made current on and closed on the render thread that owns it.
 */
final class EglSurfacelessContext implements AutoCloseable {

    /** {@code EGL_PLATFORM_SURFACELESS_MESA} (EGL_MESA_platform_surfaceless); LWJGL has no constant for it. */
    private static final int EGL_PLATFORM_SURFACELESS_MESA = 0x31DD;

    private static long sharedDisplay = EGL_NO_DISPLAY;
    private static int displayUsers;

    private final long display;
    private final long context;
    private boolean closed;

    private EglSurfacelessContext(long display, long context) {
        this.display = display;
        this.context = context;
    }

    /**
     * Creates the context and makes it current on the calling thread.
     *
     * @throws RenderException saying what is missing when Mesa's EGL, the surfaceless platform or a
     *         3.3 core context is not available
     */
    static EglSurfacelessContext createCurrent() {
        GlFunctions.load();
        long display = acquireDisplay();
        try (MemoryStack stack = MemoryStack.stackPush()) {
            if (!eglBindAPI(EGL_OPENGL_API)) {
                throw new RenderException("eglBindAPI(EGL_OPENGL_API) failed (" + eglError()
                        + "): this EGL has no desktop OpenGL; install libegl-mesa0");
            }
            PointerBuffer config = stack.mallocPointer(1);
            IntBuffer count = stack.mallocInt(1);
            // Surfaceless contexts draw to FBOs only; Mesa offers configs with or without
            // EGL_PBUFFER_BIT depending on version, so ask for no surface type at all.
            IntBuffer attribs = stack.ints(
                    EGL_RENDERABLE_TYPE,
                    EGL_OPENGL_BIT,
                    EGL_SURFACE_TYPE,
                    0,
                    EGL_RED_SIZE,
                    8,
                    EGL_GREEN_SIZE,
                    8,
                    EGL_BLUE_SIZE,
                    8,
                    EGL_ALPHA_SIZE,
                    8,
                    EGL_NONE);
            if (!eglChooseConfig(display, attribs, config, count) || count.get(0) == 0) {
                throw new RenderException("no EGL config with desktop OpenGL and 8-bit RGBA (" + eglError() + ")");
            }
            IntBuffer contextAttribs = stack.ints(
                    EGL_CONTEXT_MAJOR_VERSION,
                    3,
                    EGL_CONTEXT_MINOR_VERSION,
                    3,
                    EGL_CONTEXT_OPENGL_PROFILE_MASK,
                    EGL_CONTEXT_OPENGL_CORE_PROFILE_BIT,
                    EGL_NONE);
            long context = EGL10.eglCreateContext(display, config.get(0), EGL_NO_CONTEXT, contextAttribs);
            if (context == EGL_NO_CONTEXT) {
                throw new RenderException("eglCreateContext for OpenGL 3.3 core failed (" + eglError() + ")");
            }
            if (!eglMakeCurrent(display, EGL_NO_SURFACE, EGL_NO_SURFACE, context)) {
                String error = eglError();
                eglDestroyContext(display, context);
                throw new RenderException("eglMakeCurrent without a surface failed (" + error
                        + "): EGL_KHR_surfaceless_context missing?");
            }
            return new EglSurfacelessContext(display, context);
        } catch (RuntimeException e) {
            releaseDisplay();
            throw e;
        }
    }

    /** Releases the context from the calling thread and destroys it. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        eglMakeCurrent(display, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
        eglDestroyContext(display, context);
        // Frees EGL's per-thread state; the render thread is about to end.
        eglReleaseThread();
        releaseDisplay();
    }

    private static synchronized long acquireDisplay() {
        if (displayUsers == 0) {
            EGLCapabilities client = EGL.getCapabilities();
            String extensions = eglQueryString(EGL_NO_DISPLAY, EGL_EXTENSIONS);
            if (client.eglGetPlatformDisplay == MemoryUtil.NULL
                    || extensions == null
                    || !extensions.contains("EGL_MESA_platform_surfaceless")) {
                throw new RenderException("EGL has no surfaceless platform (client extensions: " + extensions
                        + "); install Mesa's EGL: the Debian packages libegl1 and libegl-mesa0");
            }
            // Called raw: LWJGL's eglGetPlatformDisplay wrapper insists on a non-null native display,
            // and the surfaceless platform requires EGL_DEFAULT_DISPLAY (null).
            long display = JNI.invokePPP(
                    EGL_PLATFORM_SURFACELESS_MESA, MemoryUtil.NULL, MemoryUtil.NULL, client.eglGetPlatformDisplay);
            if (display == EGL_NO_DISPLAY) {
                throw new RenderException("eglGetPlatformDisplay(surfaceless) failed (" + eglError() + ")");
            }
            try (MemoryStack stack = MemoryStack.stackPush()) {
                IntBuffer major = stack.mallocInt(1);
                IntBuffer minor = stack.mallocInt(1);
                if (!eglInitialize(display, major, minor)) {
                    throw new RenderException(
                            "eglInitialize(surfaceless) failed (" + eglError() + "); is libgl1-mesa-dri installed?");
                }
            }
            sharedDisplay = display;
        }
        displayUsers++;
        return sharedDisplay;
    }

    private static synchronized void releaseDisplay() {
        if (--displayUsers == 0) {
            eglTerminate(sharedDisplay);
            sharedDisplay = EGL_NO_DISPLAY;
        }
    }

    private static String eglError() {
        return "EGL error 0x" + Integer.toHexString(eglGetError());
    }
}
