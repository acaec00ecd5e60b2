package org.spiceoverlay.render;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.spiceoverlay.api.Colorimetry;
import org.spiceoverlay.api.Colorimetry.Matrix;
import org.spiceoverlay.api.Colorimetry.Range;

class YuvToRgbTest {

    private static final double EPS = 1e-3;

    /** d(R,G,B)/dU and d(R,G,B)/dV per 8-bit step, and dY, measured through the matrix. */
    private static double[] slopes(Colorimetry c) {
        YuvToRgb m = YuvToRgb.of(c);
        double[] base = m.toRgb255(128, 128, 128);
        double[] du = m.toRgb255(128, 129, 128);
        double[] dv = m.toRgb255(128, 128, 129);
        double[] dy = m.toRgb255(129, 128, 128);
        return new double[] {dy[0] - base[0], dv[0] - base[0], du[1] - base[1], dv[1] - base[1], du[2] - base[2]};
    }

    private static void assertSlopes(Colorimetry c, double y, double rv, double gu, double gv, double bu) {
        double[] s = slopes(c);
        String what = c.toString();
        assertEquals(y, s[0], EPS, what + " dR/dY");
        assertEquals(rv, s[1], EPS, what + " dR/dV");
        assertEquals(gu, s[2], EPS, what + " dG/dU");
        assertEquals(gv, s[3], EPS, what + " dG/dV");
        assertEquals(bu, s[4], EPS, what + " dB/dU");
    }

    @Test
    void textbookCoefficients() {
        // ITU-R BT.601 / BT.709 / BT.2020 in 8-bit steps (e.g. Poynton, "Digital Video and HD").
        assertSlopes(Colorimetry.BT601_LIMITED, 1.164384, 1.596027, -0.391762, -0.812968, 2.017232);
        assertSlopes(Colorimetry.BT709_LIMITED, 1.164384, 1.792741, -0.213249, -0.532909, 2.112402);
        assertSlopes(new Colorimetry(Matrix.BT2020, Range.LIMITED), 1.164384, 1.678674, -0.187326, -0.650424, 2.141772);
        assertSlopes(Colorimetry.BT601_FULL, 1.0, 1.402, -0.344136, -0.714136, 1.772);
        assertSlopes(Colorimetry.BT709_FULL, 1.0, 1.5748, -0.187324, -0.468124, 1.8556);
    }

    @Test
    void blackWhiteAndGreyStayNeutral() {
        for (Matrix matrix : Matrix.values()) {
            for (Range range : Range.values()) {
                YuvToRgb m = YuvToRgb.of(new Colorimetry(matrix, range));
                int black = range == Range.LIMITED ? 16 : 0;
                int white = range == Range.LIMITED ? 235 : 255;
                assertRgb(m.toRgb255(black, 128, 128), 0, 0, 0, m + " black");
                assertRgb(m.toRgb255(white, 128, 128), 255, 255, 255, m + " white");
                double[] grey = m.toRgb255(100, 128, 128);
                assertEquals(grey[0], grey[1], EPS, m + " grey");
                assertEquals(grey[1], grey[2], EPS, m + " grey");
            }
        }
    }

    @Test
    void primariesComeOutPrimary() {
        // BT.601 limited 100% red is Y=81, U=90, V=240 (rounded); BT.709 limited red is Y=63, U=102, V=240.
        assertRgb(YuvToRgb.of(Colorimetry.BT601_LIMITED).toRgb255(81, 90, 240), 255, 0, 0, 1.5, "601 red");
        assertRgb(YuvToRgb.of(Colorimetry.BT709_LIMITED).toRgb255(63, 102, 240), 255, 0, 0, 1.5, "709 red");
    }

    private static void assertRgb(double[] rgb, double r, double g, double b, String what) {
        assertRgb(rgb, r, g, b, EPS, what);
    }

    private static void assertRgb(double[] rgb, double r, double g, double b, double eps, String what) {
        assertEquals(r, rgb[0], eps, what + " R");
        assertEquals(g, rgb[1], eps, what + " G");
        assertEquals(b, rgb[2], eps, what + " B");
    }
}
