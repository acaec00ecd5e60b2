package org.spiceoverlay.render;

import java.nio.ByteBuffer;
import org.lwjgl.egl.EGL;
import org.lwjgl.egl.EGL10;
import org.lwjgl.opengl.GL;
import org.lwjgl.system.Configuration;
import org.lwjgl.system.FunctionProvider;
import org.lwjgl.system.MemoryStack;

/**
 * Loads the OpenGL entry points once per process, the same way for every kind of context the
 * renderer makes (EGL surfaceless offscreen, GLX behind GLFW on screen).
 *
 * <p>LWJGL's default would load {@code libGL.so.1} (GLX) as soon as the {@code GL} class
 * initialises, which drags in X11 and breaks the X-less offscreen path; so explicit init is
 * switched on first and the functions come from {@code eglGetProcAddress}. Under libglvnd (Debian's
 * libEGL/libGL) that returns libGLdispatch stubs that dispatch to whichever context is current on
 * the calling thread, EGL or GLX alike, so one function table serves both.
 *
 * <p>Threads: any; {@link #load()} is synchronized and idempotent.
 */
final class GlFunctions {

    private static boolean loaded;

    private GlFunctions() {}

    /**
     * Makes {@code GL.createCapabilities()} usable on any thread that has a context current.
     *
     * @throws RenderException naming the package to install when libEGL cannot be loaded
     */
    static synchronized void load() {
        if (loaded) {
            return;
        }
        Configuration.OPENGL_EXPLICIT_INIT.set(true);
        try {
            EGL.getFunctionProvider();
        } catch (Throwable e) {
            throw new RenderException(
                    "cannot load libEGL.so.1 (install the Debian packages libegl1 and libegl-mesa0): " + e.getMessage(),
                    e);
        }
        GL.create(new FunctionProvider() {
            @Override
            public long getFunctionAddress(ByteBuffer functionName) {
                return EGL10.eglGetProcAddress(functionName);
            }

            @Override
            public long getFunctionAddress(CharSequence functionName) {
                try (MemoryStack stack = MemoryStack.stackPush()) {
                    return getFunctionAddress(stack.ASCII(functionName));
                }
            }
        });
        loaded = true;
    }
}
