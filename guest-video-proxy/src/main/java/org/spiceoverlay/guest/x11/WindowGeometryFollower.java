package org.spiceoverlay.guest.x11;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import org.spiceoverlay.api.Rect;
import org.spiceoverlay.api.Region;
import org.spiceoverlay.guest.GuestGeometry;

import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.NativeLongByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * The X side of {@link X11GeometryTracker}: selects the events that can move, cover or hide the
 * window, and measures the window's geometry from the window tree when they come.
 *
 * <p>Threads: the connection's thread only.
 */
final class WindowGeometryFollower implements XConnection.Handler {

    /** Offset of {@code XDestroyWindowEvent.window} (after type, serial, send_event, display, event). */
    private static final int DESTROY_WINDOW_OFFSET = 40;
    private static final long WINDOW_MASK = Xlib.STRUCTURE_NOTIFY_MASK | Xlib.VISIBILITY_CHANGE_MASK
            | Xlib.PROPERTY_CHANGE_MASK;
    private static final long ANCESTOR_MASK = Xlib.STRUCTURE_NOTIFY_MASK | Xlib.SUBSTRUCTURE_NOTIFY_MASK;

    private final XConnection conn;
    private final Xlib x;
    private final Pointer d;
    private final NativeLong window;
    private final int displayId;
    private final int coalesceMs;
    private final Consumer<GuestGeometry> deliver;
    private final Runnable gone;
    private final Consumer<X11Exception> lost;
    private final NativeLong wmState;
    private final Set<Long> selected = new HashSet<>();
    private GuestGeometry last;
    private long dirtySinceNanos = -1;
    private boolean finished;

    WindowGeometryFollower(XConnection conn, long window, int displayId, int coalesceMs,
            Consumer<GuestGeometry> deliver, Runnable gone, Consumer<X11Exception> lost) {
        this.conn = conn;
        this.x = conn.x;
        this.d = conn.display;
        this.window = new NativeLong(window);
        this.displayId = displayId;
        this.coalesceMs = coalesceMs;
        this.deliver = deliver;
        this.gone = gone;
        this.lost = lost;
        this.wmState = conn.atom("WM_STATE");
    }

