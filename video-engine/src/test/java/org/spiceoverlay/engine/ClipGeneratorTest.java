package org.spiceoverlay.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.spiceoverlay.api.FrameLayout;
import org.spiceoverlay.api.FrameNumberCode;
import org.spiceoverlay.api.PixelFormat;
import org.spiceoverlay.engine.gst.GstRuntime;
import org.spiceoverlay.media.ClipGenerator;
import org.spiceoverlay.media.GeneratedClip;
import org.spiceoverlay.media.SampleClip;

/**
 * Generates every sample clip (2 s each) and decodes it again with GStreamer: the container holds
 * the clip's video and audio codecs, every frame comes back at the clip's size with its frame
 * number readable, complete and in order, on its timestamp, and the tone lasts as long as the
 * video. A missing encoder fails the test with the element and package to install.
 */
@Tag("integration")
class ClipGeneratorTest {

    private static final Duration LENGTH = Duration.ofSeconds(2);

    @TempDir
    static Path dir;

    @BeforeAll
    static void gstreamer() {
        GstRuntime.ensureInitialised();
    }

    @ParameterizedTest
    @EnumSource(SampleClip.class)
    void clipDecodesToNumberedFramesInOrderWithAudio(SampleClip clip) throws Exception {
        ClipGenerator.requireElements(clip);
        GeneratedClip made = ClipGenerator.generate(clip, dir, LENGTH, true);
        int frames = clip.frameCount(LENGTH);
        assertEquals(60, frames);
        assertEquals(frames, made.frames());
        assertFalse(made.reused());
        assertEquals(dir.resolve(clip.fileName()), made.file());
        assertEquals(Files.size(made.file()), made.bytes());
        assertTrue(made.bytes() > 10_000, "a clip of " + frames + " frames is more than a few bytes: " + made);
        try (var listing = Files.list(dir)) {
            assertTrue(listing.noneMatch(p -> p.getFileName().toString().endsWith(".part")), "temporary file left");
        }

        Decoded d = Decoded.of(clip, made.file());
        assertEquals(clip.width() + "x" + clip.height(), d.width + "x" + d.height, "decoded size");
        List<Integer> expected = IntStream.range(0, frames).boxed().toList();
        assertEquals(expected, d.numbers, "frame numbers read from the decoded frames");
        // With B-frames, MP4 starts the first frame's pts at the reorder delay (2 frames) and its
        // edit list maps that to time 0 (qtdemux's segment), so spacing is checked from frame 0.
        long first = d.timestamps.get(0);
        assertTrue(
                first >= 0 && first <= 3 * 1_000_000_000L / clip.framesPerSecond(),
                "frame 0 pts " + first + " ns is more than 3 frames of reorder delay");
        for (int n = 0; n < frames; n++) {
            // WebM stores milliseconds, MP4 a timescale of its own: allow 1 ms.
            long want = n * 1_000_000_000L / clip.framesPerSecond();
            long got = d.timestamps.get(n) - first;
            assertTrue(
                    Math.abs(got - want) <= 1_000_000,
                    "frame " + n + " at " + got + " ns after frame 0, expected " + want);
        }
        assertTrue(d.audioSamples > 0, "no decoded audio in " + clip);
        double audioSeconds = d.audioSamples / (double) d.audioRate;
        // Decoders keep the AAC encoder's 1024-sample priming (21 ms) and Vorbis adds 17 ms; Opus is exact.
        assertEquals(LENGTH.toMillis() / 1000.0, audioSeconds, 0.05, "audio length of " + clip);
    }

    @Test
    void existingClipIsKeptUnlessOverwriteIsAsked() throws IOException {
        Path own = dir.resolve("keep");
        Duration half = Duration.ofMillis(500);
        GeneratedClip first = ClipGenerator.generate(SampleClip.H264_ODD, own, half, false);
        assertFalse(first.reused());
        assertEquals(15, first.frames());
        GeneratedClip second = ClipGenerator.generate(SampleClip.H264_ODD, own, half, false);
        assertTrue(second.reused());
        assertEquals(first.bytes(), second.bytes());
        GeneratedClip third = ClipGenerator.generate(SampleClip.H264_ODD, own, Duration.ofSeconds(1), true);
        assertFalse(third.reused());
        assertEquals(30, third.frames());
    }

    @Test
    void clipNamesAndLengthsAreValidated() {
        assertEquals(SampleClip.AV1_480P, SampleClip.byName("AV1-480p"));
        IllegalArgumentException unknown =
                assertThrows(IllegalArgumentException.class, () -> SampleClip.byName("h263-cif"));
        assertTrue(
                unknown.getMessage().contains("h263-cif")
                        && unknown.getMessage().contains("vp9-720p"),
                unknown.getMessage());
        assertEquals(300, SampleClip.H264_720P.frameCount(ClipGenerator.DEFAULT_LENGTH));
        IllegalArgumentException none = assertThrows(
                IllegalArgumentException.class, () -> SampleClip.H264_720P.frameCount(Duration.ofMillis(10)));
        assertTrue(none.getMessage().startsWith("length "), none.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> SampleClip.H264_720P.frameCount(Duration.ofHours(1)),
                "more frames than the frame-number strip counts");
        assertEquals("h264-720p.mp4", SampleClip.H264_720P.fileName());
        assertEquals("av1-480p.webm", SampleClip.AV1_480P.fileName());
    }

    /**
     * What decoding a clip gave: parsebin splits the file into elementary streams, and each branch
     * only links to a stream of the clip's own codec, so a wrong or missing codec leaves a branch
     * without data and the decode does not finish.
     */
    private static final class Decoded {
        int width;
        int height;
        final List<Integer> numbers = Collections.synchronizedList(new ArrayList<>());
        final List<Long> timestamps = Collections.synchronizedList(new ArrayList<>());
        long audioSamples;
        int audioRate;

        static Decoded of(SampleClip clip, Path file) throws Exception {
            Decoded d = new Decoded();
            String desc = "filesrc name=file ! parsebin name=p "
                    + "p. ! " + clip.videoMediaType() + " ! queue ! decodebin ! videoconvert"
                    + " ! video/x-raw,format=I420 ! appsink name=video sync=false "
                    + "p. ! " + clip.audioMediaType() + " ! queue ! decodebin ! audioconvert"
                    + " ! audio/x-raw,format=S16LE,channels=2 ! appsink name=audio sync=false";
            AtomicLong audioBytes = new AtomicLong();
            // A 2 s clip decodes in about a second. A stream of another codec, or a missing one,
            // leaves a branch unlinked and the pipeline waits for it forever: hence the hint.
            TwoBranchDecode.run(
                    desc,
                    file,
                    30,
                    "does it hold exactly one " + clip.videoMediaType() + " and one " + clip.audioMediaType()
                            + " stream?",
                    (caps, mapped, pts) -> {
                        d.width = caps.getInteger("width");
                        d.height = caps.getInteger("height");
                        FrameLayout layout = FrameLayout.gstreamerDefault(PixelFormat.I420, d.width, d.height);
                        assertNotNull(mapped, "mapping a decoded frame");
                        OptionalInt n =
                                FrameNumberCode.readLuma(mapped, layout.plane(0).stride(), d.width, d.height);
                        d.numbers.add(n.orElse(-1));
                        d.timestamps.add(pts);
                    },
                    (caps, mapped, pts) -> {
                        d.audioRate = caps.getInteger("rate");
                        audioBytes.addAndGet(mapped.remaining());
                    });
            d.audioSamples = audioBytes.get() / 4;
            return d;
        }
    }
}
