package org.spiceoverlay.bridge.window;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * The few libX11 calls the window tracker needs, over JNA. X ids ({@code Window}, {@code Atom})
 * and masks are C {@code unsigned long}s, taken as Java {@code long}: this binding is for LP64
 * Linux (checked by {@link #load()}). Structs the tracker reads ({@code XEvent},
 * {@code XWindowAttributes}, {@code XImage}) are plain memory read at their LP64 offsets (see
 * the constants), which keeps JNA's reflection out of the event loop.
 *
 * <p>Threads: an Xlib {@code Display} connection is used by one thread at a time; the tracker
 * uses its own connection on its own thread only.
 */
interface Xlib extends Library {

    // event masks
    long STRUCTURE_NOTIFY_MASK = 1L << 17;
    long SUBSTRUCTURE_NOTIFY_MASK = 1L << 19;
    long PROPERTY_CHANGE_MASK = 1L << 22;
    long EXPOSURE_MASK = 1L << 15;

    // event types
    int CREATE_NOTIFY = 16;
    int DESTROY_NOTIFY = 17;
    int UNMAP_NOTIFY = 18;
    int MAP_NOTIFY = 19;
    int REPARENT_NOTIFY = 21;
    int CONFIGURE_NOTIFY = 22;
    int PROPERTY_NOTIFY = 28;

    // XAnyEvent / XPropertyEvent: the window is at 32; Map/Unmap/Destroy/Configure/Reparent/Create: 40
    int EVENT_SIZE = 192;
    int EVENT_TYPE = 0;
    int EVENT_ANY_WINDOW = 32;
    int EVENT_SUBJECT_WINDOW = 40;
    int PROPERTY_EVENT_ATOM = 40;

    // XWindowAttributes
    int ATTRIBUTES_SIZE = 136;
    int ATTR_WIDTH = 8;
    int ATTR_HEIGHT = 12;
    int ATTR_MAP_STATE = 92;
    int ATTR_OVERRIDE_REDIRECT = 120;
    int IS_VIEWABLE = 2;

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

    long ANY_PROPERTY_TYPE = 0;
    long NONE = 0;

    /** Loads libX11. */
    static Xlib load() {
        if (Native.LONG_SIZE != 8 || Native.POINTER_SIZE != 8) {
            throw new UnsupportedOperationException("the X11 window tracker is written for 64-bit Linux (LP64)");
        }
        try {
            return Native.load("X11", Xlib.class);
        } catch (UnsatisfiedLinkError e) {
            throw new IllegalStateException("cannot load libX11 (install the Debian package libx11-6): "
                    + e.getMessage(), e);
        }
    }

    /** {@code int (*XErrorHandler)(Display*, XErrorEvent*)}. */
    interface ErrorHandler extends Callback {
        int invoke(Pointer display, Pointer errorEvent);
    }

    ErrorHandler XSetErrorHandler(ErrorHandler handler);

    /** {@code void (*)(Display*, void*)} (libX11 1.7+): returning leaves the connection dead, not the process. */
    interface IOErrorExitHandler extends Callback {
        void invoke(Pointer display, Pointer userData);
    }

    void XSetIOErrorExitHandler(Pointer display, IOErrorExitHandler handler, Pointer userData);

    /** {@code int (*XIOErrorHandler)(Display*)}; the process-wide one, whose default calls exit(). */
    interface IOErrorHandler extends Callback {
        int invoke(Pointer display);
    }

    /** Returns the previous handler's address. */
    Pointer XSetIOErrorHandler(IOErrorHandler handler);

    Pointer XOpenDisplay(String name);

    int XCloseDisplay(Pointer display);

    long XDefaultRootWindow(Pointer display);

    int XConnectionNumber(Pointer display);

    int XDisplayWidth(Pointer display, int screen);

    int XDisplayHeight(Pointer display, int screen);

    long XInternAtom(Pointer display, String name, boolean onlyIfExists);

    int XSelectInput(Pointer display, long window, long mask);

    int XPending(Pointer display);

    int XNextEvent(Pointer display, Pointer event);

    int XFlush(Pointer display);

    int XSync(Pointer display, boolean discard);

    int XGetWindowProperty(Pointer display, long window, long property, long offset, long length, boolean delete,
            long reqType, LongByReference actualType, IntByReference actualFormat, LongByReference nItems,
            LongByReference bytesAfter, PointerByReference prop);

    int XFree(Pointer data);

    int XQueryTree(Pointer display, long window, LongByReference root, LongByReference parent,
            PointerByReference children, IntByReference count);

    int XGetWindowAttributes(Pointer display, long window, Pointer attributes);

    boolean XTranslateCoordinates(Pointer display, long src, long dest, int srcX, int srcY, IntByReference destX,
            IntByReference destY, LongByReference child);

    Pointer XGetImage(Pointer display, long drawable, int x, int y, int width, int height, long planeMask,
            int format);

    // for windows of our own (the guest's stand-in player window in tests)

    long XCreateSimpleWindow(Pointer display, long parent, int x, int y, int width, int height, int borderWidth,
            long border, long background);

    int XMapWindow(Pointer display, long window);

    int XUnmapWindow(Pointer display, long window);

    int XMoveResizeWindow(Pointer display, long window, int x, int y, int width, int height);

    int XDestroyWindow(Pointer display, long window);

    int XStoreName(Pointer display, long window, String name);

    int XClearWindow(Pointer display, long window);

    int XSetWindowBackground(Pointer display, long window, long pixel);

    long XA_WINDOW = 33;
    int PROP_MODE_REPLACE = 0;

    int XChangeProperty(Pointer display, long window, long property, long type, int format, int mode, long[] data,
            int count);
}
