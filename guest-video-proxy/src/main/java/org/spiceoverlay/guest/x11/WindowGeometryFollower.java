package org.spiceoverlay.guest.x11;

import com.sun.jna.Pointer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.spiceoverlay.api.Rect;
import org.spiceoverlay.api.Region;
import org.spiceoverlay.guest.GuestGeometry;
import org.spiceoverlay.x11.X11Exception;
import org.spiceoverlay.x11.XConnection;
import org.spiceoverlay.x11.XWindows;
import org.spiceoverlay.x11.Xlib;

/**
 * The X side of {@link X11GeometryTracker}: selects the events that can move, cover or hide the
 * window, and measures the window's geometry from the window tree when they come.
 *
 * <p>Threads: the connection's thread only.
 */
final class WindowGeometryFollower implements XConnection.Handler {

    private static final long WINDOW_MASK =
            Xlib.STRUCTURE_NOTIFY_MASK | Xlib.VISIBILITY_CHANGE_MASK | Xlib.PROPERTY_CHANGE_MASK;
    private static final long ANCESTOR_MASK = Xlib.STRUCTURE_NOTIFY_MASK | Xlib.SUBSTRUCTURE_NOTIFY_MASK;

    private final XConnection conn;
    private final XWindows windows;
    private final long root;
    private final long window;
    private final int displayId;
    private final int coalesceMs;
    private final Consumer<GuestGeometry> deliver;
    private final Runnable gone;
    private final Consumer<X11Exception> lost;
    private final Set<Long> selected = new HashSet<>();
    private GuestGeometry last;
    private long dirtySinceNanos = -1;
    private boolean finished;

    WindowGeometryFollower(
            XConnection conn,
            long window,
            int displayId,
            int coalesceMs,
            Consumer<GuestGeometry> deliver,
            Runnable gone,
            Consumer<X11Exception> lost) {
        this.conn = conn;
        this.windows = new XWindows(conn);
        this.root = conn.root();
        this.window = window;
        this.displayId = displayId;
        this.coalesceMs = coalesceMs;
        this.deliver = deliver;
        this.gone = gone;
        this.lost = lost;
    }

    /** Selects the events and measures the first geometry. */
    GuestGeometry start() throws X11Exception {
        windows.selectInput(root, Xlib.SUBSTRUCTURE_NOTIFY_MASK | Xlib.STRUCTURE_NOTIFY_MASK);
        windows.selectInput(window, WINDOW_MASK);
        selected.add(window);
        if (conn.syncAndTakeError() == Xlib.BAD_WINDOW) {
            throw noSuchWindow();
        }
        GuestGeometry g = measure();
        if (g == null) {
            throw noSuchWindow();
        }
        last = g;
        return g;
    }

    private X11Exception noSuchWindow() {
        return new X11Exception(
                X11Exception.Reason.NO_SUCH_WINDOW,
                "no window 0x" + Long.toHexString(window) + " on X display " + conn.name());
    }

    @Override
    public void onEvent(Pointer event) {
        if (finished) {
            return;
        }
        int type = event.getInt(Xlib.EVENT_TYPE);
        if (type == Xlib.DESTROY_NOTIFY && event.getLong(Xlib.EVENT_SUBJECT_WINDOW) == window) {
            finish();
            return;
        }
        if (dirtySinceNanos < 0) {
            dirtySinceNanos = System.nanoTime();
        }
    }

    @Override
    public int onIdle() {
        if (finished || dirtySinceNanos < 0) {
            return -1;
        }
        long waited = (System.nanoTime() - dirtySinceNanos) / 1_000_000;
        if (waited < coalesceMs) {
            return (int) Math.max(1, coalesceMs - waited);
        }
        dirtySinceNanos = -1;
        GuestGeometry g = measure();
        if (g == null) {
            finish();
        } else if (!g.equals(last)) {
            last = g;
            deliver.accept(g);
        }
        return -1;
    }

    @Override
    public void onLost(X11Exception e) {
        if (!finished) {
            finished = true;
            lost.accept(e);
        }
    }

    /** The window is gone: a last, hidden geometry, then the word that it is gone. */
    private void finish() {
        finished = true;
        if (last != null && !last.hidden()) {
            last = new GuestGeometry(
                    displayId, last.displayWidth(), last.displayHeight(), last.videoRect(), Region.EMPTY, true);
            deliver.accept(last);
        }
        gone.run();
    }

