package org.spiceoverlay.media;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.spiceoverlay.api.FrameNumberCode;

/**
 * The project's sample clips: what each one is (size, rate, codecs, container, file name) and the
 * GStreamer chains {@link ClipGenerator} encodes it with. Every clip carries its frame number in
 * every frame ({@link FrameNumberCode}) and an audio track of the same length: a 440 Hz sine, or,
 * in the benchmark's clips {@link #hasAvMarks() with A/V marks}, silence with a beep on each white
 * flash frame.
 *
 * <p>Immutable; any thread.
 */
public enum SampleClip {

    /** 720p H.264 High with B-frames, the everyday case (the DESIGN's 4 Mbit/s 720p clip). */
    H264_720P(
            "h264-720p",
            1280,
            720,
            "H.264 High",
            "video/x-h264",
            ClipAudio.AAC,
            ClipContainer.MP4,
            h264("I420", "high", 4000)),

    /** 1080p H.264 High: the heaviest decode and upload. */
    H264_1080P(
            "h264-1080p",
            1920,
            1080,
            "H.264 High",
            "video/x-h264",
            ClipAudio.AAC,
            ClipContainer.MP4,
            h264("I420", "high", 8000)),

    /** 480p (16:9 "FWVGA") VP8 in WebM with Vorbis: the classic WebM pair. */
    VP8_480P(
            "vp8-480p",
            854,
            480,
            "VP8",
            "video/x-vp8",
            ClipAudio.VORBIS,
            ClipContainer.WEBM,
            "vp8enc deadline=1 cpu-used=8 threads=2 target-bitrate=2000000 keyframe-max-dist=30"),

    /**
     * An odd size, to catch stride and chroma rounding mistakes. H.264 cannot code an odd width or
     * height in 4:2:0 (frame cropping counts in 2-pixel units there, and x264 refuses to start), so
     * this clip is H.264 High 4:4:4 Predictive, where cropping counts single pixels; decoders hand
     * out Y444 frames of exactly 321x241.
     */
    H264_ODD(
            "h264-odd",
            321,
            241,
            "H.264 High 4:4:4",
            "video/x-h264",
            ClipAudio.AAC,
            ClipContainer.MP4,
            h264("Y444", "high-4:4:4", 800)),

    /** 720p H.265 Main (x265 ultrafast, B-frames on). */
    H265_720P(
            "h265-720p",
            1280,
            720,
            "H.265 Main",
            "video/x-h265",
            ClipAudio.AAC,
            ClipContainer.MP4,
            "x265enc speed-preset=ultrafast bitrate=2500 key-int-max=30 ! video/x-h265,profile=main ! h265parse"),

    /**
     * 360p H.265 Main 10: 10-bit samples, which the client converts to the 8-bit frames it shows
     * rather than refusing the stream.
     */
    H265_10BIT(
            "h265-10bit",
            640,
            360,
            "H.265 Main 10",
            "video/x-h265",
            ClipAudio.AAC,
            ClipContainer.MP4,
            "videoconvert ! video/x-raw,format=I420_10LE ! x265enc speed-preset=ultrafast bitrate=800 key-int-max=30"
                    + " ! video/x-h265,profile=main-10 ! h265parse"),

    /** 720p VP9 profile 0 in WebM with Opus. */
    VP9_720P(
            "vp9-720p",
            1280,
            720,
            "VP9",
            "video/x-vp9",
            ClipAudio.OPUS,
            ClipContainer.WEBM,
            "vp9enc deadline=1 cpu-used=8 threads=2 row-mt=true end-usage=cbr target-bitrate=2500000"
                    + " keyframe-max-dist=30"
                    + " ! vp9parse"),

    /**
     * 480p AV1 (libaom realtime) in WebM with Opus. libaom's defaults of 0 for both quantizer
     * limits trip an assertion in CBR mode, so the limits are set.
     */
    AV1_480P(
            "av1-480p",
            854,
            480,
            "AV1",
            "video/x-av1",
            ClipAudio.OPUS,
            ClipContainer.WEBM,
            "av1enc usage-profile=realtime cpu-used=9 end-usage=cbr target-bitrate=1000 min-quantizer=4"
                    + " max-quantizer=56 keyframe-max-dist=30 threads=2 row-mt=true ! av1parse"),

    /**
     * The benchmark's A/V clip at 720p, encoded as {@link #H264_720P}: white {@link #isFlashFrame
     * flash frames} once a second, each with a beep starting exactly on its pts.
     */
    AV_720P(
            "av-720p",
            1280,
            720,
            "H.264 High",
            "video/x-h264",
            ClipAudio.AAC,
            ClipContainer.MP4,
            h264("I420", "high", 4000),
            true),

