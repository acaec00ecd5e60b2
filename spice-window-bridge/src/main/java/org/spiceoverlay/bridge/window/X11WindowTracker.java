package org.spiceoverlay.bridge.window;

import com.sun.jna.Pointer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spiceoverlay.api.GuestToScreenMapping;
import org.spiceoverlay.api.Rect;
import org.spiceoverlay.bridge.service.DisplayLayout;
import org.spiceoverlay.x11.X11Exception;
import org.spiceoverlay.x11.XConnection;
import org.spiceoverlay.x11.Xlib;

/**
 * Follows the Spice client's windows on an X display and says where each guest display is on the
 * screen: the {@link DisplayLayout} of the overlay.
 *
 * <p>It finds the windows the {@link ClientWindowProfile} recognises (and the
 * {@link WindowSelector} selects), one per guest display, and follows them through X events, not
 * by polling: on the root window it listens for windows appearing, vanishing, being mapped,
 * reparented or moved (SubstructureNotify) and for the current desktop and client list
 * (PropertyChange); on each followed window for its own moves, resizes, map and unmap
 * (StructureNotify) and its state properties (PropertyChange: {@code WM_STATE},
 * {@code _NET_WM_STATE} hidden/full screen, {@code _NET_WM_DESKTOP}, the title). Events only
 * trigger a re-read: every batch of pending events is answered by reading the windows' state again
 * (position on the root with XTranslateCoordinates, since window managers reparent clients into
 * frames), and listeners are told when anything they could see changed. A window that closes and a
 * new one that appears are both a change; {@link #mappingFor} is null while a display's window is
 * unmapped, minimised, on another desktop or gone.
 *
 * <p>The display area inside a window is the profile's rule with insets per window state (normal,
 * full screen): the profile's measured defaults, or what {@link #calibrate} solved from the
 * placement probe.
 *
 * <p>Threads: all public methods may be called from any thread. The tracker has its own X
 * connection, whose thread does every X call ({@link ClientWindowSearch}); {@link #calibrate} and
 * {@link #grab} hand their X work to it and wait, so they must not be called from a listener. Listeners run on
 * the event thread: they must return quickly and not block (placing compositor layers, as
 * {@code CompositorVideoOutput.relayout()} does, is fine).
 */