    /** The geometry now, or null when the window no longer exists. */
    private GuestGeometry measure() {
        conn.takeError();
        XWindows.Attributes rootAttrs = attributes(root);
        XWindows.Attributes wa = attributes(window);
        if (wa == null || rootAttrs == null) {
            return null;
        }
        int[] origin = rootOrigin(window);
        if (origin == null) {
            return null;
        }
        Rect screen = new Rect(0, 0, rootAttrs.width(), rootAttrs.height());
        Rect rect = new Rect(origin[0], origin[1], wa.width(), wa.height());
        boolean shown = wa.viewable() && !windows.iconic(window);
        Region visible = Region.of(rect).intersect(screen);
        // Up the tree: clip by each ancestor, subtract the siblings stacked above at each level.
        long cur = window;
        List<Long> ancestors = new ArrayList<>();
        while (shown && !visible.isEmpty()) {
            XWindows.Tree tree = queryTree(cur);
            if (tree == null) {
                return cur == window ? null : measureLater();
            }
            XWindows.Tree level = queryTree(tree.parent());
            if (level == null) {
                return measureLater();
            }
            int[] parentOrigin = tree.parent() == root ? new int[] {0, 0} : rootOrigin(tree.parent());
            if (parentOrigin == null) {
                return measureLater();
            }
            if (tree.parent() != root) {
                XWindows.Attributes pa = attributes(tree.parent());
                if (pa == null) {
                    return measureLater();
                }
                visible = visible.intersect(new Rect(parentOrigin[0], parentOrigin[1], pa.width(), pa.height()));
                ancestors.add(tree.parent());
            }
            boolean above = false;
            for (long sibling : level.children()) {
                if (above) {
                    XWindows.Attributes sa = attributes(sibling);
                    if (sa != null && sa.viewable() && sa.inputOutput()) {
                        visible = visible.subtract(new Rect(
                                parentOrigin[0] + sa.x(),
                                parentOrigin[1] + sa.y(),
                                sa.width() + 2 * sa.borderWidth(),
                                sa.height() + 2 * sa.borderWidth()));
                    }
                } else if (sibling == cur) {
                    above = true;
                }
            }
            if (tree.parent() == root) {
                break;
            }
            cur = tree.parent();
        }
        if (!shown) {
            // Still follow the frames (a reparent while unmapped).
            ancestors = ancestorsOf(window);
        }
        for (long a : ancestors) {
            if (selected.add(a)) {
                windows.selectInput(a, ANCESTOR_MASK);
            }
        }
        boolean hidden = !shown || visible.isEmpty();
        return new GuestGeometry(
                displayId, rootAttrs.width(), rootAttrs.height(), rect, hidden ? Region.EMPTY : visible, hidden);
    }

    /**
     * A window above vanished while the tree was being read: measure again soon (its DestroyNotify
     * is on the way too); keep the last geometry meanwhile.
     */
    private GuestGeometry measureLater() {
        dirtySinceNanos = System.nanoTime();
        return last != null ? last : new GuestGeometry(displayId, 1, 1, Rect.EMPTY, Region.EMPTY, true);
    }

    private List<Long> ancestorsOf(long w) {
        List<Long> out = new ArrayList<>();
        long cur = w;
        for (int depth = 0; depth < 64; depth++) {
            XWindows.Tree t = queryTree(cur);
            if (t == null || t.parent() == root || t.parent() == 0) {
                break;
            }
            out.add(t.parent());
            cur = t.parent();
        }
        return out;
    }

    // Each read of a vanished window leaves a BadWindow behind; it is expected here, so dropped.

    private XWindows.Attributes attributes(long w) {
        XWindows.Attributes a = windows.attributes(w);
        if (a == null) {
            conn.takeError();
        }
        return a;
    }

    /** The root coordinates of the window's inside top-left corner, or null when it is gone. */
    private int[] rootOrigin(long w) {
        int[] p = windows.rootPosition(w);
        if (p == null) {
            conn.takeError();
        }
        return p;
    }

    private XWindows.Tree queryTree(long w) {
        XWindows.Tree t = windows.tree(w);
        if (t == null) {
            conn.takeError();
        }
        return t;
    }
}
