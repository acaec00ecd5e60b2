package org.spiceoverlay.bridge.window;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.spiceoverlay.api.Rect;
import org.spiceoverlay.bridge.service.ProbeCalibrator;

/**
 * Probe calibration through an {@link X11WindowTracker}: each client window is calibrated once per
 * state (normal, full screen); the tracker keeps the insets found for later moves and resizes.
 *
 * <p>Thread-safe.
 */
public final class TrackerCalibrator implements ProbeCalibrator {

    private final X11WindowTracker tracker;
    /** "windowId/fullScreen" of every window state calibrated or given up on. */
    private final Set<String> settled = ConcurrentHashMap.newKeySet();

    public TrackerCalibrator(X11WindowTracker tracker) {
        this.tracker = Objects.requireNonNull(tracker, "tracker");
    }

    private Optional<String> stateOf(int displayId) {
        return tracker.window(displayId).filter(ClientWindow::shown).map(w -> w.windowId() + "/" + w.fullScreen());
    }

    @Override
    public boolean needsCalibration(int displayId) {
        return stateOf(displayId).map(k -> !settled.contains(k)).orElse(false);
    }

    @Override
    public boolean calibrate(int displayId, int displayWidth, int displayHeight, Rect probe) {
        Optional<String> key = stateOf(displayId);
        if (key.isEmpty()) {
            return false;
        }
        ProbeCalibration.Result r;
        try {
            r = tracker.calibrate(displayId, displayWidth, displayHeight, probe);
        } catch (IllegalStateException e) {
            return false; // the window went away meanwhile
        }
        if (r.solved()) {
            settled.add(key.get());
        }
        return r.solved();
    }

    @Override
    public void keepDefaults(int displayId) {
        stateOf(displayId).ifPresent(settled::add);
    }
}
