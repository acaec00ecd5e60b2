package org.spiceoverlay.render;

/**
 * What drives the compositor's refreshes.
 *
 * <p>Enum constants are safe to share between threads.
 */
public enum RefreshMode {
    /**
     * The render thread refreshes on its own at {@link CompositorOptions#refreshHz()} (for moves,
     * resizes and damage: vsync'd swaps where the display has vsync, never faster than that rate
     * where it has none, so an idle compositor does not spin), and at once when a stream is handed
     * a frame, so no frame waits for the next tick (at most two refreshes per period, so a flood
     * of frames is not drawn frame by frame). What the client uses.
     */
    TIMED,
    /**
     * A refresh happens only when {@link Compositor#refresh()} asks for one and the call returns
     * its {@link RefreshReport}: deterministic, for tests and benchmarks.
     */
    MANUAL
}
