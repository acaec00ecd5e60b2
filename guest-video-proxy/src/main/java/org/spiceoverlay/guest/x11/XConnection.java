package org.spiceoverlay.guest.x11;

import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sun.jna.Memory;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

/**
 * One X display connection and the thread that owns it: every Xlib call on the connection runs
 * there ({@link #call}, {@link #post}). The thread waits in {@code poll()} on the connection's socket
 * and a wake-up pipe, so it sleeps until the server sends something or another thread hands it work
 * — no polling loop, no timed wake-ups unless the {@link Handler} asks for one (to coalesce a burst).
 *
 * <p>Xlib's default error handlers end the process (a {@code BadWindow} for a window that just
 * closed, a server that went away); here protocol errors are recorded for the call that caused them
 * ({@link #takeError}) and a broken connection is reported to the handler.
 *
 * <p>Threads: {@link #call}, {@link #post} and {@link #close} from any thread; the handler runs on the
 * connection's thread.
 */
final class XConnection implements AutoCloseable {

    /** What the connection's thread does with events. All methods run on that thread. */
    interface Handler {
        /** One event (an {@code XEvent*}, valid during the call). */
        void onEvent(Pointer event);

        /** No event is waiting: do deferred work; returns how long to sleep at most (ms), or -1. */
        int onIdle();

        /** The connection broke; the thread ends after this. */
        void onLost(X11Exception e);
    }

    /** A task for the connection's thread that may fail with an {@link X11Exception}. */
    interface XTask<T> {
        T run() throws X11Exception;
    }

    static final int BAD_WINDOW = 3;

    private static final Logger LOG = LoggerFactory.getLogger(XConnection.class);
    /** Every open connection by its {@code Display*}, for the process-wide error handler. */
    private static final Map<Long, XConnection> OPEN = new ConcurrentHashMap<>();
    private static final Object HANDLER_LOCK = new Object();
    // Strong references: the native side keeps only the function pointers.
    private static Xlib.XErrorHandler errorHandler;
    private static Pointer previousErrorHandler;
    private static Xlib.XIOErrorHandler ioErrorHandler;
    private static Pointer previousIoErrorHandler;

    final Xlib x;
    final Pointer display;
    final NativeLong root;
    final int screen;
    private final String name;
    private final Xlib.LibC c;
    private final int[] wakePipe = new int[2];
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private final CountDownLatch ended = new CountDownLatch(1);
    // Keeps the exit handler's native trampoline alive as long as the display.
    private final Xlib.XIOErrorExitHandler exitHandler = (d, data) -> markLost();
    private volatile boolean stopping;
    private volatile boolean lost;
    private volatile Handler handler;
    private int lastErrorCode; // the connection's thread only

    private XConnection(Xlib x, Xlib.LibC c, Pointer display, String name, String threadName) {
        this.x = x;
        this.c = c;
        this.display = display;
        this.name = name;
        this.root = x.XDefaultRootWindow(display);
        this.screen = x.XDefaultScreen(display);
        this.thread = new Thread(this::loop, threadName);
        this.thread.setDaemon(true);
    }

