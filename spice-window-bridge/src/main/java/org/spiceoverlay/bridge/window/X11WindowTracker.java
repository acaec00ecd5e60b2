package org.spiceoverlay.bridge.window;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spiceoverlay.api.GuestToScreenMapping;
import org.spiceoverlay.api.Rect;
import org.spiceoverlay.bridge.service.DisplayLayout;

import com.sun.jna.Memory;

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
 * connection and one event thread, which does every X call; {@link #calibrate} and {@link #grab}
 * hand their X work to it and wait, so they must not be called from a listener. Listeners run on
 * the event thread: they must return quickly and not block (placing compositor layers, as
 * {@code CompositorVideoOutput.relayout()} does, is fine).
 */
public final class X11WindowTracker implements DisplayLayout, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(X11WindowTracker.class);

    /** {@code WM_STATE} IconicState. */
    private static final long ICONIC_STATE = 3;
    /** {@code _NET_WM_DESKTOP} for a window on every desktop. */
    private static final long ALL_DESKTOPS = 0xFFFFFFFFL;
    /** Ancestors of a client window deeper than this are not searched. */
    private static final int SEARCH_DEPTH = 3;

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
    private final ClientWindowProfile profile;
    private final WindowSelector selector;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final BlockingQueue<FutureTask<?>> tasks = new LinkedBlockingQueue<>();
    private final int[] wakePipe = new int[2];
    private final Thread thread;
    private final CountDownLatch started = new CountDownLatch(1);
    private volatile boolean closed;
    private volatile List<ClientWindow> windows = List.of();
    private volatile Insets normalInsets;
    private volatile Insets fullScreenInsets;
    private volatile RuntimeException failure;
    /** Windows whose events are selected (event thread only). */
    private final List<Long> selected = new ArrayList<>();
    /** The overlay windows' WM_CLASS instance, or null (see {@link #keepOverlayAbove}). */
    private volatile String overlayClass;
    /** Overlay windows found, and the client window each was last made transient for (event thread only). */
    private final Map<Long, Long> overlays = new HashMap<>();

    private X11WindowTracker(XConnection x, ClientWindowProfile profile, WindowSelector selector) {
        this.x = x;
        this.profile = profile;
        this.selector = selector;
        this.normalInsets = profile.defaultInsets(false);
        this.fullScreenInsets = profile.defaultInsets(true);
        if (LibC.INSTANCE.pipe(wakePipe) != 0) {
            throw new IllegalStateException("cannot make the tracker's wake-up pipe");
        }
        this.thread = new Thread(this::run, "x11-window-tracker " + x.name());
        this.thread.setDaemon(true);
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
        XConnection x = XConnection.open(xDisplay);
        X11WindowTracker t;
        try {
            t = new X11WindowTracker(x, profile, selector);
        } catch (RuntimeException e) {
            x.close();
            throw e;
        }
        t.thread.start();
        try {
            if (!t.started.await(10, TimeUnit.SECONDS)) {
                t.close();
                throw new IllegalStateException("the window tracker did not start within 10 s on " + x.name());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            t.close();
            throw new IllegalStateException("interrupted starting the window tracker", e);
        }
        if (t.failure != null) {
            t.close();
            throw t.failure;
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
        return windows.stream().filter(w -> w.displayId() == displayId)
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
        callOnEventThread(() -> {
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
        callOnEventThread(() -> {
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
        ClientWindow w = window(displayId).filter(ClientWindow::shown).orElseThrow(() -> new IllegalStateException(
                "no window of guest display " + displayId + " is on screen to calibrate (" + windows + ")"));
        ScreenImage grab = grab(w.bounds());
        // The grab is clipped to the screen; solve in the window's own coordinates.
        ScreenImage inWindow = grab.area().equals(w.bounds()) ? grab : padded(grab, w.bounds());
        ProbeCalibration.Result r = ProbeCalibration.solve(inWindow, profile, w.fullScreen(), guestWidth, guestHeight,
                probe);
        if (r.solved()) {
            LOG.info("calibrated {} insets for {} ({}): {}", w.fullScreen() ? "full-screen" : "normal", w, probe,
                    r.message());
            setInsets(w.fullScreen(), r.insets());
        } else {
            LOG.warn("placement probe calibration of {} failed, keeping {}: {}", w, insets(w.fullScreen()),
                    r.message());
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
        return callOnEventThread(() -> x.grab(area));
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

    private <T> T callOnEventThread(Callable<T> work) {
        if (Thread.currentThread() == thread) {
            try {
                return work.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        if (closed) {
            throw new IllegalStateException("the window tracker is closed");
        }
        if (x.lost()) {
            throw new IllegalStateException("the connection to X display " + x.name() + " is lost");
        }
        FutureTask<T> task = new FutureTask<>(work);
        tasks.add(task);
        wake();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try {
            while (true) {
                try {
                    return task.get(100, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    if (!thread.isAlive()) {
                        task.cancel(false);
                        throw stopped();
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("the window tracker's event thread did not answer within 30 s",
                                e);
                    }
                }
            }
        } catch (java.util.concurrent.CancellationException e) {
            throw stopped();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for the window tracker", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(c);
        }
    }

    private IllegalStateException stopped() {
        return new IllegalStateException(x.lost() ? "the connection to X display " + x.name() + " is lost"
                : "the window tracker is closed");
    }

    private void wake() {
        LibC.INSTANCE.write(wakePipe[1], new byte[] {1}, 1);
    }

    // ---- event thread ----

    private void run() {
        Memory event = new Memory(Xlib.EVENT_SIZE);
        Memory pollFds = new Memory(2L * LibC.POLLFD_SIZE);
        byte[] drain = new byte[64];
        try {
            x.selectInput(x.root(), Xlib.SUBSTRUCTURE_NOTIFY_MASK | Xlib.PROPERTY_CHANGE_MASK);
            refresh(true, System.nanoTime());
        } catch (RuntimeException e) {
            failure = e;
            started.countDown();
            x.close();
            return;
        }
        started.countDown();
        long clientList = x.atom("_NET_CLIENT_LIST");
        int xfd = x.fileDescriptor();
        try {
            while (!closed && !x.lost()) {
                x.flush();
                if (XConnection.X.XPending(x.display()) == 0) {
                    pollFds.clear();
                    pollFds.setInt(0, xfd);
                    pollFds.setShort(4, LibC.POLLIN);
                    pollFds.setInt(LibC.POLLFD_SIZE, wakePipe[0]);
                    pollFds.setShort(LibC.POLLFD_SIZE + 4, LibC.POLLIN);
                    LibC.INSTANCE.poll(pollFds, 2, 1000);
                    if ((pollFds.getShort(LibC.POLLFD_SIZE + 6) & LibC.POLLIN) != 0) {
                        LibC.INSTANCE.read(wakePipe[0], drain, drain.length);
                    }
                }
                FutureTask<?> task;
                while ((task = tasks.poll()) != null) {
                    task.run();
                }
                long first = 0;
                boolean structural = false;
                while (!x.lost() && XConnection.X.XPending(x.display()) > 0) {
                    XConnection.X.XNextEvent(x.display(), event);
                    if (first == 0) {
                        first = System.nanoTime();
                    }
                    int type = event.getInt(Xlib.EVENT_TYPE);
                    switch (type) {
                        case Xlib.CREATE_NOTIFY, Xlib.DESTROY_NOTIFY, Xlib.MAP_NOTIFY, Xlib.UNMAP_NOTIFY,
                                Xlib.REPARENT_NOTIFY -> structural = true;
                        case Xlib.PROPERTY_NOTIFY -> structural |= event.getLong(Xlib.EVENT_ANY_WINDOW) == x.root()
                                && event.getLong(Xlib.PROPERTY_EVENT_ATOM) == clientList;
                        default -> {
                        }
                    }
                }
                if (first != 0 && !x.lost()) {
                    refresh(structural, first);
                }
            }
            if (x.lost() && !closed) {
                // The client's X server is gone: no window is on screen any more.
                windows = List.of();
                LayoutChange change = new LayoutChange(List.of(), System.nanoTime(), System.nanoTime());
                for (Listener l : listeners) {
                    l.layoutChanged(change);
                }
            }
        } catch (RuntimeException e) {
            LOG.error("the window tracker on {} stopped: {}", x.name(), e.toString(), e);
        } finally {
            FutureTask<?> task;
            while ((task = tasks.poll()) != null) {
                task.cancel(false);
            }
            x.close();
        }
    }

    /** Reads the windows again (searching the tree when windows may have come or gone) and tells listeners. */
    private void refresh(boolean search, long eventNanos) {
        List<Long> ids;
        if (search || windows.isEmpty()) {
            ids = search();
        } else {
            ids = new ArrayList<>();
            for (ClientWindow w : windows) {
                ids.add(w.windowId());
            }
        }
        List<ClientWindow> now = new ArrayList<>();
        for (long id : ids) {
            ClientWindow w = read(id);
            if (w != null) {
                now.add(w);
            }
        }
        restackOverlays(now);
        if (!now.equals(windows)) {
            windows = List.copyOf(now);
            LOG.debug("client windows now {}", windows);
            tell(new LayoutChange(windows, eventNanos, System.nanoTime()));
        }
    }

    private void restackOverlays(List<ClientWindow> now) {
        if (overlayClass == null || overlays.isEmpty()) {
            return;
        }
        long owner = now.stream().filter(ClientWindow::shown).mapToLong(ClientWindow::windowId).findFirst().orElse(0);
        if (owner == 0) {
            return;
        }
        for (Map.Entry<Long, Long> e : overlays.entrySet()) {
            if (e.getValue() != owner) {
                XConnection.X.XChangeProperty(x.display(), e.getKey(), x.atom("WM_TRANSIENT_FOR"), Xlib.XA_WINDOW, 32,
                        Xlib.PROP_MODE_REPLACE, new long[] {owner}, 1);
                x.flush();
                e.setValue(owner);
                LOG.debug("overlay window 0x{} kept above 0x{}", Long.toHexString(e.getKey()), Long.toHexString(owner));
            }
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

    /** The client windows in the tree: selected, and shown or managed by the window manager. */
    private List<Long> search() {
        List<Long> found = new ArrayList<>();
        List<Long> overlaysFound = new ArrayList<>();
        if (selector.windowId() != 0) {
            if (x.attributes(selector.windowId()) != null) {
                found.add(selector.windowId());
            }
        } else {
            long[] top = x.children(x.root());
            if (top != null) {
                for (long w : top) {
                    searchBelow(w, 1, found, overlaysFound);
                }
            }
        }
        for (long id : found) {
            if (!selected.contains(id)) {
                x.selectInput(id, Xlib.STRUCTURE_NOTIFY_MASK | Xlib.PROPERTY_CHANGE_MASK);
                selected.add(id);
            }
        }
        selected.retainAll(found);
        overlays.keySet().retainAll(overlaysFound);
        for (long o : overlaysFound) {
            overlays.putIfAbsent(o, 0L);
        }
        return found;
    }

    private void searchBelow(long window, int depth, List<Long> found, List<Long> overlaysFound) {
        String[] cls = x.wmClass(window);
        if (cls != null) {
            if (cls[0].equals(overlayClass)) {
                overlaysFound.add(window);
                return;
            }
            // A client window: the search ends here either way.
            WindowFacts facts = facts(window, cls);
            if (selector.selects(facts, profile)) {
                XConnection.Attributes a = x.attributes(window);
                // GTK's unmapped client-leader window shares the class; it is never managed (no WM_STATE).
                if (a != null && (a.viewable() || x.longs(window, "WM_STATE") != null)) {
                    found.add(window);
                }
            }
            return;
        }
        if (depth < SEARCH_DEPTH) {
            long[] children = x.children(window);
            if (children != null) {
                for (long c : children) {
                    searchBelow(c, depth + 1, found, overlaysFound);
                }
            }
        }
    }

    private WindowFacts facts(long window, String[] cls) {
        String title = x.text(window, "_NET_WM_NAME");
        if (title == null) {
            title = x.text(window, "WM_NAME");
        }
        long[] pid = x.longs(window, "_NET_WM_PID");
        return new WindowFacts(window, cls[0], cls[1], title, pid != null && pid.length > 0 ? pid[0] : 0);
    }

    /** A window's state now, or null when it is gone. */
    private ClientWindow read(long id) {
        XConnection.Attributes a = x.attributes(id);
        int[] pos = a == null ? null : x.rootPosition(id);
        if (pos == null) {
            return null;
        }
        String[] cls = x.wmClass(id);
        WindowFacts facts = facts(id, cls == null ? new String[] {"", ""} : cls);
        boolean shown = a.viewable();
        long[] wmState = x.longs(id, "WM_STATE");
        if (wmState != null && wmState.length > 0 && wmState[0] == ICONIC_STATE) {
            shown = false;
        }
        boolean fullScreen = false;
        long[] netState = x.longs(id, "_NET_WM_STATE");
        if (netState != null) {
            long hidden = x.atom("_NET_WM_STATE_HIDDEN");
            long full = x.atom("_NET_WM_STATE_FULLSCREEN");
            for (long s : netState) {
                shown &= s != hidden;
                fullScreen |= s == full;
            }
        }
        long[] desktop = x.longs(id, "_NET_WM_DESKTOP");
        long[] current = x.longs(x.root(), "_NET_CURRENT_DESKTOP");
        if (desktop != null && desktop.length > 0 && current != null && current.length > 0
                && desktop[0] != ALL_DESKTOPS && desktop[0] != current[0]) {
            shown = false;
        }
        int displayId = profile.displayIdOf(facts).orElse(0);
        return new ClientWindow(facts, displayId, new Rect(pos[0], pos[1], a.width(), a.height()), shown, fullScreen);
    }

    /** Stops the event thread and closes the X connection. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        wake();
        if (Thread.currentThread() != thread) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (!thread.isAlive()) {
            LibC.INSTANCE.close(wakePipe[0]);
            LibC.INSTANCE.close(wakePipe[1]);
        }
        listeners.clear();
    }

    @Override
    public String toString() {
        return "X11WindowTracker[" + profile.name() + " on " + x.name() + ", " + windows + "]";
    }
}
