package org.spiceoverlay.render;

/**
 * What drives the compositor's refreshes.
 *
 * <p>Enum constants are safe to share between threads.
 */
public enum RefreshMode {
    /**
     * The render thread refreshes on its own at {@link CompositorOptions#refreshHz()}: vsync'd
     * swaps where the display has vsync, and never faster than that rate where it has none (Xvfb,
     * offscreen), so an idle compositor does not spin. What the client uses.
     */
    TIMED,
    /**
     * A refresh happens only when {@link Compositor#refresh()} asks for one and the call returns
     * its {@link RefreshReport}: deterministic, for tests and benchmarks.
     */
    MANUAL
}
