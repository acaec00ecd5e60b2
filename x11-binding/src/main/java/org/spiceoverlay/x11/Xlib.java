package org.spiceoverlay.x11;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * The libX11 calls the project makes, over JNA (interface mapping). X ids ({@code Window},
 * {@code Atom}) and masks are C {@code unsigned long}s, taken as Java {@code long}: the binding is
 * for LP64 Linux (checked when it loads). The structs read often ({@code XEvent},
 * {@code XWindowAttributes}, {@code XImage}, {@code XErrorEvent}) are plain memory read at their
 * LP64 offsets (the constants below), which keeps JNA's reflection out of event loops; the two
 * written rarely ({@code XSizeHints}, {@code XColor}) are JNA structures.
 *
 * <p>Use it through {@link XConnection}: an Xlib {@code Display} is used by one thread, and the
 * process-wide error handlers are installed by {@link XErrorHandlers} only.
 */
public interface Xlib extends Library {

    /** Loaded on first use of this interface; {@link XConnection#open} turns a failure into an {@link X11Exception}. */
    Xlib X = Loader.load();

    // Event types (X.h)
    int KEY_PRESS = 2;
    int EXPOSE = 12;
    int VISIBILITY_NOTIFY = 15;
    int CREATE_NOTIFY = 16;
    int DESTROY_NOTIFY = 17;
    int UNMAP_NOTIFY = 18;
    int MAP_NOTIFY = 19;
    int REPARENT_NOTIFY = 21;
    int CONFIGURE_NOTIFY = 22;
    int PROPERTY_NOTIFY = 28;

    // Event masks
    long KEY_PRESS_MASK = 1L;
    long EXPOSURE_MASK = 1L << 15;
    long VISIBILITY_CHANGE_MASK = 1L << 16;
    long STRUCTURE_NOTIFY_MASK = 1L << 17;
    long SUBSTRUCTURE_NOTIFY_MASK = 1L << 19;
    long PROPERTY_CHANGE_MASK = 1L << 22;

    // XEvent (a union of 24 longs): the type at 0; XAnyEvent's window at 32; the subject window of
    // Map/Unmap/Destroy/Configure/Reparent/Create at 40; XPropertyEvent's atom at 40.
    int EVENT_SIZE = 24 * 8;
    int EVENT_TYPE = 0;
    int EVENT_ANY_WINDOW = 32;
    int EVENT_SUBJECT_WINDOW = 40;
    int PROPERTY_EVENT_ATOM = 40;

    // XWindowAttributes
    int ATTRIBUTES_SIZE = 136;
    int ATTR_X = 0;
    int ATTR_Y = 4;
    int ATTR_WIDTH = 8;
    int ATTR_HEIGHT = 12;
    int ATTR_BORDER_WIDTH = 16;
    int ATTR_CLASS = 40;
    int ATTR_MAP_STATE = 92;
    int ATTR_OVERRIDE_REDIRECT = 120;
    int IS_UNMAPPED = 0;
    int IS_UNVIEWABLE = 1;
    int IS_VIEWABLE = 2;
    int INPUT_OUTPUT = 1;
    int INPUT_ONLY = 2;

    // XErrorEvent: type, display, resourceid (16), serial (24), error_code (32), request_code (33)
    int ERROR_RESOURCE = 16;
    int ERROR_CODE = 32;
    int ERROR_REQUEST = 33;
    /** The protocol error for a window that does not exist (any more). */
    int BAD_WINDOW = 3;

    // XImage
    int IMAGE_WIDTH = 0;
    int IMAGE_HEIGHT = 4;
    int IMAGE_DATA = 16;
    int IMAGE_BYTE_ORDER = 24;
    int IMAGE_BYTES_PER_LINE = 44;
    int IMAGE_BITS_PER_PIXEL = 48;
    int IMAGE_RED_MASK = 56;
    int IMAGE_GREEN_MASK = 64;
    int IMAGE_BLUE_MASK = 72;
    int IMAGE_DESTROY_FUNCTION = 96;
    int Z_PIXMAP = 2;
    long ALL_PLANES = -1L;
    int LSB_FIRST = 0;

    /** WM_STATE's IconicState (ICCCM 4.1.3.1). */
    long ICONIC_STATE = 3;

    // XSizeHints flags and gravity
    long US_POSITION = 1;
    long US_SIZE = 1 << 1;
    long P_WIN_GRAVITY = 1 << 9;
    int STATIC_GRAVITY = 10;

    long ANY_PROPERTY_TYPE = 0;
    long NONE = 0;
    long XA_WINDOW = 33;
    int PROP_MODE_REPLACE = 0;

    /** {@code int (*)(Display*, XErrorEvent*)}: must not call Xlib, must return. */
    interface ErrorHandler extends Callback {
        int invoke(Pointer display, Pointer errorEvent);
    }

