package org.spiceoverlay.engine.gst;

import org.freedesktop.gstreamer.Gst;
import org.freedesktop.gstreamer.Version;

/**
 * Initialises GStreamer once per process. Never de-initialised: GStreamer cannot be re-initialised
 * after {@code gst_deinit}, and sessions come and go for the life of the client.
 *
 * <p>Thread-safe; any thread may call {@link #ensureInitialised()}.
 */
public final class GstRuntime {

    /** The GStreamer API level the bindings are asked for (the runtime here is 1.22). */
    private static final Version REQUIRED = Version.of(1, 16);

    private static boolean initialised;

    private GstRuntime() {}

    /**
     * Initialises GStreamer if nothing has yet.
     *
     * @throws IllegalStateException with what to install when the GStreamer libraries are missing
     */
    public static synchronized void ensureInitialised() {
        if (initialised) {
            return;
        }
        try {
            disableSegfaultTrap();
            // Another library in the process may have initialised it already; that is fine.
            if (!Gst.isInitialized()) {
                Gst.init(REQUIRED, "spice-overlay");
            }
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw new IllegalStateException(
                    "GStreamer 1.x libraries not found: install gstreamer1.0-tools and "
                            + "gstreamer1.0-plugins-{base,good,bad,ugly} gstreamer1.0-libav (./overlay setup does)",
                    e);
        }
        initialised = true;
    }

    /**
     * GStreamer traps SIGSEGV while it loads a plugin, to blame a broken plugin. The JVM raises
     * SIGSEGV on purpose (implicit null checks, safepoints), so with the trap installed a plugin
     * loading on one thread while Java code runs on another makes GStreamer report a crashed
     * plugin and exit the process. The trap must be off in a JVM.
     */
    private static void disableSegfaultTrap() {
        com.sun.jna.NativeLibrary gst = com.sun.jna.NativeLibrary.getInstance("gstreamer-1.0");
        gst.getFunction("gst_segtrap_set_enabled").invokeVoid(new Object[] {0});
    }

    /** The runtime GStreamer version, e.g. "GStreamer 1.22.0". */
    public static String versionString() {
        ensureInitialised();
        return Gst.getVersionString();
    }
}
