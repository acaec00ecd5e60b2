package org.spiceoverlay.bridge.window;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spiceoverlay.api.Rect;
import org.spiceoverlay.x11.XConnection;
import org.spiceoverlay.x11.XWindows;
import org.spiceoverlay.x11.Xlib;

/**
 * The X reads behind {@link X11WindowTracker}: finds the Spice client's windows in the window tree,
 * reads each one's state (position on the root, size, shown, full screen), selects their events,
 * and keeps the overlay windows stacked above the client window.
 *
 * <p>Threads: the tracker's X connection's thread only.
 */
final class ClientWindowSearch {

    private static final Logger LOG = LoggerFactory.getLogger(ClientWindowSearch.class);

    /** {@code _NET_WM_DESKTOP} for a window on every desktop. */
    private static final long ALL_DESKTOPS = 0xFFFFFFFFL;
    /** Ancestors of a client window deeper than this are not searched. */
    private static final int SEARCH_DEPTH = 3;

    private final XConnection x;
    private final XWindows windows;
    private final ClientWindowProfile profile;
    private final WindowSelector selector;
    /** Windows whose events are selected. */
    private final List<Long> selected = new ArrayList<>();
    /** Overlay windows found, and the client window each was last made transient for. */
    private final Map<Long, Long> overlays = new HashMap<>();

    ClientWindowSearch(XConnection x, ClientWindowProfile profile, WindowSelector selector) {
        this.x = x;
        this.windows = new XWindows(x);
        this.profile = profile;
        this.selector = selector;
    }

    /** Listens on the root window for windows coming, going and moving, and for the desktop. */
    void selectRootEvents() {
        windows.selectInput(x.root(), Xlib.SUBSTRUCTURE_NOTIFY_MASK | Xlib.PROPERTY_CHANGE_MASK);
    }

    /**
     * The client windows in the tree: selected, and shown or managed by the window manager; and the
     * overlay windows (WM_CLASS instance {@code overlayClass}, may be null).
     */
    List<Long> search(String overlayClass) {
        List<Long> found = new ArrayList<>();
        List<Long> overlaysFound = new ArrayList<>();
        if (selector.windowId() != 0) {
            if (windows.attributes(selector.windowId()) != null) {
                found.add(selector.windowId());
            }
        } else {
            long[] top = windows.children(x.root());
            if (top != null) {
                for (long w : top) {
                    searchBelow(w, 1, overlayClass, found, overlaysFound);
                }
            }
        }
        for (long id : found) {
            if (!selected.contains(id)) {
                windows.selectInput(id, Xlib.STRUCTURE_NOTIFY_MASK | Xlib.PROPERTY_CHANGE_MASK);
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

    private void searchBelow(long window, int depth, String overlayClass, List<Long> found, List<Long> overlaysFound) {
        String[] cls = windows.wmClass(window);
        if (cls != null) {
            if (cls[0].equals(overlayClass)) {
                overlaysFound.add(window);
                return;
            }
            // A client window: the search ends here either way.
            WindowFacts facts = facts(window, cls);
            if (selector.selects(facts, profile)) {
                XWindows.Attributes a = windows.attributes(window);
                // GTK's unmapped client-leader window shares the class; it is never managed (no WM_STATE).
                if (a != null && (a.viewable() || windows.longs(window, "WM_STATE") != null)) {
                    found.add(window);
                }
            }
            return;
        }
        if (depth < SEARCH_DEPTH) {
            long[] children = windows.children(window);
            if (children != null) {
                for (long c : children) {
                    searchBelow(c, depth + 1, overlayClass, found, overlaysFound);
                }
            }
        }
    }

    private WindowFacts facts(long window, String[] cls) {
        String title = windows.text(window, "_NET_WM_NAME");
        if (title == null) {
            title = windows.text(window, "WM_NAME");
        }
        long[] pid = windows.longs(window, "_NET_WM_PID");
        return new WindowFacts(window, cls[0], cls[1], title, pid != null && pid.length > 0 ? pid[0] : 0);
    }

    /** A window's state now, or null when it is gone. */
    ClientWindow read(long id) {
        XWindows.Attributes a = windows.attributes(id);
        int[] pos = a == null ? null : windows.rootPosition(id);
        if (pos == null) {
            return null;
        }
        String[] cls = windows.wmClass(id);
        WindowFacts facts = facts(id, cls == null ? new String[] {"", ""} : cls);
        boolean shown = a.viewable() && !windows.iconic(id);
        boolean fullScreen = false;
        long[] netState = windows.longs(id, "_NET_WM_STATE");
        if (netState != null) {
            long hidden = x.atom("_NET_WM_STATE_HIDDEN");
            long full = x.atom("_NET_WM_STATE_FULLSCREEN");
            for (long s : netState) {
                shown &= s != hidden;
                fullScreen |= s == full;
            }
        }
        long[] desktop = windows.longs(id, "_NET_WM_DESKTOP");
        long[] current = windows.longs(x.root(), "_NET_CURRENT_DESKTOP");
        if (desktop != null
                && desktop.length > 0
                && current != null
                && current.length > 0
                && desktop[0] != ALL_DESKTOPS
                && desktop[0] != current[0]) {
            shown = false;
        }
        int displayId = profile.displayIdOf(facts).orElse(0);
        return new ClientWindow(facts, displayId, new Rect(pos[0], pos[1], a.width(), a.height()), shown, fullScreen);
    }

    /**
     * Makes every overlay window transient for the first shown client window ({@code WM_TRANSIENT_FOR}),
     * so that window managers keep it above even a full-screen client.
     */
    void restackOverlays(List<ClientWindow> now) {
        if (overlays.isEmpty()) {
            return;
        }
        long owner = now.stream()
                .filter(ClientWindow::shown)
                .mapToLong(ClientWindow::windowId)
                .findFirst()
                .orElse(0);
        if (owner == 0) {
            return;
        }
        for (Map.Entry<Long, Long> e : overlays.entrySet()) {
            if (e.getValue() != owner) {
                windows.setWindowProperty(e.getKey(), "WM_TRANSIENT_FOR", owner);
                x.flush();
                e.setValue(owner);
                LOG.debug("overlay window 0x{} kept above 0x{}", Long.toHexString(e.getKey()), Long.toHexString(owner));
            }
        }
    }
}
