package org.spiceoverlay.bridge.service;

import java.util.Optional;
import org.spiceoverlay.engine.FrameSink;

/**
 * Where the client service sends each stream's decoded frames and guest placement: the on-screen
 * compositor over the Spice window, or a headless output. Implementations are thread-safe.
 */
public interface VideoOutput extends AutoCloseable {

    /** A new stream's view. {@code name} is for logs. */
    StreamView open(String name);

    /** One stream as the output shows it. Thread-safe; {@link #close()} is idempotent. */
    interface StreamView extends AutoCloseable {

        /** Where the decoder hands frames (latest wins for display outputs). */
        FrameSink frames();

        /** The stream's new placement on the guest display. */
        void place(GuestPlacement placement);

        /**
         * Tells {@code listener} whenever the Spice client stops or starts showing the guest display
         * the stream is on (its window minimised, closed or gone: false; shown again: true); the
         * first call comes only when the display is not shown at the stream's first placement.
         * Called on the thread that lays the output out; it must return quickly. Outputs that show
         * nothing on a screen never call it.
         */
        default void watchVisibility(java.util.function.Consumer<Boolean> listener) {}

        /** Frames shown so far, and frames dropped without being shown. */
        long framesPresented();

        long framesDropped();

        /**
         * What the screen showed of the stream: repeated refreshes and the latency of the frames
         * presented since the previous call, which starts a new interval (the stream's QoS report
         * is the one caller). Empty when the output shows nothing on a screen (frames are only
         * decoded and counted): there is no present to measure.
         */
        Optional<PresentQos> takePresentQos();

        @Override
        void close();
    }

    @Override
    void close();
}
