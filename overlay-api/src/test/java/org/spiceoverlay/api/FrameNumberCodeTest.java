package org.spiceoverlay.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The frame-number strip: exact round trips, and reads that survive what happens to a frame on its
 * way to the screen (noise standing in for lossy coding, bilinear scaling, placement inside a
 * bigger picture), and no false positives on frames without a strip.
 */
class FrameNumberCodeTest {

    private static final int[][] SIZES = {{1280, 720}, {1920, 1080}, {854, 480}, {321, 241}, {40, 24}};

    /** 0, 1, the extremes, alternating bit patterns, and seeded random numbers. */
    private static List<Integer> numbers(int randomCount) {
        List<Integer> n = new ArrayList<>(List.of(0, 1, 2, 299, 0x5555, 0xAAAA, 0x8000, 0x7FFF, 65534, 65535));
        Random r = new Random(7);
        for (int i = 0; i < randomCount; i++) {
            n.add(r.nextInt(FrameNumberCode.MAX_FRAME_NUMBER + 1));
        }
        return n;
    }

    /** A frame of seeded random content, as a strip is drawn over real pictures. */
    private static byte[] randomPicture(Random r, int size) {
        byte[] b = new byte[size];
        r.nextBytes(b);
        return b;
    }

    @Test
    void stripHeightIsAtLeastEightAndATwelfthOfTheFrame() {
        assertEquals(60, FrameNumberCode.stripHeight(720));
        assertEquals(90, FrameNumberCode.stripHeight(1080));
        assertEquals(40, FrameNumberCode.stripHeight(480));
        assertEquals(20, FrameNumberCode.stripHeight(241));
        assertEquals(8, FrameNumberCode.stripHeight(24));
        assertEquals(8, FrameNumberCode.stripHeight(100));
    }

    @Test
    void lumaRoundTrip() {
        Random r = new Random(1);
        for (int[] size : SIZES) {
            int w = size[0];
            int h = size[1];
            int stride = (w + 3) & ~3;
            ByteBuffer plane = ByteBuffer.wrap(randomPicture(r, stride * h));
            for (int n : numbers(100)) {
                FrameNumberCode.drawLuma(plane, stride, w, h, n);
                assertEquals(OptionalInt.of(n), FrameNumberCode.readLuma(plane, stride, w, h), w + "x" + h + " #" + n);
            }
        }
    }

    @Test
    void lumaStripUsesStudioRangeBlackAndWhiteAndLeavesTheRestAlone() {
        int w = 321;
        int h = 241;
        byte[] bytes = new byte[324 * h];
        Arrays.fill(bytes, (byte) 77);
        FrameNumberCode.drawLuma(ByteBuffer.wrap(bytes), 324, w, h, 0);
        assertEquals(235, bytes[0] & 0xff, "block 0 is the white marker");
        assertEquals(16, bytes[324 * 19 + 20] & 0xff, "block 1 is the black marker");
        assertEquals(16, bytes[324 * 10 + 200] & 0xff, "data bits of 0 are black");
        assertEquals(77, bytes[324 * 20] & 0xff, "row 20 is below the 20-row strip");
        assertEquals(77, bytes[321] & 0xff, "stride padding is not touched");
    }

    @Test
    void rgbaRoundTripWithPaddedRows() {
        Random r = new Random(2);
        for (int[] size : SIZES) {
            int w = size[0];
            int h = size[1];
            int stride = 4 * w + 12;
            ByteBuffer pixels = ByteBuffer.wrap(randomPicture(r, stride * h));
            for (int n : numbers(50)) {
                FrameNumberCode.drawRgba(pixels, stride, w, h, n);
                assertEquals(OptionalInt.of(n), FrameNumberCode.readRgba(pixels, stride, w, h), w + "x" + h + " #" + n);
                assertEquals(255, pixels.get(3) & 0xff, "alpha");
            }
        }
    }

