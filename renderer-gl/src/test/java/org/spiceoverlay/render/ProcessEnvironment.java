package org.spiceoverlay.render;

import static org.lwjgl.system.MemoryUtil.NULL;
import static org.lwjgl.system.MemoryUtil.memAddress;

import java.nio.ByteBuffer;
import org.lwjgl.system.JNI;
import org.lwjgl.system.Library;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.system.SharedLibrary;

/**
 * Sets an environment variable of this very process (libc's {@code setenv}), which Java cannot:
 * GLFW opens the X display named by {@code DISPLAY}, and a test that starts its own Xvfb on a free
 * display number learns that number only at run time.
 *
 * <p>Threads: call it before the code that reads the variable starts, from one thread; libc's
 * environment is not safe against concurrent readers while it changes.
 */
final class ProcessEnvironment {

    private ProcessEnvironment() {}

    static synchronized void set(String name, String value) {
        try (SharedLibrary libc = Library.loadNative(ProcessEnvironment.class, "org.lwjgl", "libc.so.6");
                MemoryStack stack = MemoryStack.stackPush()) {
            long setenv = libc.getFunctionAddress("setenv");
            if (setenv == NULL) {
                throw new IllegalStateException("libc.so.6 has no setenv");
            }
            ByteBuffer n = stack.UTF8(name);
            ByteBuffer v = stack.UTF8(value);
            if (JNI.invokePPI(memAddress(n), memAddress(v), 1, setenv) != 0) {
                throw new IllegalStateException("setenv(" + name + ") failed");
            }
        }
    }
}
