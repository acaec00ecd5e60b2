package org.spiceoverlay.samples.bench;

import java.util.Objects;
import org.spiceoverlay.bridge.window.ScreenImage;

/**
 * Peak signal-to-noise ratio of a picture grabbed from the screen against the reference picture of
 * the same frame, over the R, G and B samples of every pixel. Identical pictures have no finite
 * PSNR; they are reported as {@value #IDENTICAL_DB} dB and counted apart.
 *
 * <p>Stateless; any thread.
 */
public final class PictureQuality {

    /** The figure given for bit-identical pictures (as many tools cap PSNR). */
    public static final double IDENTICAL_DB = 100.0;

    private PictureQuality() {}

    /**
     * PSNR in dB of {@code shown} against {@code reference} (0xRRGGBB pixels, row by row, the same
     * size), or {@value #IDENTICAL_DB} when every sample is equal.
     */
    public static double psnr(ScreenImage shown, int[] reference) {
        Objects.requireNonNull(shown, "shown");
        Objects.requireNonNull(reference, "reference");
        int w = shown.width();
        int h = shown.height();
        if (reference.length != w * h) {
            throw new IllegalArgumentException(
                    "reference has " + reference.length + " pixels, the grab " + w + "x" + h);
        }
        long sum = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int a = shown.rgb(x, y);
                int b = reference[y * w + x];
                for (int shift = 0; shift <= 16; shift += 8) {
                    int d = ((a >> shift) & 0xff) - ((b >> shift) & 0xff);
                    sum += d * d;
                }
            }
        }
        if (sum == 0) {
            return IDENTICAL_DB;
        }
        double mse = sum / (3.0 * w * h);
        return Math.min(IDENTICAL_DB - 0.01, 10 * Math.log10(255.0 * 255.0 / mse));
    }
}
