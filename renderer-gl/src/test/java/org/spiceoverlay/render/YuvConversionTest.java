package org.spiceoverlay.render;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.spiceoverlay.api.Colorimetry;
import org.spiceoverlay.api.PixelFormat;
import org.spiceoverlay.api.Rect;
import org.spiceoverlay.api.VideoFrame;

/**
 * Acceptance 2: I420 and NV12 frames in BT.601 and BT.709, limited and full range (and BT.2020
 * limited), drawn 1:1 by the offscreen compositor, match GStreamer's videoconvert to within 2 on
 * every channel of every pixel. The frames mix smooth gradients with random blocks (sharp luma and
 * chroma edges, out-of-range samples) and come in even and odd sizes. See {@link GstVideoConvert}
 * for which videoconvert output is the reference and why.
 */
@Tag("integration")
class YuvConversionTest {

    private static final TestFrames FRAMES = new TestFrames();
    private static Compositor compositor;
    private static StreamLayer stream;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        compositor = Compositor.offscreen(160, 120, CompositorOptions.defaults().withRefreshMode(RefreshMode.MANUAL));
        stream = compositor.addStream("yuv");
    }

    @AfterAll
    static void stop() {
        compositor.close();
        assertTrue(FRAMES.open() == 0, FRAMES.open() + " frames left open");
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        Colorimetry[] colorimetries = {
            Colorimetry.BT601_LIMITED,
            Colorimetry.BT601_FULL,
            Colorimetry.BT709_LIMITED,
            Colorimetry.BT709_FULL,
            new Colorimetry(Colorimetry.Matrix.BT2020, Colorimetry.Range.LIMITED)
        };
        for (PixelFormat format : new PixelFormat[] {PixelFormat.I420, PixelFormat.NV12}) {
            for (Colorimetry c : colorimetries) {
                out.add(Arguments.of(format, c, 96, 64));
                out.add(Arguments.of(format, c, 77, 45));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2}x{3}")
    @MethodSource("cases")
    void matchesGStreamerVideoconvert(PixelFormat format, Colorimetry colorimetry, int width, int height) {
        VideoFrame frame = variedFrame(format, colorimetry, width, height);
        GstVideoConvert.Reference reference = GstVideoConvert.convert(frame, dir);
        Rect area = new Rect(0, 0, width, height);
        stream.place(Placement.of(area));
        stream.submit(frame);
        compositor.refresh();
        RgbaImage ours = compositor.readPixels(area);

        int worst = 0;
        String worstAt = "";
        int eightBitWorst = 0;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                for (int c = 0; c < 3; c++) {
                    int i = (y * width + x) * 4 + c;
                    int d = Math.abs(ours.channel(x, y, c) - (reference.precise()[i] & 0xff));
                    if (d > worst) {
                        worst = d;
                        worstAt = String.format(
                                "(%d,%d) channel %d: ours %d, videoconvert %d",
                                x, y, c, ours.channel(x, y, c), reference.precise()[i] & 0xff);
                    }
                    eightBitWorst = Math.max(
                            eightBitWorst,
                            Math.abs(ours.channel(x, y, c) - (reference.eightBit()[i] & 0xff)));
                }
                assertTrue(ours.channel(x, y, 3) == 255, "alpha at " + x + "," + y);
            }
        }
        System.out.printf(
                "%s %s %dx%d: max difference %d from videoconvert (10-bit general path), %d from its 8-bit "
                        + "RGBA fast path%n",
                format, colorimetry, width, height, worst, eightBitWorst);
        assertTrue(worst <= 2, "max difference " + worst + " at " + worstAt);
    }

    /**
     * Top half: luma ramps (horizontal plus a vertical wobble) over a chroma ramp; bottom half:
     * random 4x4 luma blocks over random 2x2 chroma blocks, values spanning 0..255 (beyond the
     * limited range too).
     */
    private static VideoFrame variedFrame(PixelFormat format, Colorimetry colorimetry, int width, int height) {
        Random random = new Random(width * 1000L + height + colorimetry.hashCode() + format.ordinal());
        int[][] lumaBlocks = new int[height / 4 + 1][width / 4 + 1];
        int[][] uBlocks = new int[height / 4 + 1][width / 4 + 1];
        int[][] vBlocks = new int[height / 4 + 1][width / 4 + 1];
        for (int[][] blocks : List.of(lumaBlocks, uBlocks, vBlocks)) {
            for (int[] row : blocks) {
                for (int i = 0; i < row.length; i++) {
                    row[i] = random.nextInt(256);
                }
            }
        }
        int half = height / 2;
        int chromaHalf = (height + 1) / 4;
        return FRAMES.yuv(
                format,
                width,
                height,
                colorimetry,
                (x, y) -> y < half ? clamp(x * 255 / (width - 1) + (y % 7) * 3 - 9) : lumaBlocks[y / 4][x / 4],
                (x, y) -> y < chromaHalf ? clamp(16 + x * 224 * 2 / width) : uBlocks[y / 2][x / 2],
                (x, y) -> y < chromaHalf ? clamp(240 - y * 224 * 4 / height) : vBlocks[y / 2][x / 2]);
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
