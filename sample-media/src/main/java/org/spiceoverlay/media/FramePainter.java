package org.spiceoverlay.media;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.spiceoverlay.api.FrameLayout;
import org.spiceoverlay.api.FrameNumberCode;
import org.spiceoverlay.api.PixelFormat;
import org.spiceoverlay.api.Plane;

/**
 * Paints I420 frames in GStreamer's default layout into one reused array. Everything that moves
 * is a block copy or fill per row: the background pans 4 px per frame across a precomputed
 * wider strip, so a 1080p frame costs well under a millisecond.
 *
 * <p>Used by one thread at a time.
 */
final class FramePainter {

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
        this.lumaView =
                ByteBuffer.wrap(frame, y.offset(), u.offset() - y.offset()).slice();
        this.uView = ByteBuffer.wrap(frame, u.offset(), v.offset() - u.offset()).slice();
        this.vView =
                ByteBuffer.wrap(frame, v.offset(), frame.length - v.offset()).slice();

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
            System.arraycopy(
                    lumaBackground, row * lumaBackgroundStride + pan, frame, y.offset() + row * y.stride(), width);
        }
        for (int row = 0; row < chromaHeight; row++) {
            System.arraycopy(
                    uBackground, row * uBackgroundStride + pan / 2, frame, u.offset() + row * u.stride(), chromaWidth);
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

        drawNumber(n);
    }

    /**
     * Paints frame {@code n} as a flash: the whole picture white (luma 235, neutral chroma) under
     * the frame-number strip, so that it stands out on screen from every painted frame.
     */
    void paintFlash(int n) {
        Arrays.fill(frame, layout.plane(0).offset(), layout.plane(1).offset(), (byte) 235);
        Arrays.fill(frame, layout.plane(1).offset(), frame.length, (byte) 128);
        drawNumber(n);
    }

    /** Last, so nothing covers it: the frame number, on neutral chroma. */
    private void drawNumber(int n) {
        Plane y = layout.plane(0);
        Plane u = layout.plane(1);
        Plane v = layout.plane(2);
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
