package org.spiceoverlay.render;

import static org.lwjgl.opengl.GL33C.GL_RENDERER;
import static org.lwjgl.opengl.GL33C.GL_VENDOR;
import static org.lwjgl.opengl.GL33C.GL_VERSION;
import static org.lwjgl.opengl.GL33C.glGetString;

import java.util.Objects;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spiceoverlay.api.Rect;
import org.spiceoverlay.api.Region;

/**
 * The render thread of one {@link Compositor}: starts it, runs its commands and its timed
 * refreshes, and closes it. What the thread owns and draws (target, GL state, the streams'
 * textures, one refresh) is the {@link SceneRefresher}, which only this thread touches. Other
 * threads reach it only through the command queue ({@link #post}, {@link #call}) and through the
 * streams' latest-wins mailboxes and volatile placements.
 *
 * <p>Threads: the methods not marked "render thread" may be called from any thread.
 */
final class RenderLoop {

    private static final Logger LOG = LoggerFactory.getLogger(RenderLoop.class);
    private static final AtomicInteger THREAD_NUMBER = new AtomicInteger();
    /** How long a blocking call waits for the render thread (a 4K readback on llvmpipe takes ~100 ms). */
    private static final long CALL_TIMEOUT_SECONDS = 30;
    /** In manual mode nothing is timed, but window events still need pumping now and then. */
    private static final long MANUAL_EVENT_POLL_NANOS = 10_000_000L;

    /** Work for the render thread; told when it will never run because the loop ended. */
    private interface Command {
        void run();

        default void abandon(RenderException reason) {}
    }

    private static final Command WAKE = () -> {};

    private final CompositorOptions options;
    private final Supplier<RenderTarget> targetFactory;
    private final Thread thread;
    private final BlockingQueue<Command> commands = new LinkedBlockingQueue<>();
    private final Object queueLock = new Object();
    private boolean accepting = true;
    private final CompletableFuture<RendererInfo> started = new CompletableFuture<>();
    private final Set<StreamLayer> openLayers = ConcurrentHashMap.newKeySet();
    private final AtomicInteger nextStreamId = new AtomicInteger(1);
    private volatile boolean stopping;
    /** A frame was submitted since the last refresh began (TIMED: it is presented at once). */
    private final AtomicBoolean framePending = new AtomicBoolean();

    private volatile Throwable failure;
    private volatile CompositorStats stats = new CompositorStats(0, 0, 0, Region.EMPTY, false, Rect.EMPTY);

    // ---- render thread only ----
    private SceneRefresher scene;

    RenderLoop(CompositorOptions options, Supplier<RenderTarget> targetFactory) {
        this.options = Objects.requireNonNull(options, "options");
        this.targetFactory = Objects.requireNonNull(targetFactory, "targetFactory");
        this.thread = new Thread(this::run, "spice-overlay-render-" + THREAD_NUMBER.incrementAndGet());
        // A compositor someone forgot to close must not keep the JVM alive.
        this.thread.setDaemon(true);
    }

    /**
     * Starts the render thread and waits until its target and GL state are up.
     *
     * @throws RenderException with the render thread's reason when that failed
     */
    RendererInfo start() {
        thread.start();
        try {
            return started.get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RenderException re) {
                throw new RenderException(re.getMessage(), re);
            }
            throw new RenderException("the render thread failed to start: " + cause, cause);
        } catch (TimeoutException e) {
            stopping = true;
            throw new RenderException("the render thread did not start within " + CALL_TIMEOUT_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
            throw new RenderException("interrupted while the render thread started", e);
        }
    }

    CompositorOptions options() {
        return options;
    }

    StreamLayer addStream(String name) {
        Objects.requireNonNull(name, "name");
        StreamLayer layer = new StreamLayer(this, nextStreamId.getAndIncrement(), name);
        synchronized (queueLock) {
            if (!accepting) {
                throw new IllegalStateException("the compositor is closed");
            }
            openLayers.add(layer);
            commands.add(() -> scene.addStream(layer));
        }
        return layer;
    }

    void removeStream(StreamLayer layer) {
        openLayers.remove(layer);
        post(() -> scene.removeStream(layer));
    }

    /**
     * A stream has a new frame: in {@link RefreshMode#TIMED} the render thread presents it at once
     * (or half a period after the previous refresh, when that was sooner) instead of at its next
     * tick, up to a period later. Any thread.
     */
    void frameArrived() {
        if (options.refreshMode() == RefreshMode.TIMED && framePending.compareAndSet(false, true)) {
            post(WAKE);
        }
    }

    /** Makes the render thread look at placements now rather than at its next tick. */
    void wake() {
        post(WAKE);
    }

    CompositorStats stats() {
        return stats;
    }

    boolean isRenderThread() {
        return Thread.currentThread() == thread;
    }

