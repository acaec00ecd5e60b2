package org.spiceoverlay.x11;

import com.sun.jna.Function;
import com.sun.jna.Pointer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place the process's Xlib error handlers are installed. Xlib has one protocol error
 * handler and one I/O error handler per process, and its defaults end the process (a
 * {@code BadWindow} for a window that just closed, a server that went away). These handlers, set
 * once, hand each error to the {@link Sink} of the display it happened on, and every error on a
 * display that is not registered here (another library's connection) to the handler that was
 * installed before, so both keep working in one process: the client's window tracker, the guest's
 * window geometry helper and any toolkit beside them.
 *
 * <p>Threads: {@link #register} and {@link #unregister} from any thread. Xlib calls the handlers on
 * the thread whose call met the error; a sink must not call Xlib and must return quickly.
 */
public final class XErrorHandlers {

    /** Where one display's errors go. */
    public interface Sink {
        /** A protocol error ({@code BadWindow}, ...) caused by a request on this display. */
        void protocolError(int errorCode, int requestCode, long resourceId);

        /** The connection broke; make no more calls on it. */
        void connectionLost();
    }

    private static final Logger LOG = LoggerFactory.getLogger(XErrorHandlers.class);
    private static final Map<Long, Sink> SINKS = new ConcurrentHashMap<>();
    private static final AtomicLong ERRORS = new AtomicLong();
    private static final Object LOCK = new Object();
    // Strong references: the native side keeps only the function pointers.
    private static Xlib.ErrorHandler errorHandler;
    private static Xlib.IOErrorHandler ioErrorHandler;
    private static volatile Pointer previousErrorHandler;
    private static volatile Pointer previousIoErrorHandler;

    private XErrorHandlers() {}

    /** Sends {@code display}'s errors to {@code sink} from now on; installs the handlers on first use. */
    public static void register(Pointer display, Sink sink) {
        install();
        SINKS.put(Pointer.nativeValue(display), sink);
    }

    /** Stops sending {@code display}'s errors anywhere (call it before the display is closed). */
    public static void unregister(Pointer display) {
        SINKS.remove(Pointer.nativeValue(display));
    }

    /** Protocol errors seen on registered displays since the process started, for logs and tests. */
    public static long errorsSeen() {
        return ERRORS.get();
    }

    private static void install() {
        synchronized (LOCK) {
            if (errorHandler != null) {
                return;
            }
            Xlib x = Xlib.X;
            errorHandler = XErrorHandlers::onError;
            ioErrorHandler = XErrorHandlers::onIoError;
            previousErrorHandler = x.XSetErrorHandler(errorHandler);
            // libX11's default I/O error handler calls exit() itself; this one returns for registered
            // displays, and their per-display exit handler (XConnection) then leaves the process alive.
            previousIoErrorHandler = x.XSetIOErrorHandler(ioErrorHandler);
        }
    }

    private static int onError(Pointer display, Pointer event) {
        Sink sink = SINKS.get(Pointer.nativeValue(display));
        if (sink == null) {
            Pointer previous = previousErrorHandler;
            return previous == null ? 0 : Function.getFunction(previous).invokeInt(new Object[] {display, event});
        }
        ERRORS.incrementAndGet();
        int code = event.getByte(Xlib.ERROR_CODE) & 0xff;
        int request = event.getByte(Xlib.ERROR_REQUEST) & 0xff;
        long resource = event.getLong(Xlib.ERROR_RESOURCE);
        if (LOG.isDebugEnabled()) {
            LOG.debug("X error {} on request {} for resource 0x{}", code, request, Long.toHexString(resource));
        }
        sink.protocolError(code, request, resource);
        return 0;
    }

    private static int onIoError(Pointer display) {
        Sink sink = SINKS.get(Pointer.nativeValue(display));
        if (sink == null) {
            Pointer previous = previousIoErrorHandler;
            return previous == null ? 0 : Function.getFunction(previous).invokeInt(new Object[] {display});
        }
        sink.connectionLost();
        return 0;
    }
}
