package org.spiceoverlay.render;

import static org.lwjgl.system.MemoryUtil.memAddress;
import static org.lwjgl.system.MemoryUtil.memAlloc;
import static org.lwjgl.system.MemoryUtil.memFree;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.util.List;
import org.lwjgl.system.Library;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.system.SharedLibrary;
import org.lwjgl.system.linux.X11;
import org.spiceoverlay.api.Rect;

/**
 * The X Shape extension's bounding shape on the overlay window: X then shows the window only
 * inside the given rectangles and, everywhere else in its rectangle, whatever lies beneath it (the
 * Spice window, another window covering the guest's video). That is how an opaque window, with no
 * compositing manager, is clipped to a visible region that is not a rectangle.
 *
 * <p>GLFW uses the extension itself (for mouse passthrough) but has no call for it, LWJGL has no
 * libXext binding, and JNA stays out of this module; so libXext (loaded as GLFW loads it) is called
 * through {@link NativeFunction}.
 *
 * <p>Threads: the render thread only, which owns GLFW's X connection.
 */
final class XShape implements AutoCloseable {

    private static final int SHAPE_BOUNDING = 0;
    private static final int SHAPE_INPUT = 2;
    private static final int SHAPE_SET = 0;
    /**
     * "Unsorted": the server sorts. A wrong ordering claim is a BadMatch, and Xlib's default error
     * handler exits the process, so no claim is made for a handful of rectangles.
     */
    private static final int UNSORTED = 0;
    /** Above this many rectangles the array goes to the heap instead of the thread's stack. */
    private static final int STACK_RECTS = 512;

    private final SharedLibrary xext;
    private final NativeFunction combineRectangles;
    private final NativeFunction flush;
    private boolean closed;

    private XShape(SharedLibrary xext, NativeFunction combineRectangles, NativeFunction flush) {
        this.xext = xext;
        this.combineRectangles = combineRectangles;
        this.flush = flush;
    }

    /**
     * Loads libXext and checks that {@code display} has the Shape extension.
     *
     * @throws RenderException naming the package to install, or saying the X server lacks Shape
     */
    static XShape open(long display) {
        SharedLibrary xext;
        try {
            xext = Library.loadNative(XShape.class, "org.lwjgl", "libXext.so.6");
        } catch (Throwable e) {
            throw new RenderException(
                    "cannot load libXext.so.6 for the X Shape extension (install the Debian " + "package libxext6): "
                            + e.getMessage(),
                    e);
        }
        try (NativeFunction query = NativeFunction.of(
                        xext,
                        "XShapeQueryExtension",
                        NativeFunction.Type.INT,
                        NativeFunction.Type.POINTER,
                        NativeFunction.Type.POINTER,
                        NativeFunction.Type.POINTER);
                MemoryStack stack = MemoryStack.stackPush()) {
            IntBuffer eventBase = stack.mallocInt(1);
            IntBuffer errorBase = stack.mallocInt(1);
            if (query.call(display, memAddress(eventBase), memAddress(errorBase)) == 0) {
                throw new RenderException("the X server has no Shape extension, which the overlay needs to show "
                        + "only the visible part of a video");
            }
            // void XShapeCombineRectangles(Display*, Window, int kind, int x, int y, XRectangle*, int n,
            //                              int op, int ordering)
            NativeFunction combine = NativeFunction.of(
                    xext,
                    "XShapeCombineRectangles",
                    NativeFunction.Type.VOID,
                    NativeFunction.Type.POINTER,
                    NativeFunction.Type.POINTER,
                    NativeFunction.Type.INT,
                    NativeFunction.Type.INT,
                    NativeFunction.Type.INT,
                    NativeFunction.Type.POINTER,
                    NativeFunction.Type.INT,
                    NativeFunction.Type.INT,
                    NativeFunction.Type.INT);
            NativeFunction flush =
                    NativeFunction.of(X11.getLibrary(), "XFlush", NativeFunction.Type.INT, NativeFunction.Type.POINTER);
            return new XShape(xext, combine, flush);
        } catch (RuntimeException e) {
            xext.free();
            throw e;
        }
    }

    /**
     * Sets {@code window}'s bounding shape to {@code rects} (in window coordinates) and flushes the
     * request to the server.
     */
    void setBoundingShape(long display, long window, List<Rect> rects) {
        int n = rects.size();
        try (MemoryStack stack = MemoryStack.stackPush()) {
            // XRectangle is {short x, y; unsigned short width, height}: 8 bytes.
            ByteBuffer xrects = n <= STACK_RECTS ? stack.malloc(8, Math.max(1, n) * 8) : memAlloc(n * 8);
            try {
                xrects.order(ByteOrder.nativeOrder());
                for (int i = 0; i < n; i++) {
                    Rect r = rects.get(i);
                    xrects.putShort(i * 8, toShort("x", r.x()));
                    xrects.putShort(i * 8 + 2, toShort("y", r.y()));
                    xrects.putShort(i * 8 + 4, toUnsignedShort("width", r.width()));
                    xrects.putShort(i * 8 + 6, toUnsignedShort("height", r.height()));
                }
                combineRectangles.call(
                        display, window, SHAPE_BOUNDING, 0, 0, memAddress(xrects), n, SHAPE_SET, UNSORTED);
            } finally {
                if (n > STACK_RECTS) {
                    memFree(xrects);
                }
            }
        }
        flush.call(display);
    }

    /**
     * Gives {@code window} an empty input shape: the pointer goes through it to whatever is beneath.
     * GLFW does this for its own window (mouse passthrough); a reparenting window manager's frame
     * around it needs it too (openbox copies only the bounding shape to its frame).
     */
    void clearInputShape(long display, long window) {
        combineRectangles.call(display, window, SHAPE_INPUT, 0, 0, 0, 0, SHAPE_SET, UNSORTED);
        flush.call(display);
    }

    private static short toShort(String name, int v) {
        if (v < Short.MIN_VALUE || v > Short.MAX_VALUE) {
            throw new IllegalArgumentException("shape rectangle " + name + " " + v + " does not fit X's 16 bits");
        }
        return (short) v;
    }

    private static short toUnsignedShort(String name, int v) {
        if (v < 0 || v > 0xffff) {
            throw new IllegalArgumentException("shape rectangle " + name + " " + v + " does not fit X's 16 bits");
        }
        return (short) v;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        combineRectangles.close();
        flush.close();
        xext.free();
    }
}
