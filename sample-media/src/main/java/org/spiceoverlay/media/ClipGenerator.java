package org.spiceoverlay.media;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
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
import org.spiceoverlay.api.FrameNumberCode;

/**
 * Writes the project's {@link SampleClip sample clips}: raw I420 frames painted in Java (a panning
 * textured gradient, a bouncing checkered box, a sweeping bar, and the {@link FrameNumberCode}
 * strip with the frame's number) are pushed through an {@code appsrc} into the clip's encoder, a
 * 440 Hz sine from {@code audiotestsrc} of exactly the same length into its audio encoder, and both
 * into the muxer and a file. A clip {@link SampleClip#hasAvMarks() with A/V marks} paints white flash
 * frames among them and, instead of the sine, a soundtrack made in Java ({@link AvSoundtrack}: silence
 * and a beep on each flash) pushed through a second {@code appsrc}, one buffer per video frame,
 * alternately with the frames on the same feeder thread.
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

    private ClipGenerator() {}

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
        return generate(clip, outDir, length, overwrite, 0);
    }

    /**
     * As {@link #generate(SampleClip, Path, Duration, boolean)}, with the beeps of a clip
     * {@link SampleClip#hasAvMarks() with A/V marks} written {@code audioShiftNs} later than their
     * flash frames (negative: earlier), to give a benchmark a known offset to find. Decoded with
     * GStreamer, each beep's first sample is at its flash frame's pts plus the shift (within a
     * sample; see {@link AvSoundtrack} for the AAC priming this compensates).
     *
     * @throws IllegalArgumentException also if the shift is not 0 for a clip without A/V marks, or
     *         beyond +-400 ms
     */
    public static GeneratedClip generate(
            SampleClip clip, Path outDir, Duration length, boolean overwrite, long audioShiftNs) throws IOException {
        Objects.requireNonNull(clip, "clip");
        if (audioShiftNs != 0 && !clip.hasAvMarks()) {
            throw new IllegalArgumentException("audioShiftNs must be 0 for clip " + clip.clipName()
                    + ", which has no A/V marks; got " + audioShiftNs);
        }
        AvSoundtrack soundtrack = clip.hasAvMarks()
                ? new AvSoundtrack(
                        clip.framesPerSecond(), SampleClip.AUDIO_RATE, audioShiftNs, AvSoundtrack.AAC_PRIMING_SAMPLES)
                : null;
        if (soundtrack != null && clip.audio() != ClipAudio.AAC) {
            throw new IllegalStateException("clip " + clip.clipName() + ": the A/V marks compensate AAC priming only");
        }
        Objects.requireNonNull(outDir, "outDir");
        int frames = clip.frameCount(length);
        Path target = outDir.resolve(clip.fileName());
        if (!overwrite && Files.isRegularFile(target)) {
            return new GeneratedClip(clip, target, 0, Files.size(target), Duration.ZERO, true);
        }
        MediaGst.ensureInitialised();
        requireElements(clip);
        Files.createDirectories(outDir);
        // A name of its own: another process may be writing the same clip (the last one in wins).
        Path partial = Files.createTempFile(outDir, "." + clip.fileName() + ".", ".part");
        long start = System.nanoTime();
        try {
            encode(clip, frames, soundtrack, partial);
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
    public static List<GeneratedClip> generateAll(
            Collection<SampleClip> clips,
            Path outDir,
            Duration length,
            boolean overwrite,
            Consumer<GeneratedClip> onEach)
            throws IOException {
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
        MediaGst.ensureInitialised();
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
        String audioSource;
        String audioQueue;
        if (clip.hasAvMarks()) {
            // The feeder pushes the soundtrack between frames on one thread. The encoded audio
            // waits in its queue until the video encoder's delay (lookahead, frame threads) has
            // passed; a bounded queue there would block the feeder before the video gets through,
            // so it is unbounded (a few hundred kB for a 10 s clip).
            audioSource = "appsrc name=sound format=time is-live=false block=true";
            audioQueue = "queue max-size-buffers=0 max-size-bytes=0 max-size-time=0";
        } else {
            audioSource = "audiotestsrc wave=sine freq=440 volume=0.3 samplesperbuffer=" + samplesPerFrame
                    + " num-buffers=" + frames;
            audioQueue = "queue";
        }
        return "appsrc name=frames format=time is-live=false block=true max-bytes=" + 4L * frameBytes
                + " ! " + clip.videoChain + " ! queue ! mux. "
                + audioSource
                + " ! audio/x-raw,rate=" + SampleClip.AUDIO_RATE + ",channels=2 ! audioconvert ! audioresample ! "
                + clip.audio().chain + " ! " + audioQueue + " ! mux. "
                + clip.containerFormat().muxer + " name=mux ! filesink name=file sync=false";
    }

    private static void encode(SampleClip clip, int frames, AvSoundtrack soundtrack, Path file) throws IOException {
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
        AppSrc sound = null;
        if (soundtrack != null) {
            sound = (AppSrc) pipeline.getElementByName("sound");
            sound.setCaps(Caps.fromString("audio/x-raw,format=S16LE,layout=interleaved,rate=" + SampleClip.AUDIO_RATE
                    + ",channels=" + AvSoundtrack.CHANNELS + ",channel-mask=(bitmask)0x3"));
        }
        AppSrc soundSource = sound;

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

        Thread feeder = new Thread(
                () -> feed(clip, source, painter, soundSource, soundtrack, frames, pushed, error, finished),
                "clip-frames-" + clip.clipName());
        feeder.setDaemon(true);
        Duration timeout = TIMEOUT_BASE.plusMillis(
                Math.round(1000 * TIMEOUT_SECONDS_PER_FRAME_MEGAPIXEL * frames * clip.width() * clip.height() / 1e6));
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
            throw new IOException("generating clip " + clip.clipName() + " did not finish within " + timeout.toSeconds()
                    + " s (" + pushed.get() + " of " + frames + " frames pushed)");
        }
    }

    /**
     * Runs on the feeder thread: paints and pushes every frame (and, for a clip with A/V marks, the
     * frame's audio right after it), then end of stream.
     */
    private static void feed(
            SampleClip clip,
            AppSrc source,
            FramePainter painter,
            AppSrc sound,
            AvSoundtrack soundtrack,
            int frames,
            AtomicInteger pushed,
            AtomicReference<String> error,
            CountDownLatch finished) {
        int fps = clip.framesPerSecond();
        try {
            for (int n = 0; n < frames; n++) {
                if (clip.isFlashFrame(n)) {
                    painter.paintFlash(n);
                } else {
                    painter.paint(n);
                }
                long pts = n * 1_000_000_000L / fps;
                long duration = (n + 1) * 1_000_000_000L / fps - pts;
                // pushBuffer takes the buffer (and blocks while the queue holds max-bytes).
                FlowReturn flow = source.pushBuffer(timedBuffer(painter.frame(), pts, duration, n));
                if (flow == FlowReturn.OK && sound != null) {
                    flow = sound.pushBuffer(
                            timedBuffer(soundtrack.chunk(n), pts, duration, (long) n * soundtrack.samplesPerFrame()));
                }
                if (flow != FlowReturn.OK) {
                    // FLUSHING: the pipeline stopped (error or timeout); the bus has the reason.
                    return;
                }
                pushed.incrementAndGet();
            }
            source.endOfStream();
            if (sound != null) {
                sound.endOfStream();
            }
        } catch (RuntimeException e) {
            error.compareAndSet(null, e.toString());
            finished.countDown();
        }
    }

    /** A new buffer holding a copy of {@code data}, with its timestamps set. */
    private static Buffer timedBuffer(byte[] data, long pts, long duration, long offset) {
        Buffer buffer = new Buffer(data.length);
        try {
            ByteBuffer mapped = buffer.map(true);
            try {
                mapped.put(data);
            } finally {
                buffer.unmap();
            }
            buffer.setPresentationTimestamp(pts);
            buffer.setDuration(duration);
            buffer.setOffset(offset);
            return buffer;
        } catch (RuntimeException e) {
            buffer.dispose();
            throw e;
        }
    }
}