public final class X11WindowTracker implements DisplayLayout, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(X11WindowTracker.class);

    /** Told about every change of the followed windows or their insets. */
    @FunctionalInterface
    public interface Listener {
        /** Runs on the tracker's event thread; must return quickly, must not block, must not throw. */
        void layoutChanged(LayoutChange change);
    }

    /**
     * A change.
     *
     * @param windows every followed window now
     * @param eventNanos when the first X event of the change was read ({@link System#nanoTime()}),
     *        or when the change was made by a call (calibration)
     * @param readNanos when the windows' state had been read again, just before listeners were told
     */
    public record LayoutChange(List<ClientWindow> windows, long eventNanos, long readNanos) {
        public LayoutChange {
            windows = List.copyOf(windows);
        }
    }

    private final XConnection x;
    private final Rect screen;
    private final ClientWindowProfile profile;
    private final ClientWindowSearch search;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean closed;
    private volatile List<ClientWindow> windows = List.of();
    private volatile Insets normalInsets;
    private volatile Insets fullScreenInsets;
    /** The overlay windows' WM_CLASS instance, or null (see {@link #keepOverlayAbove}). */
    private volatile String overlayClass;

    private X11WindowTracker(XConnection x, ClientWindowProfile profile, WindowSelector selector) {
        this.x = x;
        this.screen = ScreenGrabber.screenOf(x);
        this.profile = profile;
        this.search = new ClientWindowSearch(x, profile, selector);
        this.normalInsets = profile.defaultInsets(false);
        this.fullScreenInsets = profile.defaultInsets(true);
    }

    /**
     * Starts following the client's windows on X display {@code xDisplay} (e.g. ":1"; null for
     * {@code DISPLAY}). Returns once the windows present now have been found (there may be none
     * yet: they are picked up when they appear).
     *
     * @throws IllegalStateException when the display cannot be opened
     */
    public static X11WindowTracker open(String xDisplay, ClientWindowProfile profile, WindowSelector selector) {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(selector, "selector");
        XConnection x;
        try {
            x = XConnection.open(xDisplay, "x11-window-tracker");
        } catch (X11Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        X11WindowTracker t;
        try {
            t = new X11WindowTracker(x, profile, selector);
            x.callUnchecked(() -> {
                // On the connection's thread, before any event is read: none is missed.
                x.setHandler(t.new Events());
                t.search.selectRootEvents();
                t.refresh(true, System.nanoTime());
                return null;
            });
        } catch (RuntimeException e) {
            x.close();
            throw e;
        }
        LOG.info("following {} windows ({}) on {}: {}", profile.name(), selector, x.name(), t.windows);
        return t;
    }

    public ClientWindowProfile profile() {
        return profile;
    }

    public void addListener(Listener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void removeListener(Listener listener) {
        listeners.remove(listener);
    }

    /** Every followed window as of the latest events. */
    public List<ClientWindow> windows() {
        return windows;
    }

    /** The window showing guest display {@code displayId}: a shown one first, else any. */
    public Optional<ClientWindow> window(int displayId) {
        return windows.stream()
                .filter(w -> w.displayId() == displayId)
                .max(Comparator.comparing(ClientWindow::shown).thenComparing(ClientWindow::windowId));
    }

    /** The insets in use for windows in the given state. */
    public Insets insets(boolean fullScreen) {
        return fullScreen ? fullScreenInsets : normalInsets;
    }

    /** Replaces the insets for a window state (e.g. from configuration), and tells the listeners. */
    public void setInsets(boolean fullScreen, Insets insets) {
        Objects.requireNonNull(insets, "insets");
        if (fullScreen) {
            fullScreenInsets = insets;
        } else {
            normalInsets = insets;
        }
        long now = System.nanoTime();
        onConnectionThread(() -> {
            tell(new LayoutChange(windows, now, System.nanoTime()));
            return null;
        });
    }

    /**
     * Keeps the overlay windows (top-level windows whose {@code WM_CLASS} instance is
     * {@code overlayInstance}, e.g. the compositor's "spice-overlay") stacked over the followed
     * client window by making them transient for it ({@code WM_TRANSIENT_FOR}): window managers
     * keep a transient above its owner even when the owner is full screen, which puts a focused
     * full-screen window above every "above" window (openbox, EWMH). Follows new overlay and client
     * windows.
     */
    public void keepOverlayAbove(String overlayInstance) {
        overlayClass = Objects.requireNonNull(overlayInstance, "overlayInstance");
        onConnectionThread(() -> {
            refresh(true, System.nanoTime());
            return null;
        });
    }

    @Override
    public GuestToScreenMapping mappingFor(int displayId, int displayWidth, int displayHeight) {
        ClientWindow w = window(displayId).orElse(null);
        if (w == null || !w.shown()) {
            return null;
        }
        return profile.place(w.bounds(), insets(w.fullScreen()), displayWidth, displayHeight);
    }

    /**
     * Calibrates the insets of guest display {@code displayId}'s window in its current state (normal
     * or full screen) from the placement probe: the guest rectangle {@code probe} of a
     * {@code guestWidth x guestHeight} display shows {@code PlacementProbe}'s colour now. Grabs the
     * window's pixels, solves the insets ({@link ProbeCalibration}) and keeps them for that window
     * state, so later moves and resizes need no new probe. When no probe is found, or nothing
     * explains it, the insets stay as they are and a warning is logged. Call it while no overlay
     * covers the probe (before the stream is shown).
     *
     * @return what the calibration found
     * @throws IllegalStateException when the display's window is not on screen
     */
    public ProbeCalibration.Result calibrate(int displayId, int guestWidth, int guestHeight, Rect probe) {
        ClientWindow w = window(displayId)
                .filter(ClientWindow::shown)
                .orElseThrow(() -> new IllegalStateException(
                        "no window of guest display " + displayId + " is on screen to calibrate (" + windows + ")"));
        ScreenImage grab = grab(w.bounds());
        // The grab is clipped to the screen; solve in the window's own coordinates.
        ScreenImage inWindow = grab.area().equals(w.bounds()) ? grab : padded(grab, w.bounds());
        ProbeCalibration.Result r =
                ProbeCalibration.solve(inWindow, profile, w.fullScreen(), guestWidth, guestHeight, probe);
        if (r.solved()) {
            LOG.info(
                    "calibrated {} insets for {} ({}): {}",
                    w.fullScreen() ? "full-screen" : "normal",
                    w,
                    probe,
                    r.message());
            setInsets(w.fullScreen(), r.insets());
        } else {
            LOG.warn(
                    "placement probe calibration of {} failed, keeping {}: {}", w, insets(w.fullScreen()), r.message());
        }
        return r;
    }

    private static ScreenImage padded(ScreenImage grab, Rect bounds) {
        int[] rgb = new int[(int) bounds.area()];
        for (int y = 0; y < bounds.height(); y++) {
            for (int xx = 0; xx < bounds.width(); xx++) {
                int sx = bounds.x() + xx;
                int sy = bounds.y() + y;
                rgb[y * bounds.width() + xx] = grab.area().contains(sx, sy) ? grab.rgbAtScreen(sx, sy) : 0;
            }
        }
        return ScreenImage.wrap(new Rect(0, 0, bounds.width(), bounds.height()), rgb);
    }

    /** The screen's pixels in {@code area} (clipped to the screen) as X shows them now. */
    public ScreenImage grab(Rect area) {
        Objects.requireNonNull(area, "area");
        return onConnectionThread(() -> ScreenGrabber.grab(x, screen, area));
    }

    /**
     * Waits until guest display {@code displayId}'s window is shown (or, with {@code shown} false,
     * until none is), for tests and start-up.
     *
     * @return whether it happened within the timeout
     */
    public boolean awaitShown(int displayId, boolean shown, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (window(displayId).map(ClientWindow::shown).orElse(false) != shown) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    private <T> T onConnectionThread(XConnection.XTask<T> work) {
        if (closed) {
            throw new IllegalStateException("the window tracker is closed");
        }
        return x.callUnchecked(work);
    }

    /** What the connection's thread does with X events: any batch of them is answered by a re-read. */
    private final class Events implements XConnection.Handler {
        private long firstEventNanos;
        private boolean structural;
        private long clientList;

        @Override
        public void onEvent(Pointer event) {
            if (firstEventNanos == 0) {
                firstEventNanos = System.nanoTime();
            }
            switch (event.getInt(Xlib.EVENT_TYPE)) {
                case Xlib.CREATE_NOTIFY,
                        Xlib.DESTROY_NOTIFY,
                        Xlib.MAP_NOTIFY,
                        Xlib.UNMAP_NOTIFY,
                        Xlib.REPARENT_NOTIFY -> structural = true;
                case Xlib.PROPERTY_NOTIFY -> {
                    if (clientList == 0) {
                        clientList = x.atom("_NET_CLIENT_LIST");
                    }
                    structural |= event.getLong(Xlib.EVENT_ANY_WINDOW) == x.root()
                            && event.getLong(Xlib.PROPERTY_EVENT_ATOM) == clientList;
                }
                default -> {}
            }
        }

        @Override
        public int onIdle() {
            if (firstEventNanos != 0 && !closed) {
                long first = firstEventNanos;
                boolean search = structural;
                firstEventNanos = 0;
                structural = false;
                refresh(search, first);
            }
            return -1;
        }

        @Override
        public void onLost(X11Exception e) {
            LOG.warn("{}: no client window is on screen any more", e.getMessage());
            windows = List.of();
            tell(new LayoutChange(List.of(), System.nanoTime(), System.nanoTime()));
        }
    }

    /** Reads the windows again (searching the tree when windows may have come or gone) and tells listeners. */
    private void refresh(boolean searchTree, long eventNanos) {
        List<Long> ids;
        if (searchTree || windows.isEmpty()) {
            ids = search.search(overlayClass);
        } else {
            ids = new ArrayList<>();
            for (ClientWindow w : windows) {
                ids.add(w.windowId());
            }
        }
        List<ClientWindow> now = new ArrayList<>();
        for (long id : ids) {
            ClientWindow w = search.read(id);
            if (w != null) {
                now.add(w);
            }
        }
        if (overlayClass != null) {
            search.restackOverlays(now);
        }
        if (!now.equals(windows)) {
            windows = List.copyOf(now);
            LOG.debug("client windows now {}", windows);
            tell(new LayoutChange(windows, eventNanos, System.nanoTime()));
        }
    }

    private void tell(LayoutChange change) {
        for (Listener l : listeners) {
            try {
                l.layoutChanged(change);
            } catch (RuntimeException e) {
                LOG.error("a window layout listener failed: {}", e.toString(), e);
            }
        }
    }

    /** Stops the connection's thread and closes the X connection. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        x.close();
        listeners.clear();
    }

    @Override
    public String toString() {
        return "X11WindowTracker[" + profile.name() + " on " + x.name() + ", " + windows + "]";
    }
}