    @Test
    void readsThroughANonZeroPositionAndKeepsPositionAndLimit() {
        ByteBuffer direct = ByteBuffer.allocateDirect(640 * 480 + 16);
        direct.position(9).limit(640 * 480 + 10);
        FrameNumberCode.drawLuma(direct, 640, 640, 480, 4242);
        assertEquals(OptionalInt.of(4242), FrameNumberCode.readLuma(direct, 640, 640, 480));
        assertEquals(9, direct.position());
        assertEquals(640 * 480 + 10, direct.limit());
    }

    @Test
    void survivesNoiseOnEveryPixel() {
        Random r = new Random(3);
        for (int[] size : SIZES) {
            int w = size[0];
            int h = size[1];
            byte[] luma = new byte[w * h];
            byte[] rgba = new byte[4 * w * h];
            for (int n : numbers(5)) {
                Arrays.fill(luma, (byte) 128);
                Arrays.fill(rgba, (byte) 128);
                FrameNumberCode.drawLuma(ByteBuffer.wrap(luma), w, w, h, n);
                FrameNumberCode.drawRgba(ByteBuffer.wrap(rgba), 4 * w, w, h, n);
                addNoise(r, luma, 20);
                addNoise(r, rgba, 20);
                assertEquals(
                        OptionalInt.of(n),
                        FrameNumberCode.readLuma(ByteBuffer.wrap(luma), w, w, h),
                        "luma " + w + "x" + h + " #" + n);
                assertEquals(
                        OptionalInt.of(n),
                        FrameNumberCode.readRgba(ByteBuffer.wrap(rgba), 4 * w, w, h),
                        "rgba " + w + "x" + h + " #" + n);
            }
        }
    }

    @Test
    void survivesBilinearScalingInsideABiggerPicture() {
        Random r = new Random(4);
        double[] scales = {0.4, 0.45, 0.5, 0.61, 0.73, 0.999, 1.37, 2.0};
        for (int[] size : new int[][] {{1280, 720}, {1920, 1080}, {854, 480}, {321, 241}}) {
            int w = size[0];
            int h = size[1];
            List<Integer> numbers = numbers(2 * scales.length);
            for (int s = 0; s < scales.length; s++) {
                double scale = scales[s];
                // Two numbers per scale, walking through the extremes and then random ones.
                for (int n : numbers.subList(2 * s, 2 * s + 2)) {
                    byte[] frame = randomPicture(r, w * h);
                    FrameNumberCode.drawLuma(ByteBuffer.wrap(frame), w, w, h, n);
                    int dw = (int) Math.round(w * scale);
                    int dh = (int) Math.round(h * scale);
                    int[] scaled = bilinear(frame, w, h, dw, dh);
                    // The drawn frame sits at (37, 23) on a noisy "screen".
                    int sw = dw + 80;
                    int sh = dh + 50;
                    int[] screen = new int[sw * sh];
                    for (int i = 0; i < screen.length; i++) {
                        screen[i] = r.nextInt(256);
                    }
                    for (int y = 0; y < dh; y++) {
                        System.arraycopy(scaled, y * dw, screen, (y + 23) * sw + 37, dw);
                    }
                    OptionalInt read = FrameNumberCode.read((x, y) -> screen[y * sw + x], 37, 23, dw, dh);
                    assertEquals(OptionalInt.of(n), read, w + "x" + h + " at " + scale + "x #" + n);
                }
            }
        }
    }

    @Test
    void survivesScalingPlusNoise() {
        Random r = new Random(5);
        int w = 1280;
        int h = 720;
        for (int n : numbers(20)) {
            byte[] frame = randomPicture(r, w * h);
            FrameNumberCode.drawLuma(ByteBuffer.wrap(frame), w, w, h, n);
            addNoise(r, frame, 20);
            int dw = 517;
            int dh = 291;
            int[] scaled = bilinear(frame, w, h, dw, dh);
            assertEquals(OptionalInt.of(n), FrameNumberCode.read((x, y) -> scaled[y * dw + x], 0, 0, dw, dh), "#" + n);
        }
    }

