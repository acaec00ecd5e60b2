package org.spiceoverlay.api;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.function.IntBinaryOperator;

/**
 * A frame number drawn into the picture as a strip of 20 black and white blocks across the full
 * width at the top of the frame, so that tests can read which frame they are looking at from a
 * decoded frame, a GL readback or a screenshot of the overlay.
 *
 * <p>Layout: the strip is {@link #stripHeight(int)} rows tall; block {@code i} spans
 * {@code x} in {@code [round(i*W/20), round((i+1)*W/20))}. Block 0 is white and block 1 black
 * (the markers: they set the reader's threshold and tell it whether a strip is there at all),
 * blocks 2..17 carry the 16 bits of the frame number, most significant first (white = 1), and
 * blocks 18 and 19 are check bits: the parity of data bits 0, 2, 4, ... and of data bits 1, 3, 5,
 * ... (counting from the most significant). White is luma 235 / RGB 255, black luma 16 / RGB 0.
 *
 * <p>Large blocks, full-range contrast and reading only the middle of each block make the code
 * survive lossy coding at modest bitrates, 4:2:0 chroma subsampling and bilinear scaling down to
 * about 0.4x; the markers, a minimum contrast, a minimum distance of every block from the
 * threshold and the two check bits make a frame without a strip read as empty.
 *
 * <p>Stateless: any thread may call any method, as long as no other thread writes the same buffer
 * at the same time. Buffers are indexed absolutely; their position and limit are left alone.
 */
public final class FrameNumberCode {

    /** The largest frame number the 16 data bits can carry. */
    public static final int MAX_FRAME_NUMBER = 65535;

    /** Narrowest frame the strip is drawn into or read from: 2 px per block. */
    public static final int MIN_WIDTH = 40;

    /** Lowest frame the strip is drawn into or read from; the strip takes at most a third of it. */
    public static final int MIN_HEIGHT = 24;

    private static final int BLOCKS = 20;
    private static final int DATA_BITS = 16;
    private static final int FIRST_DATA_BLOCK = 2;
    private static final int EVEN_CHECK_BLOCK = 18;
    private static final int ODD_CHECK_BLOCK = 19;

    private static final byte LUMA_WHITE = (byte) 235;
    private static final byte LUMA_BLACK = 16;
    private static final byte RGB_WHITE = (byte) 255;
    private static final byte RGB_BLACK = 0;
    private static final byte NEUTRAL_CHROMA = (byte) 128;

    /** White marker minus black marker must be at least this (of 255), else there is no strip. */
    private static final int MIN_CONTRAST = 60;

    private FrameNumberCode() {}

    /**
     * The strip's height in rows for a frame of this height: {@code max(8, round(height / 12))}.
     *
     * @throws IllegalArgumentException if {@code frameHeight} is below {@value #MIN_HEIGHT}
     */
    public static int stripHeight(int frameHeight) {
        checkHeight("frameHeight", frameHeight);
        return Math.max(8, (int) Math.round(frameHeight / 12.0));
    }

    /**
     * Draws the strip for {@code frameNumber} into an 8-bit luma plane (the Y plane of I420 or
     * NV12). Pair it with {@link #drawChroma} on the chroma planes, or the strip keeps the colour
     * of whatever was under it.
     *
     * @param plane  the luma plane; byte {@code y*stride + x} is pixel {@code (x, y)}
     * @param stride bytes from one row to the next, at least {@code width}
     * @throws IllegalArgumentException naming the bad argument: frameNumber outside [0, 65535],
     *         a frame smaller than 40x24, a stride below the width, or a buffer too small (with the
     *         number of bytes needed)
     */
    public static void drawLuma(ByteBuffer plane, int stride, int width, int height, int frameNumber) {
        checkFrameNumber(frameNumber);
        checkFrameSize(width, height);
        checkPlane(plane, stride, width, height, 1, "plane");
        byte[] row = stripRow(width, 1, frameNumber, LUMA_WHITE, LUMA_BLACK, (byte) 0);
        for (int y = 0, rows = stripHeight(height); y < rows; y++) {
            plane.put(y * stride, row, 0, row.length);
        }
    }

