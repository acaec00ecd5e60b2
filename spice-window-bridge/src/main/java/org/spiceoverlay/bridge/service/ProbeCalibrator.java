package org.spiceoverlay.bridge.service;

import org.spiceoverlay.api.Rect;

/**
 * Calibrates where a guest display lies inside the Spice client window from the placement probe
 * (the guest's player window shows {@code PlacementProbe}'s colour until the overlay covers it).
 * {@link CompositorVideoOutput} keeps a stream hidden until its display's window is calibrated in
 * its current state (normal or full screen), or calibration gave up.
 *
 * <p>Implementations are thread-safe.
 */
public interface ProbeCalibrator {

    /** Whether display {@code displayId}'s window, in its current state, still wants calibrating. */
    boolean needsCalibration(int displayId);

    /**
     * Looks for the probe at guest rectangle {@code probe} on screen now and calibrates from it
     * (blocking: grabs the screen).
     *
     * @return whether it was found and explained
     */
    boolean calibrate(int displayId, int displayWidth, int displayHeight, Rect probe);

    /** Stops trying for the window's current state: its default layout stays. */
    void keepDefaults(int displayId);
}