    /** {@code int (*)(Display*)}: the process-wide one, whose default calls exit(). */
    interface IOErrorHandler extends Callback {
        int invoke(Pointer display);
    }

    /** {@code void (*)(Display*, void*)} (libX11 1.7+): returning leaves the connection dead, not the process. */
    interface IOErrorExitHandler extends Callback {
        void invoke(Pointer display, Pointer userData);
    }

    /** Returns the previous handler's address (null: Xlib's default). */
    Pointer XSetErrorHandler(ErrorHandler handler);

    /** Returns the previous handler's address (null: Xlib's default). */
    Pointer XSetIOErrorHandler(IOErrorHandler handler);

    void XSetIOErrorExitHandler(Pointer display, IOErrorExitHandler handler, Pointer userData);

    Pointer XOpenDisplay(String name);

    int XCloseDisplay(Pointer display);

    int XConnectionNumber(Pointer display);

    long XDefaultRootWindow(Pointer display);

    int XDefaultScreen(Pointer display);

    int XDisplayWidth(Pointer display, int screen);

    int XDisplayHeight(Pointer display, int screen);

    long XDefaultColormap(Pointer display, int screen);

    long XBlackPixel(Pointer display, int screen);

    int XFlush(Pointer display);

    int XSync(Pointer display, boolean discard);

    int XPending(Pointer display);

    int XNextEvent(Pointer display, Pointer event);

    int XSelectInput(Pointer display, long window, long mask);

    int XQueryTree(
            Pointer display,
            long window,
            LongByReference root,
            LongByReference parent,
            PointerByReference children,
            IntByReference count);

    int XGetWindowAttributes(Pointer display, long window, Pointer attributes);

    boolean XTranslateCoordinates(
            Pointer display,
            long src,
            long dest,
            int srcX,
            int srcY,
            IntByReference destX,
            IntByReference destY,
            LongByReference child);

    long XInternAtom(Pointer display, String name, boolean onlyIfExists);

    int XGetWindowProperty(
            Pointer display,
            long window,
            long property,
            long offset,
            long length,
            boolean delete,
            long reqType,
            LongByReference actualType,
            IntByReference actualFormat,
            LongByReference nItems,
            LongByReference bytesAfter,
            PointerByReference prop);

    int XChangeProperty(
            Pointer display, long window, long property, long type, int format, int mode, long[] data, int count);

    int XFree(Pointer data);

    long XCreateSimpleWindow(
            Pointer display,
            long parent,
            int x,
            int y,
            int width,
            int height,
            int borderWidth,
            long border,
            long background);

    int XDestroyWindow(Pointer display, long window);

    int XMapWindow(Pointer display, long window);

    int XMapRaised(Pointer display, long window);

    int XUnmapWindow(Pointer display, long window);

    int XRaiseWindow(Pointer display, long window);

    int XIconifyWindow(Pointer display, long window, int screen);

    int XMoveResizeWindow(Pointer display, long window, int x, int y, int width, int height);

    int XStoreName(Pointer display, long window, String name);

    int XClearWindow(Pointer display, long window);

    int XSetWindowBackground(Pointer display, long window, long pixel);

    void XSetWMNormalHints(Pointer display, long window, XSizeHints hints);

    int XAllocColor(Pointer display, long colormap, XColor color);

    Pointer XGetImage(Pointer display, long drawable, int x, int y, int width, int height, long planeMask, int format);

    @Structure.FieldOrder({
        "flags",
        "x",
        "y",
        "width",
        "height",
        "min_width",
        "min_height",
        "max_width",
        "max_height",
        "width_inc",
        "height_inc",
        "min_aspect_x",
        "min_aspect_y",
        "max_aspect_x",
        "max_aspect_y",
        "base_width",
        "base_height",
        "win_gravity"
    })
    final class XSizeHints extends Structure {
        public NativeLong flags;
        public int x;
        public int y;
        public int width;
        public int height;
        public int min_width;
        public int min_height;
        public int max_width;
        public int max_height;
        public int width_inc;
        public int height_inc;
        public int min_aspect_x;
        public int min_aspect_y;
        public int max_aspect_x;
        public int max_aspect_y;
        public int base_width;
        public int base_height;
        public int win_gravity;
    }

    @Structure.FieldOrder({"pixel", "red", "green", "blue", "flags", "pad"})
    final class XColor extends Structure {
        public NativeLong pixel;
        public short red;
        public short green;
        public short blue;
        public byte flags;
        public byte pad;
    }

    /** Loads libX11 after checking the data model the offsets above are written for. */
    final class Loader {
        private Loader() {}

        static Xlib load() {
            if (Native.LONG_SIZE != 8 || Native.POINTER_SIZE != 8) {
                throw new UnsupportedOperationException("the X11 binding is written for 64-bit Linux (LP64)");
            }
            return Native.load("X11", Xlib.class);
        }
    }
}
