package org.spiceoverlay.bridge.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spiceoverlay.api.GuestToScreenMapping;
import org.spiceoverlay.api.Rect;
import org.spiceoverlay.api.Region;
import org.spiceoverlay.api.VideoFrame;
import org.spiceoverlay.engine.FrameSink;
import org.spiceoverlay.render.Compositor;
import org.spiceoverlay.render.Placement;
import org.spiceoverlay.render.StreamLayer;

/**
 * Shows the streams with the GL compositor: each stream is a compositor layer, and its guest
 * placement is mapped to screen pixels through the {@link DisplayLayout} (the letterboxed guest
 * display inside the Spice window), clipped to what the guest display shows.
 *
 * <p>Thread-safe; the compositor does the drawing on its own thread.
 */
public final class CompositorVideoOutput implements VideoOutput {

    private static final Logger LOG = LoggerFactory.getLogger(CompositorVideoOutput.class);

    /** How long calibration looks for the probe before the default layout is used. */
    static final long CALIBRATION_GIVE_UP_MS = 2_000;

    private static final long CALIBRATION_RETRY_MS = 100;

    private final Compositor compositor;
    private final DisplayLayout layout;
    private final ProbeCalibrator calibrator;
    private final List<View> views = new CopyOnWriteArrayList<>();
    private final Set<Integer> calibrating = ConcurrentHashMap.newKeySet();
    private final ExecutorService calibration;

    public CompositorVideoOutput(Compositor compositor, DisplayLayout layout) {
        this(compositor, layout, null);
    }

    /**
     * @param calibrator calibrates each display's window from the placement probe before a stream
     *                   covers it, or null to trust the layout as it is
     */
    public CompositorVideoOutput(Compositor compositor, DisplayLayout layout, ProbeCalibrator calibrator) {
        this.compositor = Objects.requireNonNull(compositor, "compositor");
        this.layout = Objects.requireNonNull(layout, "layout");
        this.calibrator = calibrator;
        this.calibration = calibrator == null
                ? null
                : Executors.newSingleThreadExecutor(r -> {
                    Thread t = new Thread(r, "overlay-calibration");
                    t.setDaemon(true);
                    return t;
                });
    }

    /**
     * Calibrates display {@code p.displayId()} on the calibration thread: the stream stays hidden
     * meanwhile, so the probe is visible; retried until found or {@link #CALIBRATION_GIVE_UP_MS}.
     */
    private void requestCalibration(GuestPlacement p) {
        if (!calibrating.add(p.displayId())) {
            return;
        }
        calibration.execute(() -> {
            try {
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CALIBRATION_GIVE_UP_MS);
                while (calibrator.needsCalibration(p.displayId())) {
                    if (calibrator.calibrate(p.displayId(), p.displayWidth(), p.displayHeight(), p.videoRect())) {
                        break;
                    }
                    if (System.nanoTime() > deadline) {
                        calibrator.keepDefaults(p.displayId());
                        break;
                    }
                    Thread.sleep(CALIBRATION_RETRY_MS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.warn("calibrating display {} failed: {}", p.displayId(), e.toString());
                calibrator.keepDefaults(p.displayId());
            } finally {
                calibrating.remove(p.displayId());
                relayout();
            }
        });
    }

    public Compositor compositor() {
        return compositor;
    }

    @Override
    public StreamView open(String name) {
        View v = new View(compositor.addStream(name));
        views.add(v);
        return v;
    }

    /** Re-places every stream (the Spice window moved or resized, or a display changed). */
    public void relayout() {
        for (View v : views) {
            v.apply();
        }
    }

    /** The screen placement of a guest placement under a mapping (hidden when not shown). */
    static Placement toScreen(GuestPlacement p, GuestToScreenMapping m) {
        if (m == null || !p.showsVideo()) {
            return Placement.HIDDEN;
        }
        Rect display = m.displayRect();
        // Every pixel the player's video touches, even in part: under a fractional scale Spice blends
        // the player window's edge into the pixels its edges cross, which would show as a line.
        Rect rect = m.toScreenCovering(p.videoRect());
        Region visible = m.toScreen(p.visible());
        // Those edge pixels join the visible part where they border it (not along a window that
        // covers the video: that window's own edge pixels stay its own).
        Region edges = Region.of(rect).subtract(m.toScreen(p.videoRect()));
        visible = visible.union(edges.intersect(grown(visible)));
        // Only what the Spice window shows of the guest display can be covered.
        visible = visible.intersect(display);
        if (visible.isEmpty()) {
            return Placement.HIDDEN;
        }
        return new Placement(rect, visible, false);
    }

    /** The region grown by one pixel on every side. */
    private static Region grown(Region r) {
        List<Rect> out = new ArrayList<>(r.rectCount());
        for (Rect x : r.rects()) {
            out.add(Rect.ofEdges(x.x() - 1, x.y() - 1, x.right() + 1, x.bottom() + 1));
        }
        return Region.of(out);
    }

    @Override
    public void close() {
        if (calibration != null) {
            calibration.shutdownNow();
        }
        for (View v : views) {
            v.close();
        }
        compositor.close();
    }

    private final class View implements StreamView, FrameSink {
        private final StreamLayer layer;
        private volatile GuestPlacement placement;
        private volatile Consumer<Boolean> visibility = v -> {};
        /** What the guest was last told: null before the first placement (shown is assumed). */
        private Boolean shownReported;

        View(StreamLayer layer) {
            this.layer = layer;
        }

        void apply() {
            GuestPlacement p = placement;
            if (p != null && calibrator != null && p.showsVideo() && calibrator.needsCalibration(p.displayId())) {
                layer.place(Placement.HIDDEN);
                requestCalibration(p);
                return;
            }
            if (p != null) {
                GuestToScreenMapping m = layout.mappingFor(p.displayId(), p.displayWidth(), p.displayHeight());
                layer.place(toScreen(p, m));
                reportShown(m != null);
            }
        }

        /** Tells the guest when the Spice client stops or starts showing the stream's display. */
        private synchronized void reportShown(boolean shown) {
            if (shownReported == null ? !shown : shownReported != shown) {
                visibility.accept(shown);
            }
            shownReported = shown;
        }

        @Override
        public void watchVisibility(Consumer<Boolean> listener) {
            visibility = Objects.requireNonNull(listener, "listener");
        }

        @Override
        public FrameSink frames() {
            return this;
        }

        @Override
        public void onFrame(VideoFrame frame) {
            layer.submit(frame);
        }

        @Override
        public void flush() {
            // A seek: the frame waiting in the layer is from before it and must not be shown.
            layer.flush();
        }

        @Override
        public void place(GuestPlacement p) {
            placement = p;
            apply();
        }

        @Override
        public long framesPresented() {
            return layer.stats().presented();
        }

        @Override
        public long framesDropped() {
            return layer.stats().dropped();
        }

        @Override
        public Optional<PresentQos> takePresentQos() {
            return Optional.of(PresentQos.takeFrom(layer));
        }

        @Override
        public void close() {
            views.remove(this);
            layer.close();
        }
    }
}
