package org.spiceoverlay.guest.x11;

import org.spiceoverlay.x11.X11Exception;

/**
 * Checks, without touching a JNA class, that JNA is on the class path: the guest library declares
 * it optional, so a vendor who uses this package without declaring it gets a clear error instead of
 * a {@code NoClassDefFoundError} from deep inside. Any thread.
 */
final class NativeSupport {

    private NativeSupport() {}

    static void require() throws X11Exception {
        try {
            Class.forName("com.sun.jna.Native", false, NativeSupport.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new X11Exception(
                    X11Exception.Reason.NATIVE_LIBRARY_MISSING,
                    "the X11 helper needs JNA on the class path: add net.java.dev.jna:jna "
                            + "(an optional dependency of guest-video-proxy)",
                    e);
        }
    }
}