    /** The benchmark's A/V clip at 1080p, encoded as {@link #H264_1080P}. */
    AV_1080P(
            "av-1080p",
            1920,
            1080,
            "H.264 High",
            "video/x-h264",
            ClipAudio.AAC,
            ClipContainer.MP4,
            h264("I420", "high", 8000),
            true),

    /**
     * 720p H.264 as a live source encodes it (a camera, a screen cast, a call): x264's zero-latency
     * tuning, so no B-frames (no frame waits for a later one before it can be shown), no look-ahead,
     * sliced threads; a keyframe every second, and the A/V marks. What {@code --timing LIVE} plays by
     * default: a file with B-frames played live pays their reordering (about two frames) on top.
     */
    LIVE_720P(
            "live-720p",
            1280,
            720,
            "H.264 High, no B-frames",
            "video/x-h264",
            ClipAudio.AAC,
            ClipContainer.MP4,
            liveH264(4000),
            true),

    /** 1080p H.264 as a live source encodes it, as {@link #LIVE_720P}. */
    LIVE_1080P(
            "live-1080p",
            1920,
            1080,
            "H.264 High, no B-frames",
            "video/x-h264",
            ClipAudio.AAC,
            ClipContainer.MP4,
            liveH264(8000),
            true),

    /** A small A/V clip (640x360, H.264 High at 800 kbit/s) for tests that check the marks quickly. */
    AV_360P(
            "av-360p",
            640,
            360,
            "H.264 High",
            "video/x-h264",
            ClipAudio.AAC,
            ClipContainer.MP4,
            h264("I420", "high", 800),
            true);

    /** Audio sample rate of every clip; 48 kHz is what Opus needs and divides every frame rate used. */
    static final int AUDIO_RATE = 48000;

    private final String clipName;
    private final int width;
    private final int height;
    private final String videoCodec;
    private final String videoMediaType;
    private final ClipAudio audio;
    private final ClipContainer container;
    /** Raw I420 frames in, parsed elementary video out, as a gst-launch fragment. */
    final String videoChain;

    private final boolean avMarks;

    SampleClip(
            String clipName,
            int width,
            int height,
            String videoCodec,
            String videoMediaType,
            ClipAudio audio,
            ClipContainer container,
            String videoChain) {
        this(clipName, width, height, videoCodec, videoMediaType, audio, container, videoChain, false);
    }

    SampleClip(
            String clipName,
            int width,
            int height,
            String videoCodec,
            String videoMediaType,
            ClipAudio audio,
            ClipContainer container,
            String videoChain,
            boolean avMarks) {
        this.avMarks = avMarks;
        this.clipName = clipName;
        this.width = width;
        this.height = height;
        this.videoCodec = videoCodec;
        this.videoMediaType = videoMediaType;
        this.audio = audio;
        this.container = container;
        this.videoChain = videoChain;
    }

    /**
     * x264 at veryfast (B-frames and CABAC stay on, as in real files), a keyframe every second.
     * The caps filter pins the chroma format: without it, x264enc fed anything but I420 picks 4:4:4.
     */
    private static String h264(String format, String profile, int kbps) {
        String convert = format.equals("I420") ? "" : "videoconvert ! video/x-raw,format=" + format + " ! ";
        return convert + "x264enc speed-preset=veryfast bitrate=" + kbps + " key-int-max=30"
                + " ! video/x-h264,profile=" + profile + " ! h264parse";
    }

    /** x264 tuned for zero latency, as live encoders run it: no B-frames, no look-ahead. */
    private static String liveH264(int kbps) {
        return "x264enc speed-preset=veryfast tune=zerolatency bitrate=" + kbps + " key-int-max=30"
                + " ! video/x-h264,profile=high ! h264parse";
    }

    /**
     * Whether the clip carries A/V marks: white flash frames ({@link #isFlashFrame}) and, instead
     * of the 440 Hz tone, silence with a 1 kHz beep starting exactly on each flash frame's pts.
     */
    public boolean hasAvMarks() {
        return avMarks;
    }

    /**
     * Whether frame {@code frameNumber} is a flash frame: in a clip {@link #hasAvMarks() with A/V
     * marks}, every frame {@code n} with {@code n % fps == fps / 2} (0.5 s, 1.5 s, ...).
     */
    public boolean isFlashFrame(int frameNumber) {
        return avMarks && isFlashFrame(framesPerSecond(), frameNumber);
    }

