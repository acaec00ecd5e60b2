package org.spiceoverlay.engine.gst;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.freedesktop.gstreamer.Buffer;
import org.freedesktop.gstreamer.Bus;
import org.freedesktop.gstreamer.Caps;
import org.freedesktop.gstreamer.Element;
import org.freedesktop.gstreamer.ElementFactory;
import org.freedesktop.gstreamer.FlowReturn;
import org.freedesktop.gstreamer.Gst;
import org.freedesktop.gstreamer.GstObject;
import org.freedesktop.gstreamer.Pipeline;
import org.freedesktop.gstreamer.elements.AppSrc;
import org.freedesktop.gstreamer.glib.GError;
import org.spiceoverlay.api.FrameLayout;
import org.spiceoverlay.api.FrameNumberCode;
import org.spiceoverlay.api.PixelFormat;
import org.spiceoverlay.api.Plane;

/**
 * Writes the project's {@link SampleClip sample clips}: raw I420 frames painted in Java (a panning
 * textured gradient, a bouncing checkered box, a sweeping bar, and the {@link FrameNumberCode}
 * strip with the frame's number) are pushed through an {@code appsrc} into the clip's encoder, a
 * 440 Hz sine from {@code audiotestsrc} of exactly the same length into its audio encoder, and both
 * into the muxer and a file.
 *
 * <p>Frame {@code n} has the timestamp {@code n * 1s / fps} (rounded down, as GStreamer's own
 * sources do), so a reader can check both the picture's number and its time.
 *
 * <p>Any thread may call it; each call blocks until its file is written and builds its own
 * pipeline, so calls on different threads do not interfere (but share the CPU).
 */
public final class ClipGenerator {

    /** The length of the project's clips unless asked otherwise: 10 s, 300 frames at 30 fps. */
    public static final Duration DEFAULT_LENGTH = Duration.ofSeconds(10);

    /** Where each element the clips use comes from on Debian, for the message when one is missing. */
    private static final Map<String, String> PACKAGE_OF = Map.ofEntries(
            Map.entry("x264enc", "gstreamer1.0-plugins-ugly"),
            Map.entry("x265enc", "gstreamer1.0-plugins-bad"),
            Map.entry("av1enc", "gstreamer1.0-plugins-bad (libaom)"),
            Map.entry("h264parse", "gstreamer1.0-plugins-bad"),
            Map.entry("h265parse", "gstreamer1.0-plugins-bad"),
            Map.entry("vp9parse", "gstreamer1.0-plugins-bad"),
            Map.entry("av1parse", "gstreamer1.0-plugins-bad"),
            Map.entry("vp8enc", "gstreamer1.0-plugins-good"),
            Map.entry("vp9enc", "gstreamer1.0-plugins-good"),
            Map.entry("mp4mux", "gstreamer1.0-plugins-good"),
            Map.entry("webmmux", "gstreamer1.0-plugins-good"),
            Map.entry("aacparse", "gstreamer1.0-plugins-good"),
            Map.entry("avenc_aac", "gstreamer1.0-libav"),
            Map.entry("vorbisenc", "gstreamer1.0-plugins-base"),
            Map.entry("opusenc", "gstreamer1.0-plugins-base"));

    /** Time allowed per clip: a fixed part, plus a generous 0.1 s per frame-megapixel (2 cores, no GPU). */
    private static final Duration TIMEOUT_BASE = Duration.ofSeconds(60);
    private static final double TIMEOUT_SECONDS_PER_FRAME_MEGAPIXEL = 0.1;

    private ClipGenerator() {
    }