    /**
     * Sets the chroma samples under the strip to neutral 128, so the blocks are grey-scale whatever
     * colour was there. Covers every chroma row that touches a strip row.
     *
     * @param plane          a chroma plane: I420's U or V plane, or NV12's interleaved UV plane
     * @param stride         bytes from one chroma row to the next
     * @param chromaWidth    chroma samples per row (per component), e.g. {@code (width+1)/2}
     * @param chromaHeight   chroma rows, e.g. {@code (height+1)/2}
     * @param bytesPerSample 1 for an I420 U or V plane, 2 for NV12's UV plane
     * @param frameHeight    the luma (frame) height, which decides the strip's height
     * @throws IllegalArgumentException naming the bad argument, or a buffer too small (with the
     *         number of bytes needed)
     */
    public static void drawChroma(
            ByteBuffer plane, int stride, int chromaWidth, int chromaHeight, int bytesPerSample, int frameHeight) {
        if (bytesPerSample != 1 && bytesPerSample != 2) {
            throw new IllegalArgumentException("bytesPerSample must be 1 (I420) or 2 (NV12), got " + bytesPerSample);
        }
        int strip = stripHeight(frameHeight);
        if (chromaWidth < 1) {
            throw new IllegalArgumentException("chromaWidth must be >= 1, got " + chromaWidth);
        }
        if (chromaHeight < 1 || chromaHeight > frameHeight) {
            throw new IllegalArgumentException(
                    "chromaHeight must be in [1, frameHeight=" + frameHeight + "], got " + chromaHeight);
        }
        checkPlane(plane, stride, chromaWidth, chromaHeight, bytesPerSample, "plane");
        // Subsampled chroma rows are rounded up (241 luma rows have 121 chroma rows), so the factor
        // is the rounded-up ratio; chroma row r covers luma rows [r*factor, (r+1)*factor).
        int factor = (frameHeight + chromaHeight - 1) / chromaHeight;
        int rows = Math.min(chromaHeight, (strip + factor - 1) / factor);
        byte[] row = new byte[chromaWidth * bytesPerSample];
        Arrays.fill(row, NEUTRAL_CHROMA);
        for (int y = 0; y < rows; y++) {
            plane.put(y * stride, row, 0, row.length);
        }
    }

    /**
     * Draws the strip for {@code frameNumber} into 4-byte pixels (RGBA, BGRA, RGBx, BGRx: black and
     * white look the same in every byte order), alpha or padding set to 255.
     *
     * @param stride bytes from one row to the next, at least {@code 4*width}
     * @throws IllegalArgumentException as {@link #drawLuma}
     */
    public static void drawRgba(ByteBuffer pixels, int stride, int width, int height, int frameNumber) {
        checkFrameNumber(frameNumber);
        checkFrameSize(width, height);
        checkPlane(pixels, stride, width, height, 4, "pixels");
        byte[] row = stripRow(width, 4, frameNumber, RGB_WHITE, RGB_BLACK, (byte) 255);
        for (int y = 0, rows = stripHeight(height); y < rows; y++) {
            pixels.put(y * stride, row, 0, row.length);
        }
    }

    /**
     * Reads the frame number from an 8-bit luma plane holding the whole frame.
     *
     * @return the frame number, or empty when there is no readable strip (no marker contrast, an
     *         ambiguous block, or a failed check bit)
     * @throws IllegalArgumentException as {@link #drawLuma}, without the frame number
     */
    public static OptionalInt readLuma(ByteBuffer plane, int stride, int width, int height) {
        checkFrameSize(width, height);
        checkPlane(plane, stride, width, height, 1, "plane");
        return read((x, y) -> plane.get(y * stride + x) & 0xff, 0, 0, width, height);
    }

    /**
     * Reads the frame number from 4-byte pixels holding the whole frame. Brightness is the mean of
     * the first three bytes, so RGBA, BGRA, RGBx and BGRx all read the same.
     *
     * @return the frame number, or empty when there is no readable strip
     * @throws IllegalArgumentException as {@link #drawRgba}, without the frame number
     */
    public static OptionalInt readRgba(ByteBuffer pixels, int stride, int width, int height) {
        checkFrameSize(width, height);
        checkPlane(pixels, stride, width, height, 4, "pixels");
        return read(
                (x, y) -> {
                    int i = y * stride + 4 * x;
                    return ((pixels.get(i) & 0xff) + (pixels.get(i + 1) & 0xff) + (pixels.get(i + 2) & 0xff)) / 3;
                },
                0,
                0,
                width,
                height);
    }

