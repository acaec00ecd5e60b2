package org.spiceoverlay.render;

import static org.lwjgl.system.MemoryUtil.memAddress;

import java.nio.ByteBuffer;
import java.nio.IntBuffer;
import java.util.HashMap;
import java.util.Map;
import org.lwjgl.PointerBuffer;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.system.linux.X11;

/**
 * The ICCCM/EWMH properties that tell a window manager how to treat the overlay, set before each
 * time the window is mapped (a WM drops {@code _NET_WM_STATE} when a window is withdrawn):
 * <ul>
 * <li>{@code WM_HINTS} input = False and {@code _NET_WM_USER_TIME} = 0: never give it the keyboard
 *     focus, not even when it is mapped (openbox focuses new windows otherwise, taking the focus
 *     from the Spice client the user is typing into);</li>
 * <li>{@code _NET_WM_STATE} = above, skip taskbar, skip pager: on top of the Spice window even when
 *     that is raised, and absent from task lists;</li>
 * <li>and, after each map, an empty input shape on the manager's frame windows around the overlay
 *     ({@link #makeFramesClickThrough}).</li>
 * </ul>
 * GLFW sets WM_HINTS (with no input field) and _NET_WM_STATE_ABOVE itself but has no call for the
 * rest, so Xlib's {@code XInternAtom}/{@code XChangeProperty} are called through
 * {@link NativeFunction}. Without a window manager the properties are harmless.
 *
 * <p>Threads: the render thread only, which owns GLFW's X connection.
 */
final class WindowManagerHints implements AutoCloseable {

    private static final long XA_ATOM = 4;
    private static final long XA_CARDINAL = 6;
    private static final long XA_WM_HINTS = 35;
    private static final int PROP_MODE_REPLACE = 0;
    /** WM_HINTS flags: InputHint | StateHint. */
    private static final long INPUT_AND_STATE_HINT = 1 | 2;

    private static final long NORMAL_STATE = 1;

    private final NativeFunction internAtom;
    private final NativeFunction changeProperty;
    private final NativeFunction queryTree;
    private final NativeFunction free;
    private final Map<String, Long> atoms = new HashMap<>();
    private boolean closed;

    WindowManagerHints() {
        internAtom = NativeFunction.of(
                X11.getLibrary(),
                "XInternAtom",
                NativeFunction.Type.POINTER,
                NativeFunction.Type.POINTER,
                NativeFunction.Type.POINTER,
                NativeFunction.Type.INT);
        // int XChangeProperty(Display*, Window, Atom property, Atom type, int format, int mode,
        //                     const unsigned char* data, int nelements)
        changeProperty = NativeFunction.of(
                X11.getLibrary(),
                "XChangeProperty",
                NativeFunction.Type.INT,
                NativeFunction.Type.POINTER,
                NativeFunction.Type.POINTER,
                NativeFunction.Type.POINTER,
                NativeFunction.Type.POINTER,
                NativeFunction.Type.INT,
                NativeFunction.Type.INT,
                NativeFunction.Type.POINTER,
                NativeFunction.Type.INT);
        // Status XQueryTree(Display*, Window, Window* root, Window* parent, Window** children, unsigned* n)
        queryTree = NativeFunction.of(
                X11.getLibrary(),
                "XQueryTree",
                NativeFunction.Type.INT,
                NativeFunction.Type.POINTER,
                NativeFunction.Type.POINTER,
                NativeFunction.Type.POINTER,
                NativeFunction.Type.POINTER,
                NativeFunction.Type.POINTER,
                NativeFunction.Type.POINTER);
        free = NativeFunction.of(X11.getLibrary(), "XFree", NativeFunction.Type.INT, NativeFunction.Type.POINTER);
    }

    /** Sets the properties on the (unmapped) {@code window}; the next request flush sends them. */
    void apply(long display, long window) {
        // WM_HINTS as on the wire: flags, input, initial_state, icon pixmap/window, icon x/y, icon mask, group.
        set(display, window, XA_WM_HINTS, XA_WM_HINTS, INPUT_AND_STATE_HINT, 0, NORMAL_STATE, 0, 0, 0, 0, 0, 0);
        set(display, window, atom(display, "_NET_WM_USER_TIME"), XA_CARDINAL, 0);
        set(
                display,
                window,
                atom(display, "_NET_WM_STATE"),
                XA_ATOM,
                atom(display, "_NET_WM_STATE_ABOVE"),
                atom(display, "_NET_WM_STATE_SKIP_TASKBAR"),
                atom(display, "_NET_WM_STATE_SKIP_PAGER"));
    }

    /**
     * Makes the windows a reparenting window manager put around the (mapped) {@code window}
     * click-through too: they hold nothing but the overlay, yet would otherwise catch the pointer
     * over it (openbox copies the bounding shape to its frame, not the input shape). Call after each
     * map: the manager makes a new frame every time.
     */
    void makeFramesClickThrough(long display, long window, XShape shape) {
        long current = window;
        for (int depth = 0; depth < 8; depth++) {
            long parent;
            long root;
            try (MemoryStack stack = MemoryStack.stackPush()) {
                PointerBuffer rootOut = stack.callocPointer(1);
                PointerBuffer parentOut = stack.callocPointer(1);
                PointerBuffer childrenOut = stack.callocPointer(1);
                IntBuffer countOut = stack.callocInt(1);
                if (queryTree.call(
                                display,
                                current,
                                memAddress(rootOut),
                                memAddress(parentOut),
                                memAddress(childrenOut),
                                memAddress(countOut))
                        == 0) {
                    return;
                }
                if (childrenOut.get(0) != 0) {
                    free.call(childrenOut.get(0));
                }
                root = rootOut.get(0);
                parent = parentOut.get(0);
            }
            if (parent == 0 || parent == root) {
                return;
            }
            shape.clearInputShape(display, parent);
            current = parent;
        }
    }

    private long atom(long display, String name) {
        Long known = atoms.get(name);
        if (known != null) {
            return known;
        }
        try (MemoryStack stack = MemoryStack.stackPush()) {
            long atom = internAtom.call(display, memAddress(stack.ASCII(name)), 0);
            atoms.put(name, atom);
            return atom;
        }
    }

    /** A 32-bit-format property: Xlib takes its items as C longs. */
    private void set(long display, long window, long property, long type, long... items) {
        try (MemoryStack stack = MemoryStack.stackPush()) {
            ByteBuffer data = stack.malloc(8, items.length * 8);
            for (int i = 0; i < items.length; i++) {
                data.putLong(i * 8, items[i]);
            }
            changeProperty.call(display, window, property, type, 32, PROP_MODE_REPLACE, memAddress(data), items.length);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        internAtom.close();
        changeProperty.close();
        queryTree.close();
        free.close();
    }
}
