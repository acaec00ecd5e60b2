package org.spiceoverlay.media;

import org.freedesktop.gstreamer.Gst;
import org.freedesktop.gstreamer.Version;

/**
 * Initialises GStreamer for the clip generator, once per process, unless something has already
 * (the engine does the same). GStreamer's trap for SIGSEGV while loading a plugin is turned off:
 * the JVM raises SIGSEGV on purpose, and with the trap on a plugin loading on one thread while Java
 * runs on another ends the process.
 *
 * <p>Thread-safe.
 */
final class MediaGst {

    private MediaGst() {}

    static synchronized void ensureInitialised() {
        if (Gst.isInitialized()) {
            return;
        }
        try {
            Gst.init(Version.of(1, 16), "spice-overlay", "--gst-disable-segtrap");
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw new IllegalStateException(
                    "GStreamer 1.x libraries not found: install gstreamer1.0-tools and "
                            + "gstreamer1.0-plugins-{base,good,bad,ugly} gstreamer1.0-libav (./overlay setup does)",
                    e);
        }
    }
}
