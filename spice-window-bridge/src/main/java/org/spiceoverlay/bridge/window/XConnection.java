package org.spiceoverlay.bridge.window;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spiceoverlay.api.Rect;

import com.sun.jna.Function;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * One connection to an X server, with the reads the tracker makes: properties, attributes,
 * positions on the root window, the window tree, screen grabs. Windows may vanish at any moment
 * (another client destroys them); a read of a vanished window returns null instead of failing,
 * because X errors are caught by a process-wide handler that logs them and returns (Xlib's default
 * handler would exit the process).
 *
 * <p>Threads: one thread at a time (Xlib connections are not thread-safe). {@link #close()} is
 * idempotent.
 */
final class XConnection implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(XConnection.class);

    static final Xlib X = Xlib.load();

    /** X errors seen, for tests and logs. */
    static final AtomicLong ERRORS = new AtomicLong();

    /** Kept strongly: Xlib holds only the native address. */
    private static final Xlib.ErrorHandler ERROR_HANDLER = (display, event) -> {
        // XErrorEvent: type, display, resourceid(16), serial(24), error_code(32, a byte), request_code(33)
        ERRORS.incrementAndGet();
        if (LOG.isDebugEnabled()) {
            LOG.debug("X error {} on request {} for resource 0x{}", event.getByte(32) & 0xff,
                    event.getByte(33) & 0xff, Long.toHexString(event.getLong(16)));
        }
        return 0;
    };

    private static boolean handlerInstalled;

    /** This class's open connections by display address, for the process-wide I/O error handler. */
    private static final Map<Long, XConnection> OPEN = new java.util.concurrent.ConcurrentHashMap<>();
    private static volatile Pointer previousIoErrorHandler;

    /**
     * libX11's default I/O error handler calls exit(): for this class's connections, mark them lost
     * and return (the per-display exit handler then leaves the process alive); other connections in
     * the process keep the handler they had.
     */
    private static final Xlib.IOErrorHandler IO_ERROR_HANDLER = d -> {
        XConnection c = OPEN.get(Pointer.nativeValue(d));
        if (c == null) {
            Pointer prev = previousIoErrorHandler;
            return prev == null ? 0 : com.sun.jna.Function.getFunction(prev).invokeInt(new Object[] {d});
        }
        c.lost = true;
        return 0;
    };

    private final String name;
    private Pointer display;
    private volatile boolean lost;
    /** Kept strongly for as long as the display: Xlib holds only its native address. */
    private final Xlib.IOErrorExitHandler exitHandler = (d, data) -> {
        lost = true;
        LOG.warn("lost the connection to X display {}", nameOrDefault());
    };
    private final long root;
    private final Map<String, Long> atoms = new HashMap<>();

    private XConnection(String name, Pointer display) {
        this.name = name;
        this.display = display;
        this.root = X.XDefaultRootWindow(display);
    }

    /**
     * Opens the X display {@code name} (e.g. ":1"), or {@code DISPLAY} when null.
     *
     * @throws IllegalStateException when the display cannot be opened
     */
    static XConnection open(String name) {
        installErrorHandler();
        String shown = name != null ? name : System.getenv("DISPLAY");
        Pointer d = X.XOpenDisplay(name);
        if (d == null) {
            throw new IllegalStateException("cannot open the X display " + (shown == null ? "(DISPLAY is not set)"
                    : "\"" + shown + "\"") + ": is the X server running?");
        }
        XConnection c = new XConnection(shown, d);
        OPEN.put(Pointer.nativeValue(d), c);
        try {
            // Without this, Xlib ends the whole process when the X server goes away.
            X.XSetIOErrorExitHandler(d, c.exitHandler, null);
        } catch (UnsatisfiedLinkError e) {
            LOG.warn("libX11 older than 1.7: losing X display {} will end the process", shown);
        }
        return c;
    }

    private String nameOrDefault() {
        return name == null ? "(DISPLAY)" : name;
    }

    /** Whether the X server went away: Xlib has marked the connection dead; make no more calls on it. */
    boolean lost() {
        return lost;
    }

    private static synchronized void installErrorHandler() {
        if (!handlerInstalled) {
            X.XSetErrorHandler(ERROR_HANDLER);
            previousIoErrorHandler = X.XSetIOErrorHandler(IO_ERROR_HANDLER);
            handlerInstalled = true;
        }
    }

    String name() {
        return name;
    }

    Pointer display() {
        return display;
    }

    long root() {
        return root;
    }

    int fileDescriptor() {
        return X.XConnectionNumber(display);
    }

    Rect screen() {
        return new Rect(0, 0, X.XDisplayWidth(display, 0), X.XDisplayHeight(display, 0));
    }

    long atom(String atomName) {
        return atoms.computeIfAbsent(atomName, n -> X.XInternAtom(display, n, false));
    }

    void selectInput(long window, long mask) {
        X.XSelectInput(display, window, mask);
    }

    void flush() {
        X.XFlush(display);
    }

    void sync() {
        X.XSync(display, false);
    }

    /** A window's size and map state. */
    record Attributes(int width, int height, boolean viewable, boolean overrideRedirect) {
    }

    /** The window's attributes, or null when it is gone. */
    Attributes attributes(long window) {
        try (Memory m = new Memory(Xlib.ATTRIBUTES_SIZE)) {
            m.clear();
            if (X.XGetWindowAttributes(display, window, m) == 0) {
                return null;
            }
            return new Attributes(m.getInt(Xlib.ATTR_WIDTH), m.getInt(Xlib.ATTR_HEIGHT),
                    m.getInt(Xlib.ATTR_MAP_STATE) == Xlib.IS_VIEWABLE, m.getInt(Xlib.ATTR_OVERRIDE_REDIRECT) != 0);
        }
    }

    /** Where the window's origin is on the root window, or null when it is gone. */
    int[] rootPosition(long window) {
        IntByReference x = new IntByReference();
        IntByReference y = new IntByReference();
        LongByReference child = new LongByReference();
        if (!X.XTranslateCoordinates(display, window, root, 0, 0, x, y, child)) {
            return null;
        }
        return new int[] {x.getValue(), y.getValue()};
    }

    /** The window's children (bottom to top) and parent, or null when it is gone. */
    long[] children(long window) {
        LongByReference r = new LongByReference();
        LongByReference parent = new LongByReference();
        PointerByReference list = new PointerByReference();
        IntByReference count = new IntByReference();
        if (X.XQueryTree(display, window, r, parent, list, count) == 0) {
            return null;
        }
        Pointer p = list.getValue();
        long[] out = p == null ? new long[0] : p.getLongArray(0, count.getValue());
        if (p != null) {
            X.XFree(p);
        }
        return out;
    }

    /** The parent of a window, 0 for the root, or -1 when it is gone. */
    long parent(long window) {
        LongByReference r = new LongByReference();
        LongByReference parent = new LongByReference();
        PointerByReference list = new PointerByReference();
        IntByReference count = new IntByReference();
        if (X.XQueryTree(display, window, r, parent, list, count) == 0) {
            return -1;
        }
        if (list.getValue() != null) {
            X.XFree(list.getValue());
        }
        return parent.getValue();
    }

    /** A 32-bit property's items (CARDINAL, ATOM, WINDOW, WM_STATE ...), or null when unset or gone. */
    long[] longs(long window, String property) {
        Raw raw = read(window, atom(property), 32);
        if (raw == null) {
            return null;
        }
        return raw.longs;
    }

    /** A text property (STRING or UTF8_STRING), or null when unset or gone. */
    String text(long window, String property) {
        Raw raw = read(window, atom(property), 8);
        return raw == null ? null : new String(raw.data, StandardCharsets.UTF_8);
    }

    /** {@code WM_CLASS}: instance and class, or null when unset or gone. */
    String[] wmClass(long window) {
        Raw raw = read(window, atom("WM_CLASS"), 8);
        if (raw == null) {
            return null;
        }
        String[] parts = new String(raw.data, StandardCharsets.ISO_8859_1).split("\0", -1);
        return new String[] {parts.length > 0 ? parts[0] : "", parts.length > 1 ? parts[1] : ""};
    }

    private record Raw(byte[] data, long[] longs) {
    }

    private Raw read(long window, long property, int wantedFormat) {
        LongByReference type = new LongByReference();
        IntByReference format = new IntByReference();
        LongByReference items = new LongByReference();
        LongByReference after = new LongByReference();
        PointerByReference prop = new PointerByReference();
        int status = X.XGetWindowProperty(display, window, property, 0, 1 << 16, false, Xlib.ANY_PROPERTY_TYPE,
                type, format, items, after, prop);
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
                X.XFree(p);
            }
        }
    }

    /**
     * The screen's pixels in {@code area} (clipped to the screen) as X shows them now, windows on
     * top included.
     *
     * @throws IllegalStateException when X cannot read them, or the pixel format is not 24/32-bit
     */
    ScreenImage grab(Rect area) {
        Rect a = area.intersect(screen());
        if (a.isEmpty()) {
            throw new IllegalArgumentException("area " + area + " is off the screen " + screen());
        }
        Pointer image = X.XGetImage(display, root, a.x(), a.y(), a.width(), a.height(), Xlib.ALL_PLANES,
                Xlib.Z_PIXMAP);
        if (image == null) {
            throw new IllegalStateException(lost ? "the connection to X display " + name + " is lost"
                    : "XGetImage of " + a + " on " + name + " failed");
        }
        try {
            int w = image.getInt(Xlib.IMAGE_WIDTH);
            int h = image.getInt(Xlib.IMAGE_HEIGHT);
            int bpp = image.getInt(Xlib.IMAGE_BITS_PER_PIXEL);
            int stride = image.getInt(Xlib.IMAGE_BYTES_PER_LINE);
            boolean lsbFirst = image.getInt(Xlib.IMAGE_BYTE_ORDER) == Xlib.LSB_FIRST;
            long rm = image.getLong(Xlib.IMAGE_RED_MASK);
            long gm = image.getLong(Xlib.IMAGE_GREEN_MASK);
            long bm = image.getLong(Xlib.IMAGE_BLUE_MASK);
            if (bpp != 32 && bpp != 24) {
                throw new IllegalStateException("screen grab: " + bpp + " bits per pixel is not supported (24/32 only)");
            }
            int bytes = bpp / 8;
            Pointer data = image.getPointer(Xlib.IMAGE_DATA);
            if (bpp == 32 && lsbFirst && java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.LITTLE_ENDIAN
                    && rm == 0xff0000L && gm == 0xff00L && bm == 0xffL) {
                // The usual TrueColor layout: each pixel is already 0x..RRGGBB in a little-endian int.
                int[] rgb = new int[w * h];
                for (int y = 0; y < h; y++) {
                    data.read((long) y * stride, rgb, y * w, w);
                }
                for (int i = 0; i < rgb.length; i++) {
                    rgb[i] &= 0xffffff;
                }
                return ScreenImage.wrap(new Rect(a.x(), a.y(), w, h), rgb);
            }
            byte[] row = new byte[stride];
            int[] rgb = new int[w * h];
            for (int y = 0; y < h; y++) {
                data.read((long) y * stride, row, 0, stride);
                for (int x = 0; x < w; x++) {
                    long px = 0;
                    for (int b = 0; b < bytes; b++) {
                        int v = row[x * bytes + b] & 0xff;
                        px |= lsbFirst ? (long) v << (8 * b) : (long) v << (8 * (bytes - 1 - b));
                    }
                    rgb[y * w + x] = (channel(px, rm) << 16) | (channel(px, gm) << 8) | channel(px, bm);
                }
            }
            return ScreenImage.wrap(new Rect(a.x(), a.y(), w, h), rgb);
        } finally {
            // XDestroyImage is a macro calling the image's own destroy function.
            Function.getFunction(image.getPointer(Xlib.IMAGE_DESTROY_FUNCTION)).invokeInt(new Object[] {image});
        }
    }

    private static int channel(long pixel, long mask) {
        if (mask == 0) {
            return 0;
        }
        int shift = Long.numberOfTrailingZeros(mask);
        long max = mask >>> shift;
        long v = (pixel & mask) >>> shift;
        return (int) (max == 255 ? v : v * 255 / max);
    }

    @Override
    public void close() {
        if (display != null) {
            OPEN.remove(Pointer.nativeValue(display));
            if (!lost) {
                X.XCloseDisplay(display);
            }
            // A lost connection is left as it is: Xlib marked it dead and closing it could touch it.
            display = null;
        }
    }

    @Override
    public String toString() {
        return "XConnection[" + name + "]";
    }
}