    /**
     * The flash frames of a clip with A/V marks at {@code framesPerSecond} that is
     * {@code frameCount} frames long, in order: {@code fps/2, fps/2 + fps, ...}.
     *
     * @throws IllegalArgumentException if framesPerSecond is below 1 or frameCount negative
     */
    public static List<Integer> flashFrames(int framesPerSecond, int frameCount) {
        if (framesPerSecond < 1 || frameCount < 0) {
            throw new IllegalArgumentException(
                    "framesPerSecond must be >= 1 and frameCount >= 0, got " + framesPerSecond + " and " + frameCount);
        }
        List<Integer> out = new ArrayList<>();
        for (int n = framesPerSecond / 2; n < frameCount; n += framesPerSecond) {
            out.add(n);
        }
        return out;
    }

    /** The flash frames of this clip at this length; empty for a clip without A/V marks. */
    public List<Integer> flashFrames(Duration length) {
        int frames = frameCount(length);
        return avMarks ? flashFrames(framesPerSecond(), frames) : List.of();
    }

    static boolean isFlashFrame(int framesPerSecond, int frameNumber) {
        return frameNumber >= 0 && frameNumber % framesPerSecond == framesPerSecond / 2;
    }

    /** The clip's name, e.g. "h264-720p": what {@code --only} takes and the file's base name. */
    public String clipName() {
        return clipName;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** Every clip runs at a whole number of frames per second; all of them at 30 today. */
    public int framesPerSecond() {
        return 30;
    }

    /** The video codec and profile for people, e.g. "H.264 High". */
    public String videoCodec() {
        return videoCodec;
    }

    /** The GStreamer media type of the elementary video stream, e.g. "video/x-h264". */
    public String videoMediaType() {
        return videoMediaType;
    }

    /** The audio codec for people, e.g. "AAC-LC". */
    public String audioCodec() {
        return audio.label;
    }

    /** The GStreamer media type of the elementary audio stream, e.g. "audio/x-opus". */
    public String audioMediaType() {
        return audio.mediaType;
    }

    /** The container for people: "MP4" or "WebM". */
    public String container() {
        return container.label;
    }

    /** The file name the clip is written to, e.g. "h264-720p.mp4". */
    public String fileName() {
        return clipName + "." + container.extension;
    }

    ClipAudio audio() {
        return audio;
    }

    ClipContainer containerFormat() {
        return container;
    }

    /**
     * How many frames a clip of this length has: {@code length * fps}, rounded to the nearest frame.
     *
     * @throws IllegalArgumentException if length gives fewer than 1 frame or more frames than the
     *         frame-number strip can count (65536)
     */
    public int frameCount(Duration length) {
        if (length == null) {
            throw new IllegalArgumentException("length must not be null");
        }
        long frames = Math.round(length.toNanos() * (double) framesPerSecond() / 1e9);
        if (frames < 1 || frames > FrameNumberCode.MAX_FRAME_NUMBER + 1L) {
            throw new IllegalArgumentException("length must give 1 to "
                    + (FrameNumberCode.MAX_FRAME_NUMBER + 1) + " frames at "
                    + framesPerSecond() + " fps, got " + length + " (" + frames + " frames)");
        }
        return (int) frames;
    }

    /**
     * The clip with this name ("h264-720p"; case does not matter).
     *
     * @throws IllegalArgumentException naming the unknown clip and listing the known ones
     */
    public static SampleClip byName(String name) {
        for (SampleClip c : values()) {
            if (c.clipName.equalsIgnoreCase(name == null ? "" : name.trim())) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown clip '" + name + "'; the clips are "
                + Arrays.stream(values()).map(SampleClip::clipName).collect(Collectors.joining(", ")));
    }

    /**
     * The GStreamer elements the clip's pipeline uses, from its chains: each link's first word,
     * caps filters skipped.
     */
    List<String> elementNames() {
        List<String> names = new ArrayList<>(List.of(
                "appsrc", avMarks ? "appsrc" : "audiotestsrc", "audioconvert", "audioresample", "queue", "filesink"));
        names = new ArrayList<>(names.stream().distinct().toList());
        for (String chain : List.of(videoChain, audio.chain, container.muxer)) {
            for (String link : chain.split("!")) {
                String first = link.trim().split("\\s+")[0];
                if (!first.contains("/") && !names.contains(first)) {
                    names.add(first);
                }
            }
        }
        return names;
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "%s (%dx%d@%d %s + %s in %s)",
                clipName,
                width,
                height,
                framesPerSecond(),
                videoCodec,
                audio.label,
                container.label);
    }
}
