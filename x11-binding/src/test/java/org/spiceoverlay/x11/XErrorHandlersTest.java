package org.spiceoverlay.x11;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Pointer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The process-wide error handlers on a real X server: each protocol error reaches the connection
 * whose request caused it, an error on another library's connection still reaches the handler that
 * library installed before, and a server that goes away is reported, not fatal. This is the only
 * test class of this module, so its {@link BeforeAll} runs before any connection of the process is
 * opened, as a toolkit loaded first would.
 */
@Tag("integration")
class XErrorHandlersTest {

    private static final long NO_SUCH_WINDOW = 0x3fffffL;

    private static TestXServer server;
    /** Another library's handler, installed before this module's. */
    private static final AtomicInteger FOREIGN_ERRORS = new AtomicInteger();

    private static final AtomicInteger FOREIGN_LAST_CODE = new AtomicInteger();
    private static final Xlib.ErrorHandler FOREIGN_HANDLER = (display, event) -> {
        FOREIGN_ERRORS.incrementAndGet();
        FOREIGN_LAST_CODE.set(event.getByte(Xlib.ERROR_CODE) & 0xff);
        return 0;
    };
    private static Pointer foreignDisplay;

    @BeforeAll
    static void start() throws Exception {
        server = TestXServer.start();
        Xlib.X.XSetErrorHandler(FOREIGN_HANDLER);
        foreignDisplay = Xlib.X.XOpenDisplay(server.display());
        assertNotNull(foreignDisplay, "cannot open " + server.display());
    }

    @AfterAll
    static void stop() throws Exception {
        if (foreignDisplay != null) {
            Xlib.X.XCloseDisplay(foreignDisplay);
        }
        if (server != null) {
            server.close();
        }
    }

    private static int badRequest(XConnection c) throws X11Exception {
        return c.call(() -> {
            c.xlib().XSelectInput(c.display(), NO_SUCH_WINDOW, Xlib.STRUCTURE_NOTIFY_MASK);
            return c.syncAndTakeError();
        });
    }

    @Test
    void anErrorReachesTheConnectionThatCausedItAndNoOther() throws Exception {
        try (XConnection a = XConnection.open(server.display(), "test-a");
                XConnection b = XConnection.open(server.display(), "test-b")) {
            long before = XErrorHandlers.errorsSeen();
            int foreignBefore = FOREIGN_ERRORS.get();
            assertEquals(Xlib.BAD_WINDOW, badRequest(a));
            assertEquals(0, b.call(b::syncAndTakeError), "b made no bad request");
            assertEquals(Xlib.BAD_WINDOW, badRequest(b));
            assertEquals(0, a.call(a::syncAndTakeError), "a's error was taken once");
            assertEquals(before + 2, XErrorHandlers.errorsSeen());
            assertEquals(foreignBefore, FOREIGN_ERRORS.get(), "our errors must not reach the other library");
        }
    }

    @Test
    void anotherLibrarysErrorStillReachesItsOwnHandler() throws Exception {
        try (XConnection ours = XConnection.open(server.display(), "test-ours")) {
            int foreignBefore = FOREIGN_ERRORS.get();
            long oursBefore = XErrorHandlers.errorsSeen();
            // The other library's request, on its own display, from this thread: Xlib calls the
            // process's handler (ours), which passes it on.
            Xlib.X.XSelectInput(foreignDisplay, NO_SUCH_WINDOW, Xlib.STRUCTURE_NOTIFY_MASK);
            Xlib.X.XSync(foreignDisplay, false);
            assertEquals(foreignBefore + 1, FOREIGN_ERRORS.get());
            assertEquals(Xlib.BAD_WINDOW, FOREIGN_LAST_CODE.get());
            assertEquals(oursBefore, XErrorHandlers.errorsSeen());
            assertEquals(0, ours.call(ours::syncAndTakeError));
        }
    }

    @Test
    void aServerThatGoesAwayIsReportedAndTheProcessLives() throws Exception {
        TestXServer doomed = TestXServer.start();
        CountDownLatch lostSeen = new CountDownLatch(1);
        AtomicReference<X11Exception> why = new AtomicReference<>();
        try (XConnection c = XConnection.open(doomed.display(), "test-doomed")) {
            c.call(() -> {
                c.setHandler(new XConnection.Handler() {
                    @Override
                    public void onEvent(Pointer event) {}

                    @Override
                    public int onIdle() {
                        return -1;
                    }

                    @Override
                    public void onLost(X11Exception e) {
                        why.set(e);
                        lostSeen.countDown();
                    }
                });
                return null;
            });
            doomed.close(); // Xlib's default I/O error handler would end this process here
            assertTrue(lostSeen.await(10, TimeUnit.SECONDS), "the loss was not reported");
            assertEquals(X11Exception.Reason.DISPLAY_LOST, why.get().reason());
            assertTrue(c.isLost());
            X11Exception after = assertThrows(X11Exception.class, () -> c.call(() -> 1));
            assertEquals(X11Exception.Reason.DISPLAY_LOST, after.reason());
        }
        // The other connections of the process still work.
        try (XConnection still = XConnection.open(server.display(), "test-still")) {
            assertEquals(Xlib.BAD_WINDOW, badRequest(still));
        }
    }

    @Test
    void anUnreachableDisplayIsATypedError() {
        X11Exception e = assertThrows(X11Exception.class, () -> XConnection.open(":59998", "test-none"));
        assertEquals(X11Exception.Reason.DISPLAY_UNREACHABLE, e.reason());
        assertTrue(e.getMessage().contains(":59998"), e.getMessage());
    }
}