    /** Selects the events and measures the first geometry. */
    GuestGeometry start() throws X11Exception {
        x.XSelectInput(d, conn.root, new NativeLong(Xlib.SUBSTRUCTURE_NOTIFY_MASK | Xlib.STRUCTURE_NOTIFY_MASK));
        x.XSelectInput(d, window, new NativeLong(WINDOW_MASK));
        selected.add(window.longValue());
        if (conn.syncAndTakeError() == XConnection.BAD_WINDOW) {
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
        return new X11Exception(X11Exception.Reason.NO_SUCH_WINDOW, "no window 0x"
                + Long.toHexString(window.longValue()) + " on X display " + conn.name());
    }

    @Override
    public void onEvent(Pointer event) {
        if (finished) {
            return;
        }
        int type = event.getInt(0);
        if (type == Xlib.DESTROY_NOTIFY && event.getNativeLong(DESTROY_WINDOW_OFFSET).equals(window)) {
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
            last = new GuestGeometry(displayId, last.displayWidth(), last.displayHeight(), last.videoRect(),
                    Region.EMPTY, true);
            deliver.accept(last);
        }
        gone.run();
    }

    /** The geometry now, or null when the window no longer exists. */
    private GuestGeometry measure() {
        conn.takeError();
        Xlib.XWindowAttributes rootAttrs = attributes(conn.root);
        Xlib.XWindowAttributes wa = attributes(window);
        if (wa == null || rootAttrs == null) {
            return null;
        }
        int[] origin = rootOrigin(window);
        if (origin == null) {
            return null;
        }
        Rect screen = new Rect(0, 0, rootAttrs.width, rootAttrs.height);
        Rect rect = new Rect(origin[0], origin[1], wa.width, wa.height);
        boolean shown = wa.map_state == Xlib.IS_VIEWABLE && !iconic();
        Region visible = Region.of(rect).intersect(screen);
        // Up the tree: clip by each ancestor, subtract the siblings stacked above at each level.
        NativeLong cur = window;
        List<NativeLong> ancestors = new ArrayList<>();
        while (shown && !visible.isEmpty()) {
            Tree tree = queryTree(cur);
            if (tree == null) {
                return cur.equals(window) ? null : measureLater();
            }
            Tree level = queryTree(tree.parent);
            if (level == null) {
                return measureLater();
            }
            int[] parentOrigin = tree.parent.equals(conn.root) ? new int[] {0, 0} : rootOrigin(tree.parent);
            if (parentOrigin == null) {
                return measureLater();
            }
            if (!tree.parent.equals(conn.root)) {
                Xlib.XWindowAttributes pa = attributes(tree.parent);
                if (pa == null) {
                    return measureLater();
                }
                visible = visible.intersect(new Rect(parentOrigin[0], parentOrigin[1], pa.width, pa.height));
                ancestors.add(tree.parent);
            }
            boolean above = false;
            for (NativeLong sibling : level.children) {
                if (above) {
                    Xlib.XWindowAttributes sa = attributes(sibling);
                    if (sa != null && sa.map_state == Xlib.IS_VIEWABLE && sa.c_class == Xlib.INPUT_OUTPUT) {
                        visible = visible.subtract(new Rect(parentOrigin[0] + sa.x, parentOrigin[1] + sa.y,
                                sa.width + 2 * sa.border_width, sa.height + 2 * sa.border_width));
                    }
                } else if (sibling.equals(cur)) {
                    above = true;
                }
            }
            if (tree.parent.equals(conn.root)) {
                break;
            }
            cur = tree.parent;
        }
        if (!shown) {
            // Still follow the frames (a reparent while unmapped).
            ancestors = ancestorsOf(window);
        }
        for (NativeLong a : ancestors) {
            if (selected.add(a.longValue())) {
                x.XSelectInput(d, a, new NativeLong(ANCESTOR_MASK));
            }
        }
        boolean hidden = !shown || visible.isEmpty();
        return new GuestGeometry(displayId, rootAttrs.width, rootAttrs.height, rect,
                hidden ? Region.EMPTY : visible, hidden);
    }

    /**
     * A window above vanished while the tree was being read: measure again soon (its DestroyNotify
     * is on the way too); keep the last geometry meanwhile.
     */
    private GuestGeometry measureLater() {
        dirtySinceNanos = System.nanoTime();
        return last != null ? last : new GuestGeometry(displayId, 1, 1, Rect.EMPTY, Region.EMPTY, true);
    }

    private List<NativeLong> ancestorsOf(NativeLong w) {
        List<NativeLong> out = new ArrayList<>();
        NativeLong cur = w;
        for (int depth = 0; depth < 64; depth++) {
            Tree t = queryTree(cur);
            if (t == null || t.parent.equals(conn.root) || t.parent.longValue() == 0) {
                break;
            }
            out.add(t.parent);
            cur = t.parent;
        }
        return out;
    }

    private boolean iconic() {
        NativeLongByReference type = new NativeLongByReference();
        IntByReference format = new IntByReference();
        NativeLongByReference items = new NativeLongByReference();
        NativeLongByReference after = new NativeLongByReference();
        PointerByReference prop = new PointerByReference();
        int status = x.XGetWindowProperty(d, window, wmState, new NativeLong(0), new NativeLong(2), false,
                wmState, type, format, items, after, prop);
        Pointer p = prop.getValue();
        try {
            return status == 0 && p != null && type.getValue().equals(wmState) && format.getValue() == 32
                    && items.getValue().longValue() >= 1 && p.getNativeLong(0).longValue() == Xlib.ICONIC_STATE;
        } finally {
            if (p != null) {
                x.XFree(p);
            }
        }
    }

    private Xlib.XWindowAttributes attributes(NativeLong w) {
        Xlib.XWindowAttributes a = new Xlib.XWindowAttributes();
        if (x.XGetWindowAttributes(d, w, a) == 0) {
            conn.takeError();
            return null;
        }
        return a;
    }

    /** The root coordinates of the window's inside top-left corner, or null when it is gone. */
    private int[] rootOrigin(NativeLong w) {
        IntByReference rx = new IntByReference();
        IntByReference ry = new IntByReference();
        NativeLongByReference child = new NativeLongByReference();
        if (!x.XTranslateCoordinates(d, w, conn.root, 0, 0, rx, ry, child)) {
            conn.takeError();
            return null;
        }
        return new int[] {rx.getValue(), ry.getValue()};
    }

    /** A window's parent and its children bottom to top. */
    private record Tree(NativeLong parent, List<NativeLong> children) {
    }

    private Tree queryTree(NativeLong w) {
        NativeLongByReference rootRet = new NativeLongByReference();
        NativeLongByReference parent = new NativeLongByReference();
        PointerByReference children = new PointerByReference();
        IntByReference count = new IntByReference();
        if (x.XQueryTree(d, w, rootRet, parent, children, count) == 0) {
            conn.takeError();
            return null;
        }
        Pointer p = children.getValue();
        List<NativeLong> list = new ArrayList<>(count.getValue());
        if (p != null) {
            for (int i = 0; i < count.getValue(); i++) {
                list.add(p.getNativeLong((long) i * NativeLong.SIZE));
            }
            x.XFree(p);
        }
        return new Tree(parent.getValue(), list);
    }
}
