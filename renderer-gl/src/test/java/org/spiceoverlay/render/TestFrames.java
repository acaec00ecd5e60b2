package org.spiceoverlay.render;

import static org.lwjgl.system.MemoryUtil.memAlloc;
import static org.lwjgl.system.MemoryUtil.memFree;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.spiceoverlay.api.Colorimetry;
import org.spiceoverlay.api.FrameLayout;
import org.spiceoverlay.api.FrameNumberCode;
import org.spiceoverlay.api.PixelFormat;
import org.spiceoverlay.api.Plane;
import org.spiceoverlay.api.VideoFrame;

/**
 * Builds test frames in native memory (memAlloc'd, freed when the frame is closed) and counts the
 * frames still open, so tests can check that the compositor closes every frame it is given.
 *
 * <p>Threads: any; the counters are atomic.
 */
final class TestFrames {

    /** The colour of pixel (x, y) as 0xRRGGBB. */
    @FunctionalInterface
    interface RgbAt {
        int rgb(int x, int y);
    }

    /** A YUV sample of plane component at sample position (x, y), 0..255. */
    @FunctionalInterface
    interface SampleAt {
        int sample(int x, int y);
    }

    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger made = new AtomicInteger();

    /** Frames made and not yet closed. */
    int open() {
        return open.get();
    }

    int made() {
        return made.get();
    }

    /** A packed RGB frame (RGBA, RGBX, BGRA, BGRX) with GStreamer's default layout. */
    VideoFrame packed(PixelFormat format, int width, int height, RgbAt rgb) {
        return packed(format, width, height, width * 4, rgb);
    }

    /** A packed RGB frame with rows {@code stride} bytes apart (padding filled with 0x5A). */
    VideoFrame packed(PixelFormat format, int width, int height, int stride, RgbAt rgb) {
        FrameLayout layout = new FrameLayout(format, width, height, List.of(new Plane(0, stride)), stride * height);
        ByteBuffer data = allocate(layout.size());
        boolean bgr = format == PixelFormat.BGRA || format == PixelFormat.BGRX;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int c = rgb.rgb(x, y);
                int i = y * stride + x * 4;
                byte r = (byte) (c >> 16);
                byte b = (byte) c;
                data.put(i, bgr ? b : r);
                data.put(i + 1, (byte) (c >> 8));
                data.put(i + 2, bgr ? r : b);
                // A frame's alpha must not show: make it anything but opaque.
                data.put(i + 3, (byte) 0x40);
            }
        }
        return wrap(layout, Colorimetry.BT709_FULL, 1, 1, data);
    }

    /** {@link #packed} with a frame number strip drawn at the top. */
    VideoFrame numbered(PixelFormat format, int width, int height, int frameNumber, RgbAt rgb) {
        VideoFrame f = packed(format, width, height, rgb);
        FrameNumberCode.drawRgba(writable(f), width * 4, width, height, frameNumber);
        return f;
    }

    /** A mid-grey planar YUV frame (full range) with a frame number strip at the top. */
    VideoFrame numberedYuv(PixelFormat format, int width, int height, int frameNumber) {
        VideoFrame f = yuv(format, width, height, Colorimetry.BT601_FULL, (x, y) -> 128, (x, y) -> 128, (x, y) -> 128);
        ByteBuffer all = writable(f);
        FrameLayout layout = f.layout();
        FrameNumberCode.drawLuma(
                all.slice(
                        layout.plane(0).offset(),
                        layout.size() - layout.plane(0).offset()),
                layout.plane(0).stride(),
                width,
                height,
                frameNumber);
        for (int p = 1; p < format.planeCount(); p++) {
            FrameNumberCode.drawChroma(
                    all.slice(
                            layout.plane(p).offset(),
                            layout.size() - layout.plane(p).offset()),
                    layout.plane(p).stride(),
                    format.planeWidth(p, width),
                    format.planeHeight(p, height),
                    format.bytesPerSample(p),
                    height);
        }
        return f;
    }

    /**
     * A planar YUV frame (I420 or NV12) with GStreamer's default layout; {@code y}, {@code u},
     * {@code v} give the samples at luma and chroma sample positions.
     */
    VideoFrame yuv(
            PixelFormat format, int width, int height, Colorimetry colorimetry, SampleAt y, SampleAt u, SampleAt v) {
        FrameLayout layout = FrameLayout.gstreamerDefault(format, width, height);
        ByteBuffer data = allocate(layout.size());
        for (int i = 0; i < layout.size(); i++) {
            data.put(i, (byte) 0x5A);
        }
        Plane yp = layout.plane(0);
        for (int row = 0; row < height; row++) {
            for (int x = 0; x < width; x++) {
                data.put(yp.offset() + row * yp.stride() + x, (byte) y.sample(x, row));
            }
        }
        int cw = format.planeWidth(1, width);
        int ch = format.planeHeight(1, height);
        for (int row = 0; row < ch; row++) {
            for (int x = 0; x < cw; x++) {
                if (format == PixelFormat.I420) {
                    data.put(layout.plane(1).offset() + row * layout.plane(1).stride() + x, (byte) u.sample(x, row));
                    data.put(layout.plane(2).offset() + row * layout.plane(2).stride() + x, (byte) v.sample(x, row));
                } else {
                    int i = layout.plane(1).offset() + row * layout.plane(1).stride() + 2 * x;
                    data.put(i, (byte) u.sample(x, row));
                    data.put(i + 1, (byte) v.sample(x, row));
                }
            }
        }
        return wrap(layout, colorimetry, 1, 1, data);
    }

    /** A frame over {@code data} (which the frame frees when closed). */
    VideoFrame wrap(FrameLayout layout, Colorimetry colorimetry, int parN, int parD, ByteBuffer data) {
        open.incrementAndGet();
        made.incrementAndGet();
        return new VideoFrame(
                layout,
                colorimetry,
                parN,
                parD,
                0,
                VideoFrame.NO_TIME,
                System.nanoTime(),
                System.nanoTime(),
                data,
                () -> {
                    memFree(data);
                    open.decrementAndGet();
                });
    }

    /** The same pixels with another pixel aspect ratio (the original is closed). */
    VideoFrame withPar(VideoFrame f, int parN, int parD) {
        ByteBuffer copy = allocate(f.layout().size());
        copy.put(0, f.data(), 0, f.layout().size());
        VideoFrame out = wrap(f.layout(), f.colorimetry(), parN, parD, copy);
        f.close();
        return out;
    }

    /** The raw bytes of a frame, e.g. to feed gst-launch the same frame. */
    static byte[] bytes(VideoFrame f) {
        byte[] out = new byte[f.layout().size()];
        f.data().get(out);
        return out;
    }

    /** A writable view of a test frame's memory (test frames own theirs). */
    private static ByteBuffer writable(VideoFrame f) {
        // VideoFrame hands out read-only views; the test owns the memory, so write through its address.
        return org.lwjgl.system.MemoryUtil.memByteBuffer(
                org.lwjgl.system.MemoryUtil.memAddress(f.data()), f.layout().size());
    }

    private static ByteBuffer allocate(int size) {
        return memAlloc(Math.max(1, size));
    }

    /** Several frames closed at once (for cleanup in finally blocks). */
    static void closeAll(List<VideoFrame> frames) {
        for (VideoFrame f : new ArrayList<>(frames)) {
            f.close();
        }
    }
}