    @Test
    void frameWithoutStripReadsEmpty() {
        int w = 320;
        int h = 240;
        byte[] grey = new byte[w * h];
        Arrays.fill(grey, (byte) 128);
        assertEquals(OptionalInt.empty(), FrameNumberCode.readLuma(ByteBuffer.wrap(grey), w, w, h));
        byte[] black = new byte[4 * w * h];
        assertEquals(OptionalInt.empty(), FrameNumberCode.readRgba(ByteBuffer.wrap(black), 4 * w, w, h));

        Random r = new Random(6);
        int falsePositives = 0;
        byte[] noise = new byte[w * h];
        for (int i = 0; i < 1000; i++) {
            r.nextBytes(noise);
            if (FrameNumberCode.readLuma(ByteBuffer.wrap(noise), w, w, h).isPresent()) {
                falsePositives++;
            }
        }
        assertEquals(0, falsePositives, "random noise frames that read as a frame number");
    }

    @Test
    void aFlippedBitOrAmbiguousBlockReadsEmpty() {
        int w = 400;
        int h = 240;
        for (int block = 2; block < 20; block++) {
            byte[] frame = new byte[w * h];
            FrameNumberCode.drawLuma(ByteBuffer.wrap(frame), w, w, h, 12345);
            int from = block * w / 20;
            int to = (block + 1) * w / 20;
            for (int y = 0; y < FrameNumberCode.stripHeight(h); y++) {
                for (int x = from; x < to; x++) {
                    frame[y * w + x] = (byte) (frame[y * w + x] == 16 ? 235 : 16);
                }
            }
            assertEquals(
                    OptionalInt.empty(),
                    FrameNumberCode.readLuma(ByteBuffer.wrap(frame), w, w, h),
                    "single bit error in block " + block);
        }
        byte[] frame = new byte[w * h];
        FrameNumberCode.drawLuma(ByteBuffer.wrap(frame), w, w, h, 12345);
        for (int y = 0; y < FrameNumberCode.stripHeight(h); y++) {
            Arrays.fill(frame, y * w + 5 * w / 20, y * w + 6 * w / 20, (byte) 125);
        }
        assertEquals(
                OptionalInt.empty(),
                FrameNumberCode.readLuma(ByteBuffer.wrap(frame), w, w, h),
                "a mid-grey block is neither 0 nor 1");
    }

    @Test
    void drawChromaNeutralisesOnlyTheRowsUnderTheStrip() {
        // 321x241 I420: chroma 161x121, stride 164; strip of 20 luma rows = 10 chroma rows
        byte[] u = new byte[164 * 121];
        Arrays.fill(u, (byte) 7);
        FrameNumberCode.drawChroma(ByteBuffer.wrap(u), 164, 161, 121, 1, 241);
        assertEquals(128, u[164 * 9 + 160] & 0xff);
        assertEquals(7, u[164 * 9 + 161] & 0xff, "stride padding is not touched");
        assertEquals(7, u[164 * 10] & 0xff, "chroma row 10 starts at luma row 20, below the strip");

        // 1280x720 NV12: UV rows of 1280 bytes, strip of 60 luma rows = 30 chroma rows
        byte[] uv = new byte[1280 * 360];
        FrameNumberCode.drawChroma(ByteBuffer.wrap(uv), 1280, 640, 360, 2, 720);
        assertEquals(128, uv[1280 * 29 + 1279] & 0xff);
        assertEquals(0, uv[1280 * 30] & 0xff);

        // odd strip height: 1080/12 = 90 rows -> 45 chroma rows; 250/12 = 21 rows -> 11 chroma rows
        byte[] odd = new byte[128 * 125];
        FrameNumberCode.drawChroma(ByteBuffer.wrap(odd), 128, 125, 125, 1, 250);
        assertEquals(128, odd[128 * 10] & 0xff, "chroma row 10 covers luma row 20, inside the strip");
        assertEquals(0, odd[128 * 11] & 0xff);
    }

