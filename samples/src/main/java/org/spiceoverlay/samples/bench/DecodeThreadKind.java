package org.spiceoverlay.samples.bench;

import java.util.List;

/** The kinds of thread a decode benchmark's CPU is broken down by, told apart by their kernel names. */
public enum DecodeThreadKind {
    /** GStreamer's streaming threads and the decoders' worker threads (named after the streaming thread);
     *  the engine's Java callbacks (new-sample, pad probes) run here too. */
    GSTREAMER("gstreamer"),
    /** The JVM's C1/C2 compiler threads. */
    JIT("jit"),
    /** The garbage collector's threads. */
    GC("gc"),
    /** This benchmark's thread that pushes the samples (the compressed copy happens here). */
    PUSHER("pusher"),
    /** The Java main thread: takes frames, reads numbers, opens and closes the session. */
    CONSUMER("consumer"),
    /** Everything else in the JVM: VM thread, reference handling, JNA cleaner, the engine's event thread,
     *  gst1-java-core's "gstreamer service" executor. */
    OTHER("other");

    private final String label;

    DecodeThreadKind(String label) {
        this.label = label;
    }

    /** The name in the JSON report. */
    String label() {
        return label;
    }

    /** The kind of the thread with this kernel name (at most 15 characters of its name). */
    static DecodeThreadKind of(String kernelName) {
        if (kernelName.startsWith("C1 Compiler")
                || kernelName.startsWith("C2 Compiler")
                || kernelName.startsWith("Sweeper")) {
            return JIT;
        }
        if (kernelName.startsWith("GC Thread") || kernelName.startsWith("G1 ")) {
            return GC;
        }
        if (kernelName.startsWith("bench-pusher")) {
            return PUSHER;
        }
        // The launcher's thread running main() keeps the process's name.
        if (kernelName.equals("java") || kernelName.equals("main")) {
            return CONSUMER;
        }
        for (String jvm : List.of(
                "VM ",
                "JNA ",
                "NativeObject",
                "engine-events",
                "Reference",
                "Finalizer",
                "Signal",
                "Common-Cleaner",
                "Monitor",
                "Service Thread",
                "Notification",
                "process reaper",
                "Attach",
                "JFR",
                "pool-",
                "gstreamer serv")) {
            if (kernelName.startsWith(jvm)) {
                return OTHER;
            }
        }
        return GSTREAMER;
    }
}
