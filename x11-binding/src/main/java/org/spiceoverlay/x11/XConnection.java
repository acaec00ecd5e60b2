package org.spiceoverlay.x11;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One X display connection and the thread that owns it: every Xlib call on the connection runs
 * there ({@link #call}, {@link #post}, and the {@link Handler}). The thread waits in {@code poll()}
 * on the connection's socket and a wake-up pipe, so it sleeps until the server sends something or
 * another thread hands it work: no polling loop, no timed wake-ups unless the handler asks for one
 * (to coalesce a burst).
 *
 * <p>Errors: protocol errors are recorded for the call that caused them ({@link #takeError}), a
 * broken connection is reported to the handler ({@link Handler#onLost}) and leaves the process
 * alive; both through {@link XErrorHandlers}, which every connection in the process shares.
 *
 * <p>Threads: {@link #call}, {@link #post}, {@link #close} and the accessors from any thread; the
 * rest, and every use of {@link #display()}, on the connection's thread.
 */
public final class XConnection implements AutoCloseable {

    /** What the connection's thread does with events. All methods run on that thread. */
    public interface Handler {
        /** One event (an {@code XEvent*}, valid during the call; see {@link Xlib#EVENT_TYPE}). */
        void onEvent(Pointer event);

        /** No event is waiting: do deferred work; returns how long to sleep at most (ms), or -1. */
        int onIdle();

        /** The connection broke; the thread ends after this. */
        void onLost(X11Exception e);
    }

    /** A task for the connection's thread that may fail with an {@link X11Exception}. */
    public interface XTask<T> {
        T run() throws X11Exception;
    }

    private static final Logger LOG = LoggerFactory.getLogger(XConnection.class);

    private final Xlib x;
    private final Pointer display;
    private final long root;
    private final int screen;
    private final String name;
    private final int[] wakePipe = new int[2];
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final Map<String, Long> atoms = new HashMap<>(); // the connection's thread only
    private final Thread thread;
    private final CountDownLatch ended = new CountDownLatch(1);
    // Kept strongly for as long as the display: Xlib holds only the native address.
    private final Xlib.IOErrorExitHandler exitHandler = (d, data) -> markLost();
    private final XErrorHandlers.Sink errorSink = new XErrorHandlers.Sink() {
        @Override
        public void protocolError(int errorCode, int requestCode, long resourceId) {
            if (lastErrorCode == 0) {
                lastErrorCode = errorCode;
            }
        }

        @Override
        public void connectionLost() {
            markLost();
        }
    };
    private volatile boolean stopping;
    private volatile boolean lost;
    private volatile Handler handler;
    private volatile int lastErrorCode;

    private XConnection(Xlib x, Pointer display, String name, String threadName) {
        this.x = x;
        this.display = display;
        this.name = name;
        this.root = x.XDefaultRootWindow(display);
        this.screen = x.XDefaultScreen(display);
        this.thread = new Thread(this::loop, threadName);
        this.thread.setDaemon(true);
    }

    /**
     * Opens {@code displayName} (null: {@code $DISPLAY}) and starts its thread, named
     * {@code threadName}.
     *
     * @throws X11Exception NATIVE_LIBRARY_MISSING without JNA or libX11, DISPLAY_UNREACHABLE when the
     *                      display does not open
     */
    public static XConnection open(String displayName, String threadName) throws X11Exception {
        Xlib x = loadXlib();
        String shown = displayName != null ? displayName : System.getenv("DISPLAY");
        if (shown == null || shown.isBlank()) {
            throw new X11Exception(
                    X11Exception.Reason.DISPLAY_UNREACHABLE, "no X display given and DISPLAY is not set");
        }
        Pointer d = x.XOpenDisplay(shown);
        if (d == null) {
            throw new X11Exception(
                    X11Exception.Reason.DISPLAY_UNREACHABLE,
                    "cannot open X display " + shown
                            + " (is the X server running, and may this user connect to it: DISPLAY, XAUTHORITY?)");
        }
        XConnection conn = new XConnection(x, d, shown, threadName);
        XErrorHandlers.register(d, conn.errorSink);
        try {
            // Without this, Xlib ends the whole process when the X server goes away.
            x.XSetIOErrorExitHandler(d, conn.exitHandler, null);
        } catch (UnsatisfiedLinkError e) {
            LOG.warn("libX11 older than 1.7: a lost connection to {} will end the process", shown);
        }
        if (LibC.C.pipe(conn.wakePipe) != 0) {
            XErrorHandlers.unregister(d);
            x.XCloseDisplay(d);
            throw new X11Exception(X11Exception.Reason.DISPLAY_UNREACHABLE, "pipe() failed for the event thread");
        }
        conn.thread.start();
        return conn;
    }

    private static Xlib loadXlib() throws X11Exception {
        try {
            return Xlib.X;
        } catch (NoClassDefFoundError | ExceptionInInitializerError e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new X11Exception(
                    X11Exception.Reason.NATIVE_LIBRARY_MISSING,
                    "cannot load libX11 through JNA (needs net.java.dev.jna:jna on the class path, the Debian "
                            + "package libx11-6 and 64-bit Linux): " + cause.getMessage(),
                    e);
        } catch (UnsatisfiedLinkError e) {
            throw new X11Exception(
                    X11Exception.Reason.NATIVE_LIBRARY_MISSING,
                    "cannot load libX11 (install the Debian package libx11-6): " + e.getMessage(),
                    e);
        }
    }

    /** The display's name, e.g. ":1". */
    public String name() {
        return name;
    }

    /** The Xlib binding. */
    public Xlib xlib() {
        return x;
    }

    /** The {@code Display*}, for Xlib calls on the connection's thread. */
    public Pointer display() {
        return display;
    }

    public long root() {
        return root;
    }

    public int screen() {
        return screen;
    }

    /** Installs the handler; call it from a task on the connection's thread, so that no event is missed. */
    public void setHandler(Handler h) {
        this.handler = h;
    }

    /** Whether the X server went away: Xlib has marked the connection dead. */
    public boolean isLost() {
        return lost;
    }

    public boolean onThread() {
        return Thread.currentThread() == thread;
    }

    /** Runs {@code task} on the connection's thread and returns its result; waits for it. */
    public <T> T call(XTask<T> task) throws X11Exception {
        if (onThread()) {
            return task.run();
        }
        if (lost) {
            throw new X11Exception(
                    X11Exception.Reason.DISPLAY_LOST, "the connection to X display " + name + " is lost");
        }
        if (stopping) {
            throw new X11Exception(
                    X11Exception.Reason.DISPLAY_LOST, "the connection to X display " + name + " is closed");
        }
        FutureTask<T> f = new FutureTask<>(task::run);
        tasks.add(f);
        wake();
        try {
            while (true) {
                try {
                    return f.get(200, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    if (ended.getCount() == 0 && !f.isDone()) {
                        throw new X11Exception(
                                X11Exception.Reason.DISPLAY_LOST,
                                "the connection to X display " + name + (lost ? " was lost" : " closed")
                                        + " before the call ran");
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

    /**
     * {@link #call}, for callers that treat a lost or closed connection as a state error.
     *
     * @throws IllegalStateException with the {@link X11Exception}'s message when the call fails so
     */
    public <T> T callUnchecked(XTask<T> task) {
        try {
            return call(task);
        } catch (X11Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Runs {@code task} on the connection's thread later. */
    public void post(Runnable task) {
        tasks.add(task);
        wake();
    }

    /** Sends everything queued and waits for the server; then returns and clears the first error since the last take. */
    public int syncAndTakeError() {
        x.XSync(display, false);
        return takeError();
    }

    /** The first protocol error code recorded since the last take (0: none). Connection's thread only. */
    public int takeError() {
        int e = lastErrorCode;
        lastErrorCode = 0;
        return e;
    }

    /** The atom named {@code atomName}, interned on first use. Connection's thread only. */
    public long atom(String atomName) {
        return atoms.computeIfAbsent(atomName, n -> x.XInternAtom(display, n, false));
    }

    /** Sends the requests queued so far. Connection's thread only. */
    public void flush() {
        x.XFlush(display);
    }

    private void wake() {
        if (ended.getCount() != 0) { // the pipe is closed once the thread has ended
            LibC.C.write(wakePipe[1], new byte[] {1}, 1);
        }
    }

    private void markLost() {
        lost = true;
    }

    private void loop() {
        Memory event = new Memory(Xlib.EVENT_SIZE);
        Memory fds = new Memory(2L * LibC.POLLFD_SIZE);
        fds.setInt(0, x.XConnectionNumber(display));
        fds.setShort(4, LibC.POLLIN);
        fds.setInt(LibC.POLLFD_SIZE, wakePipe[0]);
        fds.setShort(LibC.POLLFD_SIZE + 4, LibC.POLLIN);
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
                fds.setShort(LibC.POLLFD_SIZE + 6, (short) 0);
                LibC.C.poll(fds, 2, waitMs);
                if (fds.getShort(LibC.POLLFD_SIZE + 6) != 0) {
                    LibC.C.read(wakePipe[0], drain, drain.length);
                }
            }
        } catch (RuntimeException e) {
            LOG.error("X event thread for {} failed", name, e);
        } finally {
            end();
        }
    }

    private void end() {
        runTasks(); // let waiting callers finish (they see a closed connection)
        if (lost) {
            Handler h = handler;
            if (h != null && !stopping) {
                try {
                    h.onLost(new X11Exception(
                            X11Exception.Reason.DISPLAY_LOST, "lost the connection to X display " + name));
                } catch (RuntimeException e) {
                    LOG.warn("X11 handler failed on display loss", e);
                }
            }
        } else {
            XErrorHandlers.unregister(display);
            x.XCloseDisplay(display);
        }
        // A lost connection is left as it is (Xlib marked it dead and closing it could touch it),
        // and stays registered, so that a late error on it is not taken for another library's.
        LibC.C.close(wakePipe[0]);
        LibC.C.close(wakePipe[1]);
        ended.countDown();
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
        if (!stopping) {
            stopping = true;
            wake();
        }
        if (onThread()) {
            return;
        }
        try {
            ended.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "XConnection[" + name + (lost ? ", lost" : stopping ? ", closed" : "") + "]";
    }
}