    /**
     * Writes {@code outDir/clip.fileName()}, {@code length} long (at least one frame). The file
     * appears only once complete: the clip is written under a temporary name and renamed.
     *
     * @param overwrite whether to write the clip again when the file exists; if not, the existing
     *                  file is returned as {@link GeneratedClip#reused() reused}
     * @throws IOException           if the directory or file cannot be written, or the pipeline
     *                               fails (the message names the element and GStreamer's error) or
     *                               does not finish in time
     * @throws IllegalStateException if GStreamer or an element the clip needs is missing, naming the
     *                               element and the Debian package that has it
     * @throws IllegalArgumentException if {@code length} gives no frame or more than 65536
     */
    public static GeneratedClip generate(SampleClip clip, Path outDir, Duration length, boolean overwrite)
            throws IOException {
        Objects.requireNonNull(clip, "clip");
        Objects.requireNonNull(outDir, "outDir");
        int frames = clip.frameCount(length);
        Path target = outDir.resolve(clip.fileName());
        if (!overwrite && Files.isRegularFile(target)) {
            return new GeneratedClip(clip, target, 0, Files.size(target), Duration.ZERO, true);
        }
        GstRuntime.ensureInitialised();
        requireElements(clip);
        Files.createDirectories(outDir);
        Path partial = outDir.resolve("." + clip.fileName() + ".part");
        long start = System.nanoTime();
        try {
            encode(clip, frames, partial);
            try {
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(partial);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        return new GeneratedClip(clip, target, frames, Files.size(target), took, false);
    }

    /**
     * Writes each clip in turn (one at a time: the encoders already use both cores), telling
     * {@code onEach} as each one is done.
     *
     * @throws IOException as {@link #generate}, for the first clip that fails; the ones before it
     *                     are written
     */
    public static List<GeneratedClip> generateAll(Collection<SampleClip> clips, Path outDir, Duration length,
            boolean overwrite, Consumer<GeneratedClip> onEach) throws IOException {
        Objects.requireNonNull(clips, "clips");
        Objects.requireNonNull(onEach, "onEach");
        List<GeneratedClip> done = new ArrayList<>();
        for (SampleClip clip : clips) {
            GeneratedClip result = generate(clip, outDir, length, overwrite);
            done.add(result);
            onEach.accept(result);
        }
        return done;
    }

    /**
     * Checks that every element the clip's pipeline uses is installed.
     *
     * @throws IllegalStateException naming each missing element and the package that has it
     */
    public static void requireElements(SampleClip clip) {
        GstRuntime.ensureInitialised();
        List<String> missing = new ArrayList<>();
        for (String name : clip.elementNames()) {
            if (ElementFactory.find(name) == null) {
                missing.add(name + " (" + PACKAGE_OF.getOrDefault(name, "gstreamer1.0-plugins-base") + ")");
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("clip " + clip.clipName() + " needs GStreamer elements that are not "
                    + "installed: " + String.join(", ", missing) + "; ./overlay setup installs them");
        }
    }

    /** The pipeline for one clip, as gst-launch syntax; the file location and caps are set on the elements. */
    static String pipelineDescription(SampleClip clip, int frames, int frameBytes) {
        int fps = clip.framesPerSecond();
        // One audio buffer per video frame: the sine then ends exactly where the video does.
        int samplesPerFrame = SampleClip.AUDIO_RATE / fps;
        return "appsrc name=frames format=time is-live=false block=true max-bytes=" + 4L * frameBytes
                + " ! " + clip.videoChain + " ! queue ! mux. "
                + "audiotestsrc wave=sine freq=440 volume=0.3 samplesperbuffer=" + samplesPerFrame
                + " num-buffers=" + frames
                + " ! audio/x-raw,rate=" + SampleClip.AUDIO_RATE + ",channels=2 ! audioconvert ! audioresample ! "
                + clip.audio().chain + " ! queue ! mux. "
                + clip.containerFormat().muxer + " name=mux ! filesink name=file sync=false";
    }

    private static void encode(SampleClip clip, int frames, Path file) throws IOException {
        FramePainter painter = new FramePainter(clip.width(), clip.height());
        List<GError> parseErrors = new ArrayList<>();
        Element parsed = Gst.parseLaunch(pipelineDescription(clip, frames, painter.size()), parseErrors);
        if (!parseErrors.isEmpty() || !(parsed instanceof Pipeline)) {
            if (parsed != null) {
                parsed.dispose();
            }
            throw new IllegalStateException("clip " + clip.clipName() + ": cannot build its pipeline: "
                    + parseErrors.stream().map(GError::getMessage).toList());
        }
        Pipeline pipeline = (Pipeline) parsed;
        AppSrc source = (AppSrc) pipeline.getElementByName("frames");
        source.setCaps(Caps.fromString("video/x-raw,format=I420,width=" + clip.width() + ",height=" + clip.height()
                + ",framerate=" + clip.framesPerSecond() + "/1,pixel-aspect-ratio=1/1,interlace-mode=progressive"));
        pipeline.getElementByName("file").set("location", file.toAbsolutePath().toString());

        CountDownLatch finished = new CountDownLatch(1);
        AtomicReference<GstObject> errorSource = new AtomicReference<>();
        AtomicReference<String> error = new AtomicReference<>();
        AtomicInteger pushed = new AtomicInteger();
        // Bus callbacks only record and signal; the element's name is read here, off the callback.
        Bus.EOS onEos = src -> finished.countDown();
        Bus.ERROR onError = (src, code, message) -> {
            if (error.compareAndSet(null, message)) {
                errorSource.set(src);
            }
            finished.countDown();
        };
        Bus bus = pipeline.getBus();
        bus.connect(onEos);
        bus.connect(onError);

        Thread feeder = new Thread(() -> feed(source, painter, clip.framesPerSecond(), frames, pushed, error,
                finished), "clip-frames-" + clip.clipName());
        feeder.setDaemon(true);
        Duration timeout = TIMEOUT_BASE.plusMillis(Math.round(
                1000 * TIMEOUT_SECONDS_PER_FRAME_MEGAPIXEL * frames * clip.width() * clip.height() / 1e6));
        boolean done;
        try {
            pipeline.play();
            feeder.start();
            done = finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while generating clip " + clip.clipName(), e);
        } finally {
            // NULL flushes appsrc, so a feeder blocked in pushBuffer returns FLUSHING and ends.
            pipeline.stop();
            try {
                feeder.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            bus.disconnect(onEos);
            bus.disconnect(onError);
            pipeline.dispose();
        }
        if (error.get() != null) {
            GstObject src = errorSource.get();
            throw new IOException("generating clip " + clip.clipName() + " failed after " + pushed.get() + " of "
                    + frames + " frames: " + (src == null ? "frame feeder" : src.getName()) + ": " + error.get());
        }
        if (!done) {
            throw new IOException("generating clip " + clip.clipName() + " did not finish within "
                    + timeout.toSeconds() + " s (" + pushed.get() + " of " + frames + " frames pushed)");
        }
    }

    /** Runs on the feeder thread: paints and pushes every frame, then end of stream. */
    private static void feed(AppSrc source, FramePainter painter, int fps, int frames, AtomicInteger pushed,
            AtomicReference<String> error, CountDownLatch finished) {
        try {
            for (int n = 0; n < frames; n++) {
                painter.paint(n);
                Buffer buffer = new Buffer(painter.size());
                try {
                    ByteBuffer mapped = buffer.map(true);
                    try {
                        mapped.put(painter.frame());
                    } finally {
                        buffer.unmap();
                    }
                    long pts = n * 1_000_000_000L / fps;
                    buffer.setPresentationTimestamp(pts);
                    buffer.setDuration((n + 1) * 1_000_000_000L / fps - pts);
                    buffer.setOffset(n);
                } catch (RuntimeException e) {
                    buffer.dispose();
                    throw e;
                }
                // pushBuffer takes the buffer (and blocks while the queue holds max-bytes).
                FlowReturn flow = source.pushBuffer(buffer);
                if (flow != FlowReturn.OK) {
                    // FLUSHING: the pipeline stopped (error or timeout); the bus has the reason.
                    return;
                }
                pushed.incrementAndGet();
            }
            source.endOfStream();
        } catch (RuntimeException e) {
            error.compareAndSet(null, e.toString());
            finished.countDown();
        }
    }

    /**
     * Paints I420 frames in GStreamer's default layout into one reused array. Everything that moves
     * is a block copy or fill per row: the background pans 4 px per frame across a precomputed
     * wider strip, so a 1080p frame costs well under a millisecond.
     *
     * <p>Used by one thread at a time.
     */
    static final class FramePainter {

        /** Pan period of the background in luma pixels; even, so the chroma pans by whole samples. */
        private static final int PERIOD = 256;
        private static final int PAN_PER_FRAME = 4;

        private final int width;
        private final int height;
        private final int chromaWidth;
        private final int chromaHeight;
        private final FrameLayout layout;
        private final byte[] frame;
        private final ByteBuffer lumaView;
        private final ByteBuffer uView;
        private final ByteBuffer vView;
        private final byte[] lumaBackground;
        private final int lumaBackgroundStride;
        private final byte[] uBackground;
        private final int uBackgroundStride;
        private final byte[] vRow;
        private final byte[][] boxRows;

        FramePainter(int width, int height) {
            this.width = width;
            this.height = height;
            this.chromaWidth = (width + 1) / 2;
            this.chromaHeight = (height + 1) / 2;
            this.layout = FrameLayout.gstreamerDefault(PixelFormat.I420, width, height);
            this.frame = new byte[layout.size()];
            Plane y = layout.plane(0);
            Plane u = layout.plane(1);
            Plane v = layout.plane(2);
            this.lumaView = ByteBuffer.wrap(frame, y.offset(), u.offset() - y.offset()).slice();
            this.uView = ByteBuffer.wrap(frame, u.offset(), v.offset() - u.offset()).slice();
            this.vView = ByteBuffer.wrap(frame, v.offset(), frame.length - v.offset()).slice();

            // Background: a horizontal wave and a vertical ramp, plus fine texture so encoders
            // have detail to track; periodic in x so that panning it is a copy from an offset.
            lumaBackgroundStride = width + PERIOD;
            lumaBackground = new byte[lumaBackgroundStride * height];
            for (int row = 0; row < height; row++) {
                for (int x = 0; x < lumaBackgroundStride; x++) {
                    int px = x % PERIOD;
                    double wave = 0.5 + 0.5 * Math.sin(2 * Math.PI * px / PERIOD);
                    int value = (int) (40 + 90 * wave + 70.0 * row / height) + texture(px, row);
                    lumaBackground[row * lumaBackgroundStride + x] = (byte) clamp(value, 16, 235);
                }
            }
            uBackgroundStride = chromaWidth + PERIOD / 2;
            uBackground = new byte[uBackgroundStride * chromaHeight];
            for (int row = 0; row < chromaHeight; row++) {
                for (int x = 0; x < uBackgroundStride; x++) {
                    double wave = Math.sin(2 * Math.PI * (x % (PERIOD / 2)) / (PERIOD / 2.0));
                    uBackground[row * uBackgroundStride + x] = (byte) (128 + (int) (48 * wave));
                }
            }
            vRow = new byte[chromaWidth];

            // The box: 8 px checker cells of two light levels, one precomputed row per cell phase.
            boxRows = new byte[2][boxWidth()];
            for (int x = 0; x < boxWidth(); x++) {
                boolean odd = (x / 8) % 2 == 1;
                boxRows[0][x] = (byte) (odd ? 225 : 170);
                boxRows[1][x] = (byte) (odd ? 170 : 225);
            }
        }

        /** Bytes in one frame. */
        int size() {
            return frame.length;
        }

        /** The frame painted last; valid until the next {@link #paint}. */
        byte[] frame() {
            return frame;
        }

        void paint(int n) {
            Plane y = layout.plane(0);
            Plane u = layout.plane(1);
            Plane v = layout.plane(2);
            int pan = (n * PAN_PER_FRAME) % PERIOD;
            for (int row = 0; row < height; row++) {
                System.arraycopy(lumaBackground, row * lumaBackgroundStride + pan, frame,
                        y.offset() + row * y.stride(), width);
            }
            for (int row = 0; row < chromaHeight; row++) {
                System.arraycopy(uBackground, row * uBackgroundStride + pan / 2, frame,
                        u.offset() + row * u.stride(), chromaWidth);
                // V drifts slowly over time and down the frame: a colour change encoders must follow.
                int vValue = 128 + (int) (40 * Math.sin(Math.PI * row / chromaHeight + n / 20.0));
                Arrays.fill(vRow, (byte) vValue);
                System.arraycopy(vRow, 0, frame, v.offset() + row * v.stride(), chromaWidth);
            }

            // A dark bar sweeping right, the full height.
            int barWidth = Math.max(2, width / 64) & ~1;
            int barX = ((n * 10) % Math.max(2, width - barWidth)) & ~1;
            for (int row = 0; row < height; row++) {
                int at = y.offset() + row * y.stride() + barX;
                Arrays.fill(frame, at, at + barWidth, (byte) 40);
            }

            // A checkered orange box bouncing around, at even positions so its chroma lines up.
            int boxW = boxWidth();
            int boxH = Math.max(2, height / 5) & ~1;
            int boxX = bounce(n * 7, width - boxW) & ~1;
            int boxY = bounce(n * 5, height - boxH) & ~1;
            for (int row = 0; row < boxH; row++) {
                byte[] pattern = boxRows[(row / 8) % 2];
                System.arraycopy(pattern, 0, frame, y.offset() + (boxY + row) * y.stride() + boxX, boxW);
            }
            for (int row = 0; row < boxH / 2; row++) {
                int cu = u.offset() + (boxY / 2 + row) * u.stride() + boxX / 2;
                int cv = v.offset() + (boxY / 2 + row) * v.stride() + boxX / 2;
                Arrays.fill(frame, cu, cu + boxW / 2, (byte) 80);
                Arrays.fill(frame, cv, cv + boxW / 2, (byte) 190);
            }

            // Last, so nothing covers it: the frame number, on neutral chroma.
            FrameNumberCode.drawLuma(lumaView, y.stride(), width, height, n);
            FrameNumberCode.drawChroma(uView, u.stride(), chromaWidth, chromaHeight, 1, height);
            FrameNumberCode.drawChroma(vView, v.stride(), chromaWidth, chromaHeight, 1, height);
        }

        private int boxWidth() {
            return Math.max(2, width / 6) & ~1;
        }

        /** Position {@code t} along a back-and-forth path over {@code [0, range]}. */
        private static int bounce(int t, int range) {
            if (range <= 0) {
                return 0;
            }
            int p = t % (2 * range);
            return p <= range ? p : 2 * range - p;
        }

        /** Deterministic fine texture, -12..12, periodic in x with the pan period. */
        private static int texture(int x, int y) {
            int h = x * 374761393 + y * 668265263;
            h = (h ^ (h >>> 13)) * 1274126177;
            h ^= h >>> 16;
            return (h & 31) * 25 / 31 - 12;
        }

        private static int clamp(int v, int lo, int hi) {
            return Math.max(lo, Math.min(hi, v));
        }
    }
}
