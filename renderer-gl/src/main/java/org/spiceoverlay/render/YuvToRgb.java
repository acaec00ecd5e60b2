package org.spiceoverlay.render;

import java.nio.FloatBuffer;
import java.util.Objects;
import org.joml.Matrix4f;
import org.joml.Matrix4fc;
import org.joml.Vector4f;
import org.spiceoverlay.api.Colorimetry;

/**
 * The affine map from 8-bit Y'CbCr samples to R'G'B' for one {@link Colorimetry}, in the units
 * the shader sees: texture values in [0, 1] (sample / 255) in, [0, 1] out.
 *
 * <p>With luma weights {@code Kr}, {@code Kb} ({@code Kg = 1 - Kr - Kb}) and the range's offsets
 * and scales (limited: Y' = (Y - 16) / 219, Pb = (U - 128) / 224; full: Y' = Y / 255,
 * Pb = (U - 128) / 255, as GStreamer defines them):
 * {@code R = Y' + 2(1-Kr) Pr}, {@code B = Y' + 2(1-Kb) Pb},
 * {@code G = Y' - 2Kb(1-Kb)/Kg Pb - 2Kr(1-Kr)/Kg Pr}.
 *
 * <p>Immutable; safe to share between threads.
 */
final class YuvToRgb {

    private final Colorimetry colorimetry;
    private final Matrix4f matrix;

    private YuvToRgb(Colorimetry colorimetry) {
        this.colorimetry = colorimetry;
        double kr;
        double kb;
        switch (colorimetry.matrix()) {
            case BT601 -> {
                kr = 0.299;
                kb = 0.114;
            }
            case BT709 -> {
                kr = 0.2126;
                kb = 0.0722;
            }
            case BT2020 -> {
                kr = 0.2627;
                kb = 0.0593;
            }
            default -> throw new IllegalArgumentException("unknown matrix " + colorimetry.matrix());
        }
        double kg = 1 - kr - kb;
        boolean limited = colorimetry.range() == Colorimetry.Range.LIMITED;
        double yOffset = limited ? 16 : 0;
        double yScale = limited ? 219 : 255;
        double cScale = limited ? 224 : 255;
        // Y' = ys * y + yo, Pb = cs * u + co, Pr = cs * v + co, with y, u, v the [0, 1] texture values.
        double ys = 255 / yScale;
        double yo = -yOffset / yScale;
        double cs = 255 / cScale;
        double co = -128 / cScale;

        double rv = 2 * (1 - kr);
        double bu = 2 * (1 - kb);
        double gu = -2 * kb * (1 - kb) / kg;
        double gv = -2 * kr * (1 - kr) / kg;

        // Columns: coefficient of y, of u, of v, then the constant term; rows R, G, B, A.
        matrix = new Matrix4f(
                (float) ys,
                (float) ys,
                (float) ys,
                0f,
                0f,
                (float) (gu * cs),
                (float) (bu * cs),
                0f,
                (float) (rv * cs),
                (float) (gv * cs),
                0f,
                0f,
                (float) (yo + rv * co),
                (float) (yo + gu * co + gv * co),
                (float) (yo + bu * co),
                1f);
    }

    static YuvToRgb of(Colorimetry colorimetry) {
        return new YuvToRgb(Objects.requireNonNull(colorimetry, "colorimetry"));
    }

    Colorimetry colorimetry() {
        return colorimetry;
    }

    /** The matrix: {@code (r, g, b, 1) = M * (y, u, v, 1)} with all values in [0, 1] (before clamping). */
    Matrix4fc matrix() {
        return matrix;
    }

    /** Writes the matrix column-major into {@code into} (16 floats from its position), for {@code glUniformMatrix4fv}. */
    void store(FloatBuffer into) {
        matrix.get(into);
    }

    /** R, G, B on the 0..255 scale, unclamped and unrounded, for 8-bit samples y, u, v. */
    double[] toRgb255(int y, int u, int v) {
        Vector4f out = matrix.transform(new Vector4f(y / 255f, u / 255f, v / 255f, 1f));
        return new double[] {out.x * 255.0, out.y * 255.0, out.z * 255.0};
    }

    @Override
    public String toString() {
        return "YuvToRgb[" + colorimetry + "]";
    }
}