    /**
     * Opens {@code displayName} (null: {@code $DISPLAY}) and starts its thread.
     *
     * @throws X11Exception NATIVE_LIBRARY_MISSING without JNA or libX11, DISPLAY_UNREACHABLE when the
     *                      display does not open
     */
    static XConnection open(String displayName, String threadName) throws X11Exception {
        Xlib x;
        Xlib.LibC c;
        try {
            x = Xlib.X;
            c = Xlib.LibC.C;
        } catch (NoClassDefFoundError e) {
            throw new X11Exception(X11Exception.Reason.NATIVE_LIBRARY_MISSING,
                    "the X11 helper needs JNA on the class path (net.java.dev.jna:jna)", e);
        } catch (UnsatisfiedLinkError e) {
            throw new X11Exception(X11Exception.Reason.NATIVE_LIBRARY_MISSING,
                    "cannot load libX11 (install libx11-6): " + e.getMessage(), e);
        }
        String shown = displayName != null ? displayName : System.getenv("DISPLAY");
        if (shown == null || shown.isBlank()) {
            throw new X11Exception(X11Exception.Reason.DISPLAY_UNREACHABLE,
                    "no X display given and DISPLAY is not set");
        }
        installErrorHandler(x);
        Pointer d = x.XOpenDisplay(shown);
        if (d == null) {
            throw new X11Exception(X11Exception.Reason.DISPLAY_UNREACHABLE, "cannot open X display " + shown
                    + " (is the X server running, and may this user connect to it: DISPLAY, XAUTHORITY?)");
        }
        XConnection conn = new XConnection(x, c, d, shown, threadName);
        OPEN.put(Pointer.nativeValue(d), conn);
        try {
            x.XSetIOErrorExitHandler(d, conn.exitHandler, null);
        } catch (UnsatisfiedLinkError e) {
            LOG.warn("libX11 older than 1.7: a lost connection to {} will end the process", shown);
        }
        if (c.pipe(conn.wakePipe) != 0) {
            OPEN.remove(Pointer.nativeValue(d));
            x.XCloseDisplay(d);
            throw new X11Exception(X11Exception.Reason.DISPLAY_UNREACHABLE, "pipe() failed for the event thread");
        }
        conn.thread.start();
        return conn;
    }

    /** The display's name, e.g. ":1". */
    String name() {
        return name;
    }

    /** Installs the handler; call it from a task on the connection's thread, so that no event is missed. */
    void setHandler(Handler h) {
        this.handler = h;
    }

    boolean isLost() {
        return lost;
    }

    boolean onThread() {
        return Thread.currentThread() == thread;
    }

