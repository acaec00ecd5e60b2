package org.spiceoverlay.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.spiceoverlay.api.FrameLayout;
import org.spiceoverlay.api.FrameNumberCode;
import org.spiceoverlay.api.PixelFormat;
import org.spiceoverlay.api.Plane;
import org.spiceoverlay.engine.bench.BeepDetector;
import org.spiceoverlay.engine.gst.GstRuntime;
import org.spiceoverlay.media.ClipGenerator;
import org.spiceoverlay.media.GeneratedClip;
import org.spiceoverlay.media.SampleClip;

/**
 * A clip with A/V marks, decoded by GStreamer ({@code qtdemux ! decodebin}) as a player would: the
 * flash frames (and only they) are white with their number readable, and each beep starts at its
 * flash frame's time plus the shift asked for, within 2 ms, AAC priming included.
 */
@Tag("integration")
class AvMarksClipTest {

    private static final Duration LENGTH = Duration.ofSeconds(3);
    private static final long TOLERANCE_NS = 2_000_000;

    @TempDir
    static Path dir;

    @BeforeAll
    static void gstreamer() {
        GstRuntime.ensureInitialised();
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 80_000_000L, -80_000_000L})
    void beepsStartOnTheirFlashFramesPlusTheShift(long shiftNs) throws Exception {
        SampleClip clip = SampleClip.AV_360P;
        Path out = dir.resolve("shift" + shiftNs);
        GeneratedClip made = ClipGenerator.generate(clip, out, LENGTH, true, shiftNs);
        int frames = clip.frameCount(LENGTH);
        assertEquals(frames, made.frames());
        List<Integer> flashes = clip.flashFrames(LENGTH);
        assertEquals(List.of(15, 45, 75), flashes);

        Decoded d = Decoded.of(clip, made.file());
        List<Integer> numbers = d.frames.stream().map(Frame::number).toList();
        assertEquals(FrameNumbers.range(0, frames), numbers, "frame numbers");
        for (Frame f : d.frames) {
            assertEquals(
                    clip.isFlashFrame(f.number),
                    f.white,
                    "frame " + f.number + " white? mean luma " + f.meanLuma + ", chroma off neutral by "
                            + f.chromaOffset);
        }
        // Frame 0 is time 0: the MP4 edit list maps its pts (after the B-frame reorder delay) to
        // the start, as the existing clip test checks; the audio starts at 0.
        long origin = d.frames.get(0).ptsNs;
        assertEquals(0, d.firstAudioPtsNs, "first decoded audio pts");
        List<Long> onsets = d.detector.onsetsNanos();
        assertEquals(flashes.size(), onsets.size(), "one beep per flash frame, got onsets " + onsets);
        for (int i = 0; i < flashes.size(); i++) {
            long flashNs = d.frames.get(flashes.get(i)).ptsNs - origin;
            long want = flashNs + shiftNs;
            long got = onsets.get(i);
            System.out.printf(
                    "av-360p shift %d ms: beep %d off its mark by %+.3f ms%n",
                    shiftNs / 1_000_000, i, (got - want) / 1e6);
            assertTrue(
                    Math.abs(got - want) <= TOLERANCE_NS,
                    "beep " + i + " (frame " + flashes.get(i) + " at " + flashNs + " ns, shift " + shiftNs
                            + " ns) starts at " + got + " ns, off by " + (got - want));
        }
    }

    @Test
    void onlyClipsWithMarksHaveFlashesOrTakeAShift() {
        assertTrue(SampleClip.AV_720P.hasAvMarks());
        assertTrue(SampleClip.AV_1080P.hasAvMarks());
        assertFalse(SampleClip.H264_720P.hasAvMarks());
        assertFalse(SampleClip.H264_720P.isFlashFrame(15));
        assertTrue(SampleClip.AV_720P.isFlashFrame(15));
        assertFalse(SampleClip.AV_720P.isFlashFrame(16));
        assertEquals(List.of(15, 45, 75, 105), SampleClip.flashFrames(30, 106));
        assertEquals(List.of(), SampleClip.H264_720P.flashFrames(LENGTH));
        assertThrows(
                IllegalArgumentException.class,
                () -> ClipGenerator.generate(SampleClip.H264_720P, dir, LENGTH, true, 1));
        assertThrows(
                IllegalArgumentException.class,
                () -> ClipGenerator.generate(SampleClip.AV_360P, dir, LENGTH, true, 500_000_000L));
    }

    record Frame(int number, long ptsNs, boolean white, double meanLuma, double chromaOffset) {}

    /** Decodes video and audio of a clip: each frame's number, pts and whiteness; the beeps' onsets. */
    private static final class Decoded {
        final List<Frame> frames = new ArrayList<>();
        final BeepDetector detector = new BeepDetector(48000, 2);
        volatile long firstAudioPtsNs = -1;

        static Decoded of(SampleClip clip, Path file) throws Exception {
            Decoded d = new Decoded();
            String desc = "filesrc name=file ! qtdemux name=d "
                    + "d. ! video/x-h264 ! queue ! decodebin ! videoconvert ! video/x-raw,format=I420"
                    + " ! appsink name=video sync=false "
                    + "d. ! audio/mpeg ! queue ! decodebin ! audioconvert ! audioresample"
                    + " ! audio/x-raw,format=S16LE,rate=48000,channels=2 ! appsink name=audio sync=false";
            FrameLayout layout = FrameLayout.gstreamerDefault(PixelFormat.I420, clip.width(), clip.height());
            int stripRows = FrameNumberCode.stripHeight(clip.height());
            TwoBranchDecode.run(
                    desc,
                    file,
                    60,
                    "",
                    (caps, mapped, pts) -> {
                        int n = FrameNumberCode.readLuma(mapped, layout.plane(0).stride(), clip.width(), clip.height())
                                .orElse(-1);
                        double luma = mean(mapped, layout.plane(0), clip.width(), clip.height(), stripRows);
                        double u =
                                mean(mapped, layout.plane(1), clip.width() / 2, clip.height() / 2, stripRows / 2 + 1);
                        double v =
                                mean(mapped, layout.plane(2), clip.width() / 2, clip.height() / 2, stripRows / 2 + 1);
                        double chromaOffset = Math.max(Math.abs(u - 128), Math.abs(v - 128));
                        d.frames.add(new Frame(n, pts, luma > 225 && chromaOffset < 4, luma, chromaOffset));
                    },
                    (caps, mapped, pts) -> {
                        if (d.firstAudioPtsNs < 0) {
                            d.firstAudioPtsNs = pts;
                        }
                        d.detector.accept(mapped, pts);
                    });
            return d;
        }

        /** The mean of a plane below the strip, from every 4th sample of every 4th row. */
        private static double mean(ByteBuffer frame, Plane plane, int width, int height, int fromRow) {
            long sum = 0;
            long count = 0;
            for (int row = fromRow; row < height; row += 4) {
                for (int x = 0; x < width; x += 4) {
                    sum += frame.get(plane.offset() + row * plane.stride() + x) & 0xff;
                    count++;
                }
            }
            return sum / (double) count;
        }
    }
}