    /**
     * Runs {@code work} on the render thread and waits for its result.
     *
     * @throws IllegalStateException on the render thread itself (it would wait for itself)
     * @throws RenderException when the loop is closed or failed, or the work threw or took too long
     */
    <T> T call(String what, Callable<T> work) {
        if (isRenderThread()) {
            throw new IllegalStateException(what + " may not be called on the render thread (from a PresentListener)");
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        post(new Command() {
            @Override
            public void run() {
                try {
                    result.complete(work.call());
                } catch (Throwable t) {
                    result.completeExceptionally(t);
                }
            }

            @Override
            public void abandon(RenderException reason) {
                result.completeExceptionally(reason);
            }
        });
        try {
            return result.get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new RenderException(what + " failed: " + cause, cause);
        } catch (TimeoutException e) {
            throw new RenderException(
                    what + " got no answer from the render thread within " + CALL_TIMEOUT_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RenderException("interrupted while waiting for " + what, e);
        }
    }

    private void post(Command command) {
        synchronized (queueLock) {
            if (accepting) {
                commands.add(command);
                return;
            }
        }
        command.abandon(closedException());
    }

    private RenderException closedException() {
        Throwable f = failure;
        return f == null
                ? new RenderException("the compositor is closed")
                : new RenderException("the compositor's render thread failed: " + f, f);
    }

    /**
     * Stops the render thread and waits until it has released everything. From the render thread
     * itself (a listener) it only asks; the loop ends when the listener returns.
     */
    void close() {
        stopping = true;
        post(WAKE);
        if (isRenderThread() || !thread.isAlive()) {
            return;
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(CALL_TIMEOUT_SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.error("render thread {} did not stop within {} s", thread.getName(), CALL_TIMEOUT_SECONDS);
        }
    }

    // ---- render thread ----

    private void run() {
        try {
            RenderTarget target = targetFactory.get();
            scene = new SceneRefresher(options, target);
            RendererInfo info = new RendererInfo(
                    String.valueOf(glGetString(GL_VENDOR)),
                    String.valueOf(glGetString(GL_RENDERER)),
                    String.valueOf(glGetString(GL_VERSION)));
            LOG.debug("render thread {} up: {}", thread.getName(), info);
            started.complete(info);
        } catch (Throwable t) {
            failure = t;
            teardown();
            started.completeExceptionally(t);
            return;
        }
        try {
            scene.warmUp(thread.getName());
            loop();
        } catch (Throwable t) {
            failure = t;
            LOG.error("render thread {} failed; the compositor is closed", thread.getName(), t);
        } finally {
            teardown();
        }
    }

    private void loop() throws InterruptedException {
        boolean timed = options.refreshMode() == RefreshMode.TIMED;
        long period = options.refreshPeriodNanos();
        // A frame is presented when it arrives, but refreshes come at most twice per period: a
        // flood of frames (a guest sending faster than any screen shows) is not drawn frame by frame.
        long minGap = period / 2;
        long next = System.nanoTime();
        long lastFrameRefresh = next - minGap; // the last refresh that took a new frame
        while (!stopping) {
            long due = timed && framePending.get() ? Math.min(next, lastFrameRefresh + minGap) : next;
            long wait = timed ? due - System.nanoTime() : MANUAL_EVENT_POLL_NANOS;
            Command command = wait > 0 ? commands.poll(wait, TimeUnit.NANOSECONDS) : commands.poll();
            while (command != null && !stopping) {
                command.run();
                command = commands.poll();
            }
            if (stopping) {
                if (command != null) {
                    command.abandon(closedException());
                }
                return;
            }
            scene.pollEvents();
            long now = System.nanoTime();
            boolean tick = timed && now - next >= 0;
            boolean pending = timed && framePending.get();
            if (tick || pending && now - (lastFrameRefresh + minGap) >= 0) {
                framePending.set(false);
                if (pending) {
                    lastFrameRefresh = now; // ticks that find nothing new do not hold frames back
                }
                refresh();
            }
            if (tick) {
                next += period;
                // Behind (a refresh took longer than a period): go on at once, but do not try to
                // catch up with a burst of refreshes.
                if (System.nanoTime() - next > 0) {
                    next = System.nanoTime();
                }
            }
        }
    }

    /** One refresh (render thread): see {@link SceneRefresher#refresh()}. */
    RefreshReport refresh() {
        RefreshReport report = scene.refresh();
        stats = scene.stats();
        try {
            options.listener().refreshed(report);
        } catch (RuntimeException e) {
            LOG.warn("PresentListener threw on refresh #{}; ignored", report.index(), e);
        }
        return report;
    }

    /** The presented picture of {@code area} (render thread). */
    RgbaImage readPixels(Rect area) {
        return scene.readPixels(area);
    }

    private void teardown() {
        stopping = true;
        synchronized (queueLock) {
            accepting = false;
        }
        for (StreamLayer layer : openLayers) {
            layer.detach();
        }
        openLayers.clear();
        if (scene != null) {
            stats = scene.closedStats();
            scene.close();
            scene = null;
        } else {
            stats = new CompositorStats(0, 0, 0, Region.EMPTY, false, Rect.EMPTY);
        }
        RenderException reason = closedException();
        Command left;
        while ((left = commands.poll()) != null) {
            left.abandon(reason);
        }
    }
}