    /**
     * Reads the frame number from a frame drawn at the rectangle {@code (x, y, width, height)} of
     * some bigger picture (a screenshot, a GL readback), possibly scaled: the strip is then looked
     * for at the top of that rectangle, scaled with it.
     *
     * <p>Only the middle half of each block and of the strip's rows is sampled, so blurred edges
     * from scaling or coding do not matter. The rows sampled lie in the top {@code height/12} rows
     * of the rectangle, which the strip covers whether the frame is drawn at its own size or scaled
     * (the strip scales with its frame; drawn below about 72 rows high the bottom sampled row nears
     * the strip's edge).
     *
     * @param brightnessAt the brightness (0..255) of the picture's pixel at (x, y); called only
     *                     inside the rectangle's strip
     * @return the frame number, or empty when there is no readable strip
     * @throws IllegalArgumentException if the rectangle is smaller than 40x24
     */
    public static OptionalInt read(IntBinaryOperator brightnessAt, int x, int y, int width, int height) {
        Objects.requireNonNull(brightnessAt, "brightnessAt");
        checkFrameSize(width, height);
        // The unclamped height/12 keeps the sampled rows inside a strip that was scaled down with
        // its frame; for a frame shown 1:1 it is the same strip, sampled a little nearer its top.
        double nominal = Math.min(stripHeight(height), height / 12.0);
        int top = (int) Math.floor(nominal * 0.25);
        int bottom = Math.max(top + 1, (int) Math.ceil(nominal * 0.75));

        int[] mean = new int[BLOCKS];
        for (int b = 0; b < BLOCKS; b++) {
            int left = blockEdge(b, width);
            int right = blockEdge(b + 1, width);
            int quarter = (right - left) / 4;
            int from = left + quarter;
            int to = Math.max(from + 1, right - quarter);
            long sum = 0;
            for (int py = top; py < bottom; py++) {
                for (int px = from; px < to; px++) {
                    sum += brightnessAt.applyAsInt(x + px, y + py);
                }
            }
            mean[b] = (int) (sum / ((long) (bottom - top) * (to - from)));
        }

        int white = mean[0];
        int black = mean[1];
        int contrast = white - black;
        if (contrast < MIN_CONTRAST) {
            return OptionalInt.empty();
        }
        // Twice the threshold, to stay in integers; a block must sit a quarter of the contrast away
        // from the threshold, so mid-grey content does not read as bits.
        int threshold2 = white + black;
        int number = 0;
        int evenParity = 0;
        int oddParity = 0;
        for (int k = 0; k < DATA_BITS + 2; k++) {
            int d2 = 2 * mean[FIRST_DATA_BLOCK + k] - threshold2;
            if (Math.abs(d2) * 4 < contrast * 2) {
                return OptionalInt.empty();
            }
            int bit = d2 > 0 ? 1 : 0;
            if (k < DATA_BITS) {
                number = (number << 1) | bit;
                if (k % 2 == 0) {
                    evenParity ^= bit;
                } else {
                    oddParity ^= bit;
                }
            } else if (k == EVEN_CHECK_BLOCK - FIRST_DATA_BLOCK) {
                evenParity ^= bit;
            } else {
                oddParity ^= bit;
            }
        }
        return evenParity == 0 && oddParity == 0 ? OptionalInt.of(number) : OptionalInt.empty();
    }

    /** Left edge of block {@code i} (0..20) in a frame {@code width} pixels wide. */
    private static int blockEdge(int i, int width) {
        return (int) Math.round((double) i * width / BLOCKS);
    }

    /** One row of the strip, {@code bytesPerPixel} bytes per pixel, the last byte set to {@code last} for 4. */
    private static byte[] stripRow(int width, int bytesPerPixel, int frameNumber, byte white, byte black, byte last) {
        boolean[] blocks = new boolean[BLOCKS];
        blocks[0] = true;
        blocks[1] = false;
        int evenParity = 0;
        int oddParity = 0;
        for (int k = 0; k < DATA_BITS; k++) {
            boolean bit = ((frameNumber >>> (DATA_BITS - 1 - k)) & 1) != 0;
            blocks[FIRST_DATA_BLOCK + k] = bit;
            if (bit) {
                if (k % 2 == 0) {
                    evenParity ^= 1;
                } else {
                    oddParity ^= 1;
                }
            }
        }
        blocks[EVEN_CHECK_BLOCK] = evenParity == 1;
        blocks[ODD_CHECK_BLOCK] = oddParity == 1;

        byte[] row = new byte[width * bytesPerPixel];
        for (int b = 0; b < BLOCKS; b++) {
            byte value = blocks[b] ? white : black;
            int from = blockEdge(b, width) * bytesPerPixel;
            int to = blockEdge(b + 1, width) * bytesPerPixel;
            Arrays.fill(row, from, to, value);
        }
        if (bytesPerPixel == 4) {
            for (int i = 3; i < row.length; i += 4) {
                row[i] = last;
            }
        }
        return row;
    }

    private static void checkFrameNumber(int frameNumber) {
        if (frameNumber < 0 || frameNumber > MAX_FRAME_NUMBER) {
            throw new IllegalArgumentException(
                    "frameNumber must be in [0, " + MAX_FRAME_NUMBER + "], got " + frameNumber);
        }
    }

    private static void checkWidth(String name, int width) {
        if (width < MIN_WIDTH) {
            throw new IllegalArgumentException(name + " must be >= " + MIN_WIDTH + " (2 px per block), got " + width);
        }
    }

    private static void checkHeight(String name, int height) {
        if (height < MIN_HEIGHT) {
            throw new IllegalArgumentException(name + " must be >= " + MIN_HEIGHT + ", got " + height);
        }
    }

    private static void checkFrameSize(int width, int height) {
        checkWidth("width", width);
        checkHeight("height", height);
    }

    /** Checks that {@code height} rows of {@code width} pixels, {@code bytesPerPixel} each, fit the buffer. */
    private static void checkPlane(
            ByteBuffer buffer, int stride, int width, int height, int bytesPerPixel, String bufferName) {
        Objects.requireNonNull(buffer, bufferName);
        long rowBytes = (long) width * bytesPerPixel;
        if (stride < rowBytes) {
            throw new IllegalArgumentException("stride must be >= " + rowBytes + " (" + width + " px x " + bytesPerPixel
                    + " bytes), got " + stride);
        }
        long needed = (long) stride * (height - 1) + rowBytes;
        // Absolute get/put stop at the limit, not the capacity.
        if (buffer.limit() < needed) {
            throw new IllegalArgumentException(bufferName + " is too small: " + height + " rows of " + width
                    + " px with stride " + stride + " need " + needed + " bytes, the buffer has " + buffer.limit());
        }
    }
}
