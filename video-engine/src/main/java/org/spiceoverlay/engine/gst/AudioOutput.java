package org.spiceoverlay.engine.gst;

import org.freedesktop.gstreamer.Bin;
import org.freedesktop.gstreamer.Element;
import org.freedesktop.gstreamer.ElementFactory;
import org.freedesktop.gstreamer.State;
import org.freedesktop.gstreamer.StateChangeReturn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses where decoded audio goes: the machine's audio device through {@code autoaudiosink}, or,
 * on a machine without one (servers, CI), a clock-synced {@code fakesink} so that timing and A/V
 * sync behave exactly as with a device.
 *
 * <p>Immutable after {@link #probe()}; safe to share between threads.
 */
final class AudioOutput {

    private static final Logger LOG = LoggerFactory.getLogger(AudioOutput.class);

    private final boolean device;

    private AudioOutput(boolean device) {
        this.device = device;
    }

    /** Looks once for a working audio device. */
    static AudioOutput probe() {
        GstRuntime.ensureInitialised();
        if (!anyAudioServiceVisible()) {
            // Nothing to open: skip autoaudiosink, whose probing only fills stderr with ALSA errors.
            LOG.info("no audio device or sound server: audio is decoded and timed, not heard");
            return new AudioOutput(false);
        }
        Element auto = ElementFactory.make("autoaudiosink", null);
        if (auto == null) {
            LOG.info("autoaudiosink is missing: audio is decoded and timed but not played");
            return new AudioOutput(false);
        }
        boolean works = false;
        try {
            StateChangeReturn r = auto.setState(State.READY);
            if (r != StateChangeReturn.FAILURE && auto instanceof Bin bin) {
                // autoaudiosink falls back to a fakesink of its own when no device opens.
                works = bin.getElements().stream()
                        .noneMatch(e -> e.getFactory() != null
                                && "fakesink".equals(e.getFactory().getName()));
            }
        } finally {
            auto.setState(State.NULL);
            auto.dispose();
        }
        LOG.info(works ? "audio goes to the audio device" : "no audio device: audio is decoded and timed, not heard");
        return new AudioOutput(works);
    }

    /** A sound card, or a PulseAudio/PipeWire server socket, is there to try. */
    private static boolean anyAudioServiceVisible() {
        if (java.nio.file.Files.isDirectory(java.nio.file.Path.of("/dev/snd"))) {
            return true;
        }
        if (System.getenv("PULSE_SERVER") != null) {
            return true;
        }
        String runtime = System.getenv("XDG_RUNTIME_DIR");
        return runtime != null
                && (java.nio.file.Files.exists(java.nio.file.Path.of(runtime, "pulse", "native"))
                        || java.nio.file.Files.exists(java.nio.file.Path.of(runtime, "pipewire-0")));
    }

    boolean hasDevice() {
        return device;
    }

    /** A new sink; {@code sync} false for live streams (play as soon as decoded). */
    Element create(boolean sync) {
        Element sink = ElementFactory.make(device ? "autoaudiosink" : "fakesink", "asink");
        if (sink.listPropertyNames().contains("sync")) {
            sink.set("sync", sync);
        }
        return sink;
    }
}