    @Test
    void validationNamesTheBadArgument() {
        ByteBuffer big = ByteBuffer.allocate(1920 * 1080 * 4);
        assertMessage("frameNumber", () -> FrameNumberCode.drawLuma(big, 640, 640, 480, -1));
        assertMessage("frameNumber", () -> FrameNumberCode.drawLuma(big, 640, 640, 480, 65536));
        assertMessage("frameNumber", () -> FrameNumberCode.drawRgba(big, 2560, 640, 480, 70000));
        assertMessage("width", () -> FrameNumberCode.drawLuma(big, 640, 39, 480, 0));
        assertMessage("height", () -> FrameNumberCode.drawRgba(big, 2560, 640, 23, 0));
        assertMessage("width", () -> FrameNumberCode.readLuma(big, 640, 39, 480));
        assertMessage("height", () -> FrameNumberCode.read((x, y) -> 0, 0, 0, 640, 23));
        assertMessage("frameHeight", () -> FrameNumberCode.stripHeight(10));
        assertMessage("stride", () -> FrameNumberCode.drawLuma(big, 600, 640, 480, 0));
        assertMessage("stride", () -> FrameNumberCode.readRgba(big, 640, 640, 480));
        assertMessage("bytesPerSample", () -> FrameNumberCode.drawChroma(big, 640, 320, 240, 3, 480));
        assertMessage("chromaHeight", () -> FrameNumberCode.drawChroma(big, 640, 320, 0, 1, 480));

        IllegalArgumentException small = assertThrows(
                IllegalArgumentException.class,
                () -> FrameNumberCode.drawLuma(ByteBuffer.allocate(1000), 640, 640, 480, 0));
        assertTrue(small.getMessage().contains("307200 bytes"), small.getMessage());
        IllegalArgumentException smallRgba = assertThrows(
                IllegalArgumentException.class,
                () -> FrameNumberCode.readRgba(ByteBuffer.allocate(1000), 2560, 640, 480));
        assertTrue(smallRgba.getMessage().contains("1228800 bytes"), smallRgba.getMessage());
    }

    private static void assertMessage(String field, Runnable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        assertTrue(e.getMessage().startsWith(field + " "), "message should name " + field + ": " + e.getMessage());
    }

    private static void addNoise(Random r, byte[] pixels, int amplitude) {
        for (int i = 0; i < pixels.length; i++) {
            int v = (pixels[i] & 0xff) + r.nextInt(2 * amplitude + 1) - amplitude;
            pixels[i] = (byte) Math.max(0, Math.min(255, v));
        }
    }

    /**
     * Bilinear resampling the way a GPU samples a texture with linear filtering and no mipmaps:
     * each destination pixel centre maps into the source and mixes its 4 nearest pixels (so a
     * downscale below 0.5x skips source pixels instead of averaging them, the harder case).
     */
    private static int[] bilinear(byte[] src, int w, int h, int dw, int dh) {
        int[] dst = new int[dw * dh];
        for (int y = 0; y < dh; y++) {
            double sy = Math.max(0, Math.min(h - 1, (y + 0.5) * h / dh - 0.5));
            int y0 = (int) sy;
            int y1 = Math.min(h - 1, y0 + 1);
            double fy = sy - y0;
            for (int x = 0; x < dw; x++) {
                double sx = Math.max(0, Math.min(w - 1, (x + 0.5) * w / dw - 0.5));
                int x0 = (int) sx;
                int x1 = Math.min(w - 1, x0 + 1);
                double fx = sx - x0;
                double top = (src[y0 * w + x0] & 0xff) * (1 - fx) + (src[y0 * w + x1] & 0xff) * fx;
                double bottom = (src[y1 * w + x0] & 0xff) * (1 - fx) + (src[y1 * w + x1] & 0xff) * fx;
                dst[y * dw + x] = (int) Math.round(top * (1 - fy) + bottom * fy);
            }
        }
        return dst;
    }
}
