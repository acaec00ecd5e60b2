package org.spiceoverlay.render;

import static org.lwjgl.opengl.GL33C.GL_MAX_TEXTURE_SIZE;
import static org.lwjgl.opengl.GL33C.GL_NO_ERROR;
import static org.lwjgl.opengl.GL33C.GL_RENDERER;
import static org.lwjgl.opengl.GL33C.GL_VENDOR;
import static org.lwjgl.opengl.GL33C.GL_VERSION;
import static org.lwjgl.opengl.GL33C.glFinish;
import static org.lwjgl.opengl.GL33C.glGetError;
import static org.lwjgl.opengl.GL33C.glGetInteger;
import static org.lwjgl.opengl.GL33C.glGetString;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spiceoverlay.api.Colorimetry;
import org.spiceoverlay.api.FrameLayout;
import org.spiceoverlay.api.PixelFormat;
import org.spiceoverlay.api.Rect;
import org.spiceoverlay.api.Region;
import org.spiceoverlay.api.VideoFrame;

/**
 * The render thread of one {@link Compositor} and everything it owns: the target (window or
 * offscreen framebuffer) with its GL context, the painter, the uploader and each stream's
 * textures. Other threads reach it only through its command queue ({@link #post}, {@link #call})
 * and through the streams' latest-wins mailboxes and volatile placements.
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

        default void abandon(RenderException reason) {
        }
    }

    private static final Command WAKE = () -> { };

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
    private volatile Throwable failure;
    private volatile CompositorStats stats =
            new CompositorStats(0, 0, 0, Region.EMPTY, false, Rect.EMPTY);

    // ---- render thread only ----
    private RenderTarget target;
    private ScenePainter painter;
    private FrameUploader uploader;
    private int maxTextureSize;
    private final List<Slot> slots = new ArrayList<>();
    private List<LayerView> currentViews = List.of();
    private Region shownRegion = Region.EMPTY;
    private boolean damaged = true;
    private long refreshCount;
    private long drawnRefreshes;
    private boolean glErrorLogged;

    /** A stream as the render thread knows it: its textures and what they hold. */
    private static final class Slot {
        final StreamLayer layer;
        final PlaneTextures textures = new PlaneTextures();
        boolean hasPicture;
        Colorimetry colorimetry;
        int frameWidth;
        int frameHeight;
        int parNumerator;
        int parDenominator;
        Region drawnRegion = Region.EMPTY;
        Letterbox drawnLetterbox;

        Slot(StreamLayer layer) {
            this.layer = layer;
        }
    }

    /** A frame uploaded by the current refresh, waiting to be counted as presented. */
    private record Uploaded(Slot slot, long sequence, long submittedNanos, FrameFacts facts, long uploadNanos) {
    }

    /** What the report needs from a frame, taken before the frame is closed. */
    private record FrameFacts(PixelFormat format, int width, int height, long ptsNs,
            long receivedNanos, long decodedNanos) {
        static FrameFacts of(VideoFrame f) {
            return new FrameFacts(f.format(), f.width(), f.height(), f.ptsNs(), f.receivedNanos(), f.decodedNanos());
        }
    }

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
            commands.add(() -> slots.add(new Slot(layer)));
        }
        return layer;
    }

    void removeStream(StreamLayer layer) {
        openLayers.remove(layer);
        post(() -> {
            for (int i = 0; i < slots.size(); i++) {
                Slot slot = slots.get(i);
                if (slot.layer == layer) {
                    slot.textures.close();
                    slots.remove(i);
                    damaged = true;
                    return;
                }
            }
        });
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
            throw new RenderException(what + " got no answer from the render thread within " + CALL_TIMEOUT_SECONDS
                    + " s");
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
        return f == null ? new RenderException("the compositor is closed")
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
            target = targetFactory.get();
            painter = new ScenePainter();
            uploader = FrameUploader.create(options.upload());
            maxTextureSize = glGetInteger(GL_MAX_TEXTURE_SIZE);
            RendererInfo info = new RendererInfo(String.valueOf(glGetString(GL_VENDOR)),
                    String.valueOf(glGetString(GL_RENDERER)), String.valueOf(glGetString(GL_VERSION)));
            LOG.debug("render thread {} up: {}", thread.getName(), info);
            started.complete(info);
        } catch (Throwable t) {
            failure = t;
            teardown();
            started.completeExceptionally(t);
            return;
        }
        try {
            warmUp();
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
        long next = System.nanoTime();
        while (!stopping) {
            long wait = timed ? next - System.nanoTime() : MANUAL_EVENT_POLL_NANOS;
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
            if (target.pollEvents()) {
                damaged = true;
            }
            if (timed && System.nanoTime() - next >= 0) {
                refresh();
                next += period;
                // Behind (a refresh took longer than a period): go on at once, but do not try to
                // catch up with a burst of refreshes.
                if (System.nanoTime() - next > 0) {
                    next = System.nanoTime();
                }
            }
        }
    }

    /** One refresh: take and upload the new frames, fit the window, draw, present, count. */
    RefreshReport refresh() {
        long start = System.nanoTime();
        long index = refreshCount++;
        List<Uploaded> uploaded = new ArrayList<>();
        int repeated = 0;
        long uploadTotal = 0;
        // One placement per stream for the whole refresh, however often other threads move it meanwhile.
        Placement[] placements = new Placement[slots.size()];
        for (int i = 0; i < placements.length; i++) {
            placements[i] = slots.get(i).layer.placement();
        }
        for (int i = 0; i < placements.length; i++) {
            Slot slot = slots.get(i);
            if (!placements[i].isShown()) {
                continue; // hidden: its newest frame waits in the mailbox
            }
            SubmittedFrame submitted = slot.layer.take();
            if (submitted == null) {
                if (slot.hasPicture) {
                    slot.layer.countRepeated();
                    repeated++;
                }
                continue;
            }
            VideoFrame frame = submitted.frame();
            long t0 = System.nanoTime();
            try {
                upload(slot, frame);
            } catch (RuntimeException e) {
                LOG.warn("stream {} (\"{}\"): frame #{} ({}) could not be uploaded and is dropped: {}", slot.layer.id(),
                        slot.layer.name(), submitted.sequence(), frame, e.getMessage());
                slot.hasPicture = false;
                slot.layer.dropFrame(frame);
                continue;
            }
            FrameFacts facts = FrameFacts.of(frame);
            frame.close();
            if (options.finishUploads()) {
                glFinish();
            }
            long uploadNanos = System.nanoTime() - t0;
            uploadTotal += uploadNanos;
            uploaded.add(new Uploaded(slot, submitted.sequence(), submitted.submittedNanos(), facts, uploadNanos));
        }

        List<LayerView> views = new ArrayList<>();
        Region shown = Region.EMPTY;
        Region waiting = Region.EMPTY;
        boolean geometryChanged = false;
        for (int i = 0; i < placements.length; i++) {
            Slot slot = slots.get(i);
            Placement placement = placements[i];
            if (!slot.hasPicture && placement.isShown()) {
                waiting = waiting.union(placement.shownRegion());
            }
            Region region = slot.hasPicture ? placement.shownRegion() : Region.EMPTY;
            Letterbox letterbox = null;
            if (!region.isEmpty()) {
                letterbox = Letterbox.fit(placement.rect(), slot.frameWidth, slot.frameHeight, slot.parNumerator,
                        slot.parDenominator);
                views.add(new LayerView(region, letterbox, slot.textures, slot.colorimetry));
                shown = shown.union(region);
            }
            if (!region.equals(slot.drawnRegion) || !Objects.equals(letterbox, slot.drawnLetterbox)) {
                geometryChanged = true;
                slot.drawnRegion = region;
                slot.drawnLetterbox = letterbox;
            }
        }
        if (shown.isEmpty() && !waiting.isEmpty() ? target.standBy(waiting.bounds()) : target.arrange(shown)) {
            geometryChanged = true;
        }
        currentViews = List.copyOf(views);
        shownRegion = shown;

        boolean drawn = false;
        long drawNanos = 0;
        long presentNanos = 0;
        if ((damaged || geometryChanged || !uploaded.isEmpty()) && target.isShowing()) {
            long d0 = System.nanoTime();
            target.bindForDrawing();
            painter.paint(target.area(), currentViews);
            long d1 = System.nanoTime();
            target.present();
            long d2 = System.nanoTime();
            drawNanos = d1 - d0;
            presentNanos = d2 - d1;
            drawn = true;
            drawnRefreshes++;
        }
        damaged = false;
        checkGlError();

        long presentedNanos = System.nanoTime();
        List<PresentedFrame> presented = new ArrayList<>(uploaded.size());
        for (Uploaded u : uploaded) {
            FrameFacts f = u.facts();
            PresentedFrame pf = new PresentedFrame(u.slot().layer.id(), u.sequence(), f.format(), f.width(), f.height(),
                    f.ptsNs(), f.receivedNanos(), f.decodedNanos(), u.submittedNanos(), presentedNanos,
                    u.uploadNanos(), drawNanos, presentNanos);
            u.slot().layer.countPresented(pf);
            presented.add(pf);
        }
        RefreshReport report = new RefreshReport(index, start, presentedNanos, presented, repeated, drawn, uploadTotal,
                drawNanos, presentNanos);
        publishStats();
        try {
            options.listener().refreshed(report);
        } catch (RuntimeException e) {
            LOG.warn("PresentListener threw on refresh #{}; ignored", index, e);
        }
        return report;
    }

    private void upload(Slot slot, VideoFrame frame) {
        if (frame.width() > maxTextureSize || frame.height() > maxTextureSize) {
            throw new IllegalArgumentException("frame " + frame.width() + "x" + frame.height()
                    + " exceeds this GL's texture size limit " + maxTextureSize);
        }
        if (slot.textures.ensure(frame.format(), frame.width(), frame.height())) {
            // Fresh textures hold nothing yet: never draw them before this upload has filled them.
            slot.hasPicture = false;
            slot.layer.countTextureAllocation();
        }
        uploader.upload(frame, slot.textures);
        slot.hasPicture = true;
        slot.colorimetry = frame.colorimetry();
        slot.frameWidth = frame.width();
        slot.frameHeight = frame.height();
        slot.parNumerator = frame.parNumerator();
        slot.parDenominator = frame.parDenominator();
    }

    /** The presented picture of {@code area} (screen pixels), read back. */
    RgbaImage readPixels(Rect area) {
        Objects.requireNonNull(area, "area");
        if (area.isEmpty()) {
            throw new IllegalArgumentException("area must not be empty, got " + area);
        }
        Framebuffer presentedFramebuffer = target.presentedFramebuffer();
        byte[] rgba;
        if (presentedFramebuffer != null) {
            Rect screen = target.area();
            if (!screen.contains(area)) {
                throw new IllegalArgumentException("area " + area + " is not inside the offscreen screen " + screen);
            }
            rgba = presentedFramebuffer.readTopDown(area.translate(-screen.x(), -screen.y()));
        } else {
            // A window's buffers are undefined after a swap: draw the same scene again, offscreen.
            try (Framebuffer scratch = new Framebuffer(area.width(), area.height())) {
                scratch.bind();
                painter.paint(area, currentViews);
                rgba = scratch.readTopDown(new Rect(0, 0, area.width(), area.height()));
            }
            target.bindForDrawing();
        }
        return new RgbaImage(area, rgba);
    }

    /**
     * Draws a tiny frame of the formats decoders hand over most (RGBA, I420) into the target once,
     * without presenting it. llvmpipe compiles a shader variant at its first draw (about 100 ms
     * here), which would otherwise stall the first real frames of the first stream and drop them.
     */
    private void warmUp() {
        long start = System.nanoTime();
        Rect area = new Rect(0, 0, 16, 16);
        for (PixelFormat format : List.of(PixelFormat.RGBA, PixelFormat.I420)) {
            FrameLayout layout = FrameLayout.gstreamerDefault(format, 16, 16);
            ByteBuffer pixels = ByteBuffer.allocateDirect(layout.size());
            VideoFrame frame = new VideoFrame(layout, Colorimetry.BT709_LIMITED, 1, 1, VideoFrame.NO_TIME,
                    VideoFrame.NO_TIME, pixels, () -> { });
            try (PlaneTextures textures = new PlaneTextures()) {
                textures.ensure(format, 16, 16);
                uploader.upload(frame, textures);
                target.bindForDrawing();
                painter.paint(area, List.of(new LayerView(Region.of(area), Letterbox.fit(area, 16, 16, 1, 1), textures,
                        Colorimetry.BT709_LIMITED)));
                glFinish();
            } catch (RuntimeException e) {
                LOG.debug("warming up the {} path failed: {}", format, e.toString());
            }
        }
        LOG.debug("render thread {} warmed up in {} ms", thread.getName(), (System.nanoTime() - start) / 1_000_000);
    }

    private void publishStats() {
        Rect bounds = target.windowBounds();
        stats = new CompositorStats(refreshCount, drawnRefreshes, slots.size(), shownRegion, !bounds.isEmpty(), bounds);
    }

    private void checkGlError() {
        int error = glGetError();
        if (error != GL_NO_ERROR && !glErrorLogged) {
            glErrorLogged = true;
            LOG.warn("OpenGL error 0x{} during refresh #{} (logged once)", Integer.toHexString(error), refreshCount - 1);
        }
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
        for (Slot slot : slots) {
            quietly("textures", slot.textures::close);
        }
        slots.clear();
        currentViews = List.of();
        if (uploader != null) {
            quietly("uploader", uploader::close);
        }
        if (painter != null) {
            quietly("painter", painter::close);
        }
        if (target != null) {
            quietly("target", target::close);
        }
        shownRegion = Region.EMPTY;
        stats = new CompositorStats(refreshCount, drawnRefreshes, 0, Region.EMPTY, false, Rect.EMPTY);
        RenderException reason = closedException();
        Command left;
        while ((left = commands.poll()) != null) {
            left.abandon(reason);
        }
    }

    private void quietly(String what, Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            LOG.warn("closing the {} failed", what, e);
        }
    }
}
