package org.spiceoverlay.render;

import static org.lwjgl.opengl.GL33C.GL_MAX_TEXTURE_SIZE;
import static org.lwjgl.opengl.GL33C.GL_NO_ERROR;
import static org.lwjgl.opengl.GL33C.glFinish;
import static org.lwjgl.opengl.GL33C.glGetError;
import static org.lwjgl.opengl.GL33C.glGetInteger;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spiceoverlay.api.Colorimetry;
import org.spiceoverlay.api.FrameLayout;
import org.spiceoverlay.api.PixelFormat;
import org.spiceoverlay.api.Rect;
import org.spiceoverlay.api.Region;
import org.spiceoverlay.api.VideoFrame;

/**
 * What the render thread draws and how: the streams' textures ({@link StreamSlot}), the painter,
 * the uploader and the target, and one refresh of them (take each stream's newest frame, upload
 * it, fit the window to what is shown, draw, present, count). {@link RenderLoop} owns the thread
 * and its command queue and calls this only from that thread: nothing here is thread-safe.
 */
final class SceneRefresher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SceneRefresher.class);

    private final CompositorOptions options;
    private final RenderTarget target;
    private final ScenePainter painter;
    private final FrameUploader uploader;
    private final int maxTextureSize;
    private final List<StreamSlot> slots = new ArrayList<>();
    private List<LayerView> currentViews = List.of();
    private Region shownRegion = Region.EMPTY;
    private boolean damaged = true;
    private long refreshCount;
    private long drawnRefreshes;
    private boolean glErrorLogged;

    /** A frame uploaded by the current refresh, waiting to be counted as presented. */
    private record Uploaded(StreamSlot slot, long sequence, long submittedNanos, FrameFacts facts, long uploadNanos) {}

    /** What the report needs from a frame, taken before the frame is closed. */
    private record FrameFacts(
            PixelFormat format, int width, int height, long ptsNs, long receivedNanos, long decodedNanos) {
        static FrameFacts of(VideoFrame f) {
            return new FrameFacts(f.format(), f.width(), f.height(), f.ptsNs(), f.receivedNanos(), f.decodedNanos());
        }
    }

    /**
     * Takes over {@code target} (its GL context current on this thread) and sets up the painter
     * and the uploader on it; on failure closes what it made, and the target.
     */
    SceneRefresher(CompositorOptions options, RenderTarget target) {
        this.options = Objects.requireNonNull(options, "options");
        this.target = Objects.requireNonNull(target, "target");
        ScenePainter p = null;
        try {
            p = new ScenePainter();
            this.uploader = FrameUploader.create(options.upload());
        } catch (RuntimeException | Error e) {
            if (p != null) {
                quietly("painter", p::close);
            }
            quietly("target", target::close);
            throw e;
        }
        this.painter = p;
        this.maxTextureSize = glGetInteger(GL_MAX_TEXTURE_SIZE);
    }

    void addStream(StreamLayer layer) {
        slots.add(new StreamSlot(layer));
    }

    void removeStream(StreamLayer layer) {
        for (int i = 0; i < slots.size(); i++) {
            StreamSlot slot = slots.get(i);
            if (slot.layer == layer) {
                slot.textures.close();
                slots.remove(i);
                damaged = true;
                return;
            }
        }
    }

    /** Window events since the last call: a damaged window is drawn again at the next refresh. */
    void pollEvents() {
        if (target.pollEvents()) {
            damaged = true;
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
            StreamSlot slot = slots.get(i);
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
                LOG.warn(
                        "stream {} (\"{}\"): frame #{} ({}) could not be uploaded and is dropped: {}",
                        slot.layer.id(),
                        slot.layer.name(),
                        submitted.sequence(),
                        frame,
                        e.getMessage());
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
            StreamSlot slot = slots.get(i);
            Placement placement = placements[i];
            if (!slot.hasPicture && placement.isShown()) {
                waiting = waiting.union(placement.shownRegion());
            }
            Region region = slot.hasPicture ? placement.shownRegion() : Region.EMPTY;
            Letterbox letterbox = null;
            if (!region.isEmpty()) {
                letterbox = Letterbox.fit(
                        placement.rect(), slot.frameWidth, slot.frameHeight, slot.parNumerator, slot.parDenominator);
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
            PresentedFrame pf = new PresentedFrame(
                    u.slot().layer.id(),
                    u.sequence(),
                    f.format(),
                    f.width(),
                    f.height(),
                    f.ptsNs(),
                    f.receivedNanos(),
                    f.decodedNanos(),
                    u.submittedNanos(),
                    presentedNanos,
                    u.uploadNanos(),
                    drawNanos,
                    presentNanos);
            u.slot().layer.countPresented(pf);
            presented.add(pf);
        }
        RefreshReport report = new RefreshReport(
                index, start, presentedNanos, presented, repeated, drawn, uploadTotal, drawNanos, presentNanos);
        return report;
    }

    private void upload(StreamSlot slot, VideoFrame frame) {
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
    void warmUp(String threadName) {
        long start = System.nanoTime();
        Rect area = new Rect(0, 0, 16, 16);
        for (PixelFormat format : List.of(PixelFormat.RGBA, PixelFormat.I420)) {
            FrameLayout layout = FrameLayout.gstreamerDefault(format, 16, 16);
            ByteBuffer pixels = ByteBuffer.allocateDirect(layout.size());
            VideoFrame frame = new VideoFrame(
                    layout, Colorimetry.BT709_LIMITED, 1, 1, VideoFrame.NO_TIME, VideoFrame.NO_TIME, pixels, () -> {});
            try (PlaneTextures textures = new PlaneTextures()) {
                textures.ensure(format, 16, 16);
                uploader.upload(frame, textures);
                target.bindForDrawing();
                painter.paint(
                        area,
                        List.of(new LayerView(
                                Region.of(area),
                                Letterbox.fit(area, 16, 16, 1, 1),
                                textures,
                                Colorimetry.BT709_LIMITED)));
                glFinish();
            } catch (RuntimeException e) {
                LOG.debug("warming up the {} path failed: {}", format, e.toString());
            }
        }
        LOG.debug("render thread {} warmed up in {} ms", threadName, (System.nanoTime() - start) / 1_000_000);
    }

    /** The figures {@link Compositor#stats()} gives, as of now. */
    CompositorStats stats() {
        Rect bounds = target.windowBounds();
        return new CompositorStats(refreshCount, drawnRefreshes, slots.size(), shownRegion, !bounds.isEmpty(), bounds);
    }

    /** The figures once everything is closed: the counts stay, nothing is shown. */
    CompositorStats closedStats() {
        return new CompositorStats(refreshCount, drawnRefreshes, 0, Region.EMPTY, false, Rect.EMPTY);
    }

    private void checkGlError() {
        int error = glGetError();
        if (error != GL_NO_ERROR && !glErrorLogged) {
            glErrorLogged = true;
            LOG.warn(
                    "OpenGL error 0x{} during refresh #{} (logged once)", Integer.toHexString(error), refreshCount - 1);
        }
    }

    /** Releases every stream's textures, the uploader, the painter and the target. */
    @Override
    public void close() {
        for (StreamSlot slot : slots) {
            quietly("textures", slot.textures::close);
        }
        slots.clear();
        currentViews = List.of();
        shownRegion = Region.EMPTY;
        quietly("uploader", uploader::close);
        quietly("painter", painter::close);
        quietly("target", target::close);
    }

    private static void quietly(String what, Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            LOG.warn("closing the {} failed", what, e);
        }
    }
}
