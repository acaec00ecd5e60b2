package org.spiceoverlay.bridge.window;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * Sets an environment variable of this very process (libc's {@code setenv}), which Java cannot:
 * the on-screen compositor (GLFW) opens the X display named by {@code DISPLAY}, and the test's
 * client display number is known only at run time.
 *
 * <p>Public for other modules' tests (the samples' end-to-end tests), through this module's test jar.
 *
 * <p>Threads: call before the code that reads the variable starts.
 */
public final class ProcessEnvironment {

    private interface C extends Library {
        int setenv(String name, String value, int overwrite);

        int unsetenv(String name);
    }

    private static final C LIBC = Native.load("c", C.class);

    private ProcessEnvironment() {}

    public static synchronized void set(String name, String value) {
        if (LIBC.setenv(name, value, 1) != 0) {
            throw new IllegalStateException("setenv(" + name + ") failed");
        }
    }

    /**
     * Puts the variable back as this JVM started with it ({@link System#getenv} keeps the values at
     * start-up): later tests in the same JVM must not find a display that is gone.
     */
    public static synchronized void restore(String name) {
        String original = System.getenv(name);
        if (original != null) {
            set(name, original);
        } else if (LIBC.unsetenv(name) != 0) {
            throw new IllegalStateException("unsetenv(" + name + ") failed");
        }
    }
}
