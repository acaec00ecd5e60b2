package org.spiceoverlay.bridge.service;

import java.util.Objects;
import org.spiceoverlay.render.PresentLatency;
import org.spiceoverlay.render.StreamLayer;

/**
 * What an output that draws on a screen measured for one stream: refreshes that showed its
 * previous frame again (since the stream started), and the received-to-on-screen latency of the
 * frames it presented since the previous report.
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param framesRepeated refreshes in which the stream was shown and no newer frame was due
 * @param latency        received on this machine to presented after the buffer swap, over the
 *                       frames presented since the previous report
 */
public record PresentQos(long framesRepeated, PresentLatency latency) {

    public PresentQos {
        if (framesRepeated < 0) {
            throw new IllegalArgumentException("framesRepeated must be >= 0, got " + framesRepeated);
        }
        Objects.requireNonNull(latency, "latency");
    }

    /**
     * A compositor layer's figures; takes its latency interval (see
     * {@link StreamLayer#takePresentLatency()}), so a new one starts.
     */
    public static PresentQos takeFrom(StreamLayer layer) {
        return new PresentQos(layer.stats().repeated(), layer.takePresentLatency());
    }
}
