package org.spiceoverlay.render;

/**
 * Told about each refresh after its swap (or, offscreen, after its {@code glFinish}): which new
 * frames were presented and what the refresh cost. The client uses it for latency figures
 * ({@link PresentedFrame#latencyNanos()}) and QoS reports.
 *
 * <p>Threads: called on the render thread. Must return quickly, must not block and must not call
 * the {@link Compositor}'s blocking methods ({@link Compositor#refresh()},
 * {@link Compositor#readPixels}, {@link Compositor#close()}); hand the report to another thread if
 * there is real work to do. An exception it throws is logged and otherwise ignored.
 */
@FunctionalInterface
public interface PresentListener {

    /** Does nothing. */
    PresentListener NONE = report -> {};

    void refreshed(RefreshReport report);
}
