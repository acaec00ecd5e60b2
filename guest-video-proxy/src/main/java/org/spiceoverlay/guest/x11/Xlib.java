package org.spiceoverlay.guest.x11;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.NativeLongByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * The few Xlib calls the geometry helper and the player window need, bound with JNA (interface
 * mapping). XIDs ({@code Window}, {@code Atom}) are C {@code unsigned long}: {@link NativeLong}.
 *
 * <p>Threads: libX11 1.8 initialises its locks on its own ({@code XInitThreads}), but each
 * {@code Display} here is still used from its {@link XConnection}'s thread only.
 */
interface Xlib extends Library {

    /** Loaded on first use; {@link XConnection} turns a failure into an {@link X11Exception}. */
    Xlib X = Native.load("X11", Xlib.class);

    // Event types (X.h)
    int KEY_PRESS = 2;
    int EXPOSE = 12;
    int VISIBILITY_NOTIFY = 15;
    int DESTROY_NOTIFY = 17;
    int UNMAP_NOTIFY = 18;
    int MAP_NOTIFY = 19;
    int REPARENT_NOTIFY = 21;
    int CONFIGURE_NOTIFY = 22;
    int PROPERTY_NOTIFY = 28;

    // Event masks
    long EXPOSURE_MASK = 1L << 15;
    long VISIBILITY_CHANGE_MASK = 1L << 16;
    long STRUCTURE_NOTIFY_MASK = 1L << 17;
    long SUBSTRUCTURE_NOTIFY_MASK = 1L << 19;
    long PROPERTY_CHANGE_MASK = 1L << 22;

    // XWindowAttributes.map_state and class
    int IS_UNMAPPED = 0;
    int IS_UNVIEWABLE = 1;
    int IS_VIEWABLE = 2;
    int INPUT_OUTPUT = 1;
    int INPUT_ONLY = 2;

    /** WM_STATE's IconicState (ICCCM 4.1.3.1). */
    long ICONIC_STATE = 3;

    // XSizeHints flags and gravity
    long US_POSITION = 1;
    long US_SIZE = 1 << 1;
    long P_WIN_GRAVITY = 1 << 9;
    int STATIC_GRAVITY = 10;

    int Z_PIXMAP = 2;
    long ALL_PLANES = ~0L;
    /** An XEvent is a union of 24 longs. */
    int XEVENT_SIZE = 24 * 8;

    Pointer XOpenDisplay(String name);

    int XCloseDisplay(Pointer display);

    int XConnectionNumber(Pointer display);

    NativeLong XDefaultRootWindow(Pointer display);

    int XDefaultScreen(Pointer display);

    NativeLong XDefaultColormap(Pointer display, int screen);

    NativeLong XBlackPixel(Pointer display, int screen);

    int XFlush(Pointer display);

    int XSync(Pointer display, boolean discard);

    int XPending(Pointer display);

    int XNextEvent(Pointer display, Pointer event);

    int XSelectInput(Pointer display, NativeLong window, NativeLong mask);

    int XQueryTree(Pointer display, NativeLong window, NativeLongByReference root, NativeLongByReference parent,
            PointerByReference children, IntByReference count);

    int XGetWindowAttributes(Pointer display, NativeLong window, XWindowAttributes attributes);

    boolean XTranslateCoordinates(Pointer display, NativeLong src, NativeLong dest, int srcX, int srcY,
            IntByReference destX, IntByReference destY, NativeLongByReference child);

    NativeLong XInternAtom(Pointer display, String name, boolean onlyIfExists);

    int XGetWindowProperty(Pointer display, NativeLong window, NativeLong property, NativeLong offset,
            NativeLong length, boolean delete, NativeLong reqType, NativeLongByReference actualType,
            IntByReference actualFormat, NativeLongByReference items, NativeLongByReference bytesAfter,
            PointerByReference prop);

    int XFree(Pointer data);

    NativeLong XCreateSimpleWindow(Pointer display, NativeLong parent, int x, int y, int width, int height,
            int borderWidth, NativeLong border, NativeLong background);

