package org.spiceoverlay.render;

import static org.lwjgl.system.MemoryUtil.memAddress;
import static org.lwjgl.system.MemoryUtil.memAlloc;
import static org.lwjgl.system.MemoryUtil.memCopy;
import static org.lwjgl.system.MemoryUtil.memFree;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import org.spiceoverlay.api.Colorimetry;
import org.spiceoverlay.api.FrameLayout;
import org.spiceoverlay.api.FrameNumberCode;
import org.spiceoverlay.api.PixelFormat;
import org.spiceoverlay.api.Plane;
import org.spiceoverlay.api.Rect;
import org.spiceoverlay.api.VideoFrame;

/**
 * The render benchmark behind {@code ./overlay render-bench}: an offscreen compositor shows a
 * stream of frames 1:1 on a screen of the frame's size, one manual refresh per frame, and each
 * refresh's upload (with {@code glFinish}, so all of it), draw and present ({@code glFinish}: the
 * rasterisation finishing) times are collected. In the same run, interleaved, a plain
 * {@code memCopy} of the same frame bytes is timed as the floor: no upload can beat one copy of the
 * frame. After the run the last frame's number is read back from the picture, so a run that did
 * not really draw is marked invalid.
 *
 * <p>Threads: {@link #run} blocks the calling thread (any thread) for the whole run; it creates and
 * closes its own compositor.
 */
public final class RenderBenchmark {

    /** Distinct source frames cycled through, so the driver cannot recognise one buffer. */
    private static final int SOURCE_FRAMES = 4;

    private RenderBenchmark() {}

    /**
     * What to measure.
     *
     * @param width        frame (and screen) width
     * @param height       frame (and screen) height
     * @param format       frame format
     * @param upload       upload method
     * @param frames       timed frames
     * @param warmupFrames untimed frames first (shader compilation, first allocations)
     */
    public record Options(
            int width, int height, PixelFormat format, UploadMethod upload, int frames, int warmupFrames) {

        public Options {
            Objects.requireNonNull(format, "format");
            Objects.requireNonNull(upload, "upload");
            if (width < FrameNumberCode.MIN_WIDTH || width > FrameLayout.MAX_DIMENSION) {
                throw new IllegalArgumentException("width must be in [" + FrameNumberCode.MIN_WIDTH + ", "
                        + FrameLayout.MAX_DIMENSION + "], got " + width);
            }
            if (height < FrameNumberCode.MIN_HEIGHT || height > FrameLayout.MAX_DIMENSION) {
                throw new IllegalArgumentException("height must be in [" + FrameNumberCode.MIN_HEIGHT + ", "
                        + FrameLayout.MAX_DIMENSION + "], got " + height);
            }
            if (frames < 1 || frames > FrameNumberCode.MAX_FRAME_NUMBER) {
                throw new IllegalArgumentException(
                        "frames must be in [1, " + FrameNumberCode.MAX_FRAME_NUMBER + "], got " + frames);
            }
            if (warmupFrames < 0 || warmupFrames > 1000) {
                throw new IllegalArgumentException("warmupFrames must be in [0, 1000], got " + warmupFrames);
            }
        }
    }

    /**
     * Percentiles of one timing, in nanoseconds.
     *
     * <p>Immutable; safe to share between threads.
     */
    public record Percentiles(long p50Nanos, long p95Nanos, long p99Nanos, long meanNanos, long maxNanos) {

        /** Nearest-rank percentiles of {@code samples} (all zero when there are none). */
        public static Percentiles of(long[] samples) {
            if (samples.length == 0) {
                return new Percentiles(0, 0, 0, 0, 0);
            }
            long[] s = samples.clone();
            Arrays.sort(s);
            long sum = 0;
            for (long v : s) {
                sum += v;
            }
            return new Percentiles(rank(s, 0.50), rank(s, 0.95), rank(s, 0.99), sum / s.length, s[s.length - 1]);
        }

        private static long rank(long[] sorted, double q) {
            int i = (int) Math.ceil(q * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
        }
    }

    /**
     * What was measured.
     *
     * <p>Immutable; safe to share between threads.
     *
     * @param options        what was asked
     * @param renderer       the GL that ran it
     * @param frameBytes     bytes per frame (all planes, strides included)
     * @param copiesPerFrame copies of the frame's bytes the upload method makes
     * @param memcpy         the floor: one {@code memCopy} of the frame's bytes
     * @param upload         upload, until {@code glFinish} returned
     * @param draw           drawing the refresh (issuing it; the work finishes in present)
     * @param present        {@code glFinish} after the draw: the picture complete
     * @param total          refresh start to presented
     * @param presented      frames the compositor reported presented (should equal the timed frames)
     * @param lastFrameRead  the frame number read back from the final picture, -1 when unreadable
     */
    public record Result(
            Options options,
            RendererInfo renderer,
            int frameBytes,
            int copiesPerFrame,
            Percentiles memcpy,
            Percentiles upload,
            Percentiles draw,
            Percentiles present,
            Percentiles total,
            int presented,
            int lastFrameRead) {

        /** Every timed frame was presented and the final picture shows the last frame's number. */
        public boolean valid() {
            return presented == options.frames() && lastFrameRead == options.warmupFrames() + options.frames() - 1;
        }
    }