    /** Runs {@code task} on the connection's thread and returns its result; waits for it. */
    <T> T call(XTask<T> task) throws X11Exception {
        if (onThread()) {
            return task.run();
        }
        if (stopping || lost) {
            throw new X11Exception(X11Exception.Reason.DISPLAY_LOST, "the connection to " + name + " is closed");
        }
        FutureTask<T> f = new FutureTask<>(task::run);
        tasks.add(f);
        wake();
        try {
            while (true) {
                try {
                    return f.get(200, java.util.concurrent.TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    if (ended.getCount() == 0 && !f.isDone()) {
                        throw new X11Exception(X11Exception.Reason.DISPLAY_LOST,
                                "the connection to " + name + " closed before the call ran");
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.cancel(false);
            throw new X11Exception(X11Exception.Reason.DISPLAY_LOST, "interrupted waiting for " + name);
        } catch (CancellationException e) {
            throw new X11Exception(X11Exception.Reason.DISPLAY_LOST, "call on " + name + " cancelled");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof X11Exception xe) {
                throw xe;
            }
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Runs {@code task} on the connection's thread later. */
    void post(Runnable task) {
        tasks.add(task);
        wake();
    }

    /** Sends everything queued and waits for the server; then returns and clears the first error since the last take. */
    int syncAndTakeError() {
        x.XSync(display, false);
        return takeError();
    }

    /** The first protocol error recorded since the last take (0: none). Connection's thread only. */
    int takeError() {
        int e = lastErrorCode;
        lastErrorCode = 0;
        return e;
    }

    NativeLong atom(String atomName) {
        return x.XInternAtom(display, atomName, false);
    }

    private void wake() {
        c.write(wakePipe[1], new byte[] {1}, new NativeLong(1));
    }

    private void markLost() {
        lost = true;
    }

    private void loop() {
        Memory event = new Memory(Xlib.XEVENT_SIZE);
        Memory fds = new Memory(16); // two struct pollfd {int fd; short events; short revents;}
        fds.setInt(0, x.XConnectionNumber(display));
        fds.setShort(4, Xlib.LibC.POLLIN);
        fds.setInt(8, wakePipe[0]);
        fds.setShort(12, Xlib.LibC.POLLIN);
        byte[] drain = new byte[64];
        try {
            while (!stopping && !lost) {
                runTasks();
                // The handler is installed by a task on this thread before any event is read for it.
                while (!lost && !stopping && x.XPending(display) > 0) {
                    x.XNextEvent(display, event);
                    Handler h = handler;
                    if (h != null) {
                        h.onEvent(event);
                    }
                }
                if (lost || stopping) {
                    break;
                }
                Handler h = handler;
                int waitMs = h != null ? h.onIdle() : -1;
                runTasks();
                if (lost || stopping || x.XPending(display) > 0 || !tasks.isEmpty()) {
                    continue;
                }
                fds.setShort(6, (short) 0);
                fds.setShort(14, (short) 0);
                c.poll(fds, new NativeLong(2), waitMs);
                if (fds.getShort(14) != 0) {
                    c.read(wakePipe[0], drain, new NativeLong(drain.length));
                }
            }
        } catch (RuntimeException e) {
            LOG.error("X event thread for {} failed", name, e);
        } finally {
            runTasks(); // let waiting callers finish (they see a closed connection)
            if (lost) {
                Handler h = handler;
                if (h != null && !stopping) {
                    try {
                        h.onLost(new X11Exception(X11Exception.Reason.DISPLAY_LOST,
                                "lost the connection to X display " + name));
                    } catch (RuntimeException e) {
                        LOG.warn("X11 listener failed on display loss", e);
                    }
                }
            } else {
                // A lost connection is left as it is: Xlib marked it dead and closing it could touch it.
                x.XCloseDisplay(display);
            }
            OPEN.remove(Pointer.nativeValue(display));
            c.close(wakePipe[0]);
            c.close(wakePipe[1]);
            ended.countDown();
        }
    }

    private void runTasks() {
        Runnable r;
        while ((r = tasks.poll()) != null) {
            r.run();
        }
    }

    /** Stops the thread and closes the display; waits for that unless called on the thread itself. Idempotent. */
    @Override
    public void close() {
        if (stopping) {
            awaitEnd();
            return;
        }
        stopping = true;
        if (ended.getCount() != 0) {
            wake();
        }
        awaitEnd();
    }

    private void awaitEnd() {
        if (onThread()) {
            return;
        }
        try {
            ended.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void installErrorHandler(Xlib x) {
        synchronized (HANDLER_LOCK) {
            if (errorHandler != null) {
                return;
            }
            errorHandler = (d, ev) -> {
                XConnection conn = OPEN.get(Pointer.nativeValue(d));
                if (conn == null) {
                    // Another library's connection: keep its behaviour.
                    Pointer prev = previousErrorHandler;
                    if (prev != null) {
                        return com.sun.jna.Function.getFunction(prev).invokeInt(new Object[] {d, ev.getPointer()});
                    }
                    return 0;
                }
                if (conn.lastErrorCode == 0) {
                    conn.lastErrorCode = ev.error_code & 0xFF;
                }
                LOG.debug("X error {} (request {}) for resource 0x{} on {}", ev.error_code & 0xFF,
                        ev.request_code & 0xFF, Long.toHexString(ev.resourceid.longValue()), conn.name);
                return 0;
            };
            previousErrorHandler = x.XSetErrorHandler(errorHandler);
            // libX11's default I/O error handler calls exit() itself; ours returns for our
            // connections, and then the per-display exit handler (markLost) leaves the process alive.
            ioErrorHandler = d -> {
                XConnection conn = OPEN.get(Pointer.nativeValue(d));
                if (conn == null) {
                    Pointer prev = previousIoErrorHandler;
                    if (prev != null) {
                        return com.sun.jna.Function.getFunction(prev).invokeInt(new Object[] {d});
                    }
                    return 0;
                }
                conn.markLost();
                LOG.debug("lost the connection to X display {}", conn.name);
                return 0;
            };
            previousIoErrorHandler = x.XSetIOErrorHandler(ioErrorHandler);
        }
    }
}