    int XDestroyWindow(Pointer display, NativeLong window);

    int XMapWindow(Pointer display, NativeLong window);

    int XMapRaised(Pointer display, NativeLong window);

    int XUnmapWindow(Pointer display, NativeLong window);

    int XRaiseWindow(Pointer display, NativeLong window);

    int XIconifyWindow(Pointer display, NativeLong window, int screen);

    int XMoveResizeWindow(Pointer display, NativeLong window, int x, int y, int width, int height);

    int XStoreName(Pointer display, NativeLong window, String name);

    void XSetWMNormalHints(Pointer display, NativeLong window, XSizeHints hints);

    int XAllocColor(Pointer display, NativeLong colormap, XColor color);

    Pointer XGetImage(Pointer display, NativeLong drawable, int x, int y, int width, int height, NativeLong planes,
            int format);

    NativeLong XGetPixel(Pointer image, int x, int y);

    int XDestroyImage(Pointer image);

    /** {@code int (*)(Display*, XErrorEvent*)}: must not call Xlib, must return. */
    interface XErrorHandler extends Callback {
        int invoke(Pointer display, XErrorEvent event);
    }

    /** {@code int (*)(Display*)}: Xlib exits the process after it unless an exit handler is set. */
    interface XIOErrorHandler extends Callback {
        int invoke(Pointer display);
    }

    /** {@code void (*)(Display*, void*)} (libX11 1.7+): returning leaves the connection dead, not the process. */
    interface XIOErrorExitHandler extends Callback {
        void invoke(Pointer display, Pointer userData);
    }

    Pointer XSetErrorHandler(XErrorHandler handler);

    Pointer XSetIOErrorHandler(XIOErrorHandler handler);

    void XSetIOErrorExitHandler(Pointer display, XIOErrorExitHandler handler, Pointer userData);

    @Structure.FieldOrder({"x", "y", "width", "height", "border_width", "depth", "visual", "root", "c_class",
            "bit_gravity", "win_gravity", "backing_store", "backing_planes", "backing_pixel", "save_under",
            "colormap", "map_installed", "map_state", "all_event_masks", "your_event_mask",
            "do_not_propagate_mask", "override_redirect", "screen"})
    final class XWindowAttributes extends Structure {
        public int x;
        public int y;
        public int width;
        public int height;
        public int border_width;
        public int depth;
        public Pointer visual;
        public NativeLong root;
        public int c_class;
        public int bit_gravity;
        public int win_gravity;
        public int backing_store;
        public NativeLong backing_planes;
        public NativeLong backing_pixel;
        public int save_under;
        public NativeLong colormap;
        public int map_installed;
        public int map_state;
        public NativeLong all_event_masks;
        public NativeLong your_event_mask;
        public NativeLong do_not_propagate_mask;
        public int override_redirect;
        public Pointer screen;
    }

    @Structure.FieldOrder({"flags", "x", "y", "width", "height", "min_width", "min_height", "max_width",
            "max_height", "width_inc", "height_inc", "min_aspect_x", "min_aspect_y", "max_aspect_x",
            "max_aspect_y", "base_width", "base_height", "win_gravity"})
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

    @Structure.FieldOrder({"type", "display", "resourceid", "serial", "error_code", "request_code", "minor_code"})
    final class XErrorEvent extends Structure {
        public int type;
        public Pointer display;
        public NativeLong resourceid;
        public NativeLong serial;
        public byte error_code;
        public byte request_code;
        public byte minor_code;
    }

    /** The libc calls for the event thread's wake-up pipe and its wait on two descriptors. */
    interface LibC extends Library {
        LibC C = Native.load("c", LibC.class);

        short POLLIN = 0x1;

        int pipe(int[] fds);

        int poll(Pointer fds, NativeLong count, int timeoutMs);

        NativeLong read(int fd, byte[] buffer, NativeLong count);

        NativeLong write(int fd, byte[] buffer, NativeLong count);

        int close(int fd);
    }
}