    /**
     * Runs the benchmark on an offscreen compositor.
     *
     * @throws RenderException when no offscreen compositor can be made (saying what is missing)
     */
    public static Result run(Options options) {
        Objects.requireNonNull(options, "options");
        FrameLayout layout = FrameLayout.gstreamerDefault(options.format(), options.width(), options.height());
        List<ByteBuffer> sources = new ArrayList<>();
        ByteBuffer floorTarget = memAlloc(layout.size());
        CompositorOptions compositorOptions = CompositorOptions.defaults()
                .withRefreshMode(RefreshMode.MANUAL)
                .withUpload(options.upload())
                .withFinishUploads(true);
        try (Compositor compositor = Compositor.offscreen(options.width(), options.height(), compositorOptions)) {
            for (int i = 0; i < SOURCE_FRAMES; i++) {
                ByteBuffer b = memAlloc(layout.size());
                sources.add(b);
                paint(b, layout, i);
            }
            StreamLayer stream = compositor.addStream("render-bench");
            Rect screen = new Rect(0, 0, options.width(), options.height());
            stream.place(Placement.of(screen));
            int total = options.warmupFrames() + options.frames();
            long[] memcpy = new long[options.frames()];
            long[] upload = new long[options.frames()];
            long[] draw = new long[options.frames()];
            long[] present = new long[options.frames()];
            long[] whole = new long[options.frames()];
            int presented = 0;
            for (int n = 0; n < total; n++) {
                ByteBuffer source = sources.get(n % SOURCE_FRAMES);
                stamp(source, layout, n);
                long c0 = System.nanoTime();
                memCopy(memAddress(source), memAddress(floorTarget), layout.size());
                long copyNanos = System.nanoTime() - c0;
                // The buffer is the benchmark's: closing the frame only says the renderer is done with it.
                stream.submit(new VideoFrame(
                        layout,
                        Colorimetry.defaultFor(options.width(), options.height()),
                        1,
                        1,
                        n,
                        VideoFrame.NO_TIME,
                        source,
                        () -> {}));
                RefreshReport report = compositor.refresh();
                int t = n - options.warmupFrames();
                if (t >= 0) {
                    memcpy[t] = copyNanos;
                    upload[t] = report.uploadNanos();
                    draw[t] = report.drawNanos();
                    present[t] = report.presentNanos();
                    whole[t] = report.presentedNanos() - report.startNanos();
                    presented += report.presented().size();
                }
            }
            RgbaImage picture = compositor.readPixels(screen);
            OptionalInt last =
                    FrameNumberCode.readRgba(picture.buffer(), options.width() * 4, options.width(), options.height());
            return new Result(
                    options,
                    compositor.rendererInfo(),
                    layout.size(),
                    options.upload().copiesPerFrame(),
                    Percentiles.of(memcpy),
                    Percentiles.of(upload),
                    Percentiles.of(draw),
                    Percentiles.of(present),
                    Percentiles.of(whole),
                    presented,
                    last.orElse(-1));
        } finally {
            for (ByteBuffer b : sources) {
                memFree(b);
            }
            memFree(floorTarget);
        }
    }

    /** Fills a source frame with a colourful gradient (content for the driver to move, not a flat colour). */
    private static void paint(ByteBuffer b, FrameLayout layout, int seed) {
        PixelFormat format = layout.format();
        int w = layout.width();
        int h = layout.height();
        for (int p = 0; p < format.planeCount(); p++) {
            Plane plane = layout.plane(p);
            int rowBytes = format.minStride(p, w);
            int rows = format.planeHeight(p, h);
            byte[] row = new byte[rowBytes];
            for (int y = 0; y < rows; y++) {
                for (int x = 0; x < rowBytes; x++) {
                    row[x] = (byte) (x * 3 + y * 2 + seed * 40 + p * 70);
                }
                b.put(plane.offset() + y * plane.stride(), row);
            }
        }
    }

    /** Draws frame number {@code n} into the strip at the top of a source frame. */
    private static void stamp(ByteBuffer b, FrameLayout layout, int n) {
        PixelFormat format = layout.format();
        int w = layout.width();
        int h = layout.height();
        if (!format.isYuv()) {
            FrameNumberCode.drawRgba(b, layout.plane(0).stride(), w, h, n);
            return;
        }
        ByteBuffer luma =
                b.slice(layout.plane(0).offset(), b.capacity() - layout.plane(0).offset());
        FrameNumberCode.drawLuma(luma, layout.plane(0).stride(), w, h, n);
        for (int p = 1; p < format.planeCount(); p++) {
            ByteBuffer chroma = b.slice(
                    layout.plane(p).offset(), b.capacity() - layout.plane(p).offset());
            FrameNumberCode.drawChroma(
                    chroma,
                    layout.plane(p).stride(),
                    format.planeWidth(p, w),
                    format.planeHeight(p, h),
                    format.bytesPerSample(p),
                    h);
        }
    }
}
