package org.spiceoverlay.x11;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import java.nio.charset.StandardCharsets;

/**
 * Reads of windows on one {@link XConnection}: attributes, positions on the root window, the
 * window tree, properties. Windows may vanish at any moment (another client destroys them): a read
 * of a vanished window returns null instead of failing, and the {@code BadWindow} it caused is
 * left for {@link XConnection#takeError}.
 *
 * <p>Threads: the connection's thread only, like every Xlib call on it.
 */
public final class XWindows {

    /**
     * A window's geometry relative to its parent and its state.
     *
     * @param x the position of the window's outside (border) corner in its parent
     * @param mapState {@link Xlib#IS_UNMAPPED}, {@link Xlib#IS_UNVIEWABLE} or {@link Xlib#IS_VIEWABLE}
     * @param inputOutput false for an InputOnly window (it shows nothing)
     */
    public record Attributes(
            int x,
            int y,
            int width,
            int height,
            int borderWidth,
            int mapState,
            boolean inputOutput,
            boolean overrideRedirect) {

        /** Mapped, and every ancestor too. */
        public boolean viewable() {
            return mapState == Xlib.IS_VIEWABLE;
        }
    }

    /** A window's parent (0 for the root) and children, bottom to top. */
    public record Tree(long parent, long[] children) {}

    private final XConnection conn;
    private final Xlib x;
    private final Pointer d;

    public XWindows(XConnection conn) {
        this.conn = conn;
        this.x = conn.xlib();
        this.d = conn.display();
    }

    /** The window's attributes, or null when it is gone. */
    public Attributes attributes(long window) {
        try (Memory m = new Memory(Xlib.ATTRIBUTES_SIZE)) {
            m.clear();
            if (x.XGetWindowAttributes(d, window, m) == 0) {
                return null;
            }
            return new Attributes(
                    m.getInt(Xlib.ATTR_X),
                    m.getInt(Xlib.ATTR_Y),
                    m.getInt(Xlib.ATTR_WIDTH),
                    m.getInt(Xlib.ATTR_HEIGHT),
                    m.getInt(Xlib.ATTR_BORDER_WIDTH),
                    m.getInt(Xlib.ATTR_MAP_STATE),
                    m.getInt(Xlib.ATTR_CLASS) == Xlib.INPUT_OUTPUT,
                    m.getInt(Xlib.ATTR_OVERRIDE_REDIRECT) != 0);
        }
    }

    /** Where the window's origin is on the root window, or null when it is gone. */
    public int[] rootPosition(long window) {
        IntByReference rx = new IntByReference();
        IntByReference ry = new IntByReference();
        LongByReference child = new LongByReference();
        if (!x.XTranslateCoordinates(d, window, conn.root(), 0, 0, rx, ry, child)) {
            return null;
        }
        return new int[] {rx.getValue(), ry.getValue()};
    }

    /** The window's parent and children, or null when it is gone. */
    public Tree tree(long window) {
        LongByReference r = new LongByReference();
        LongByReference parent = new LongByReference();
        PointerByReference list = new PointerByReference();
        IntByReference count = new IntByReference();
        if (x.XQueryTree(d, window, r, parent, list, count) == 0) {
            return null;
        }
        Pointer p = list.getValue();
        long[] children = p == null ? new long[0] : p.getLongArray(0, count.getValue());
        if (p != null) {
            x.XFree(p);
        }
        return new Tree(parent.getValue(), children);
    }

    /** The window's children (bottom to top), or null when it is gone. */
    public long[] children(long window) {
        Tree t = tree(window);
        return t == null ? null : t.children();
    }

    /** A 32-bit property's items (CARDINAL, ATOM, WINDOW, WM_STATE ...), or null when unset or gone. */
    public long[] longs(long window, String property) {
        Raw raw = read(window, conn.atom(property), 32);
        return raw == null ? null : raw.longs;
    }

    /** A text property (STRING or UTF8_STRING), or null when unset or gone. */
    public String text(long window, String property) {
        Raw raw = read(window, conn.atom(property), 8);
        return raw == null ? null : new String(raw.data, StandardCharsets.UTF_8);
    }

    /** {@code WM_CLASS}: instance and class, or null when unset or gone. */
    public String[] wmClass(long window) {
        Raw raw = read(window, conn.atom("WM_CLASS"), 8);
        if (raw == null) {
            return null;
        }
        String[] parts = new String(raw.data, StandardCharsets.ISO_8859_1).split("\0", -1);
        return new String[] {parts.length > 0 ? parts[0] : "", parts.length > 1 ? parts[1] : ""};
    }

    /** Whether the window's {@code WM_STATE} says it is minimised (IconicState). */
    public boolean iconic(long window) {
        long[] state = longs(window, "WM_STATE");
        return state != null && state.length > 0 && state[0] == Xlib.ICONIC_STATE;
    }

    /** Sets a 32-bit WINDOW property (e.g. {@code WM_TRANSIENT_FOR}) to one window. */
    public void setWindowProperty(long window, String property, long value) {
        x.XChangeProperty(
                d, window, conn.atom(property), Xlib.XA_WINDOW, 32, Xlib.PROP_MODE_REPLACE, new long[] {value}, 1);
    }

    /** Selects the events of {@code mask} on {@code window}. */
    public void selectInput(long window, long mask) {
        x.XSelectInput(d, window, mask);
    }

    private record Raw(byte[] data, long[] longs) {}

    private Raw read(long window, long property, int wantedFormat) {
        LongByReference type = new LongByReference();
        IntByReference format = new IntByReference();
        LongByReference items = new LongByReference();
        LongByReference after = new LongByReference();
        PointerByReference prop = new PointerByReference();
        int status = x.XGetWindowProperty(
                d, window, property, 0, 1 << 16, false, Xlib.ANY_PROPERTY_TYPE, type, format, items, after, prop);
        Pointer p = prop.getValue();
        try {
            if (status != 0 || type.getValue() == Xlib.NONE || p == null || format.getValue() != wantedFormat) {
                return null;
            }
            int n = (int) items.getValue();
            if (wantedFormat == 32) {
                // Format-32 items arrive as C longs.
                return new Raw(null, p.getLongArray(0, n));
            }
            return new Raw(p.getByteArray(0, n), null);
        } finally {
            if (p != null) {
                x.XFree(p);
            }
        }
    }
}
