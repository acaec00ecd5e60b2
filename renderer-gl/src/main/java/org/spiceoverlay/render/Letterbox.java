package org.spiceoverlay.render;

import java.util.Objects;
import org.spiceoverlay.api.Rect;
import org.spiceoverlay.api.VideoFrame;

/**
 * Where a picture goes inside its placement rectangle: scaled by one factor to fill the rectangle
 * with its display aspect ratio kept (the frame's pixel aspect ratio applied), and centred, with
 * black bars on the two sides it does not reach. A guest's video player letterboxes the same way,
 * so the overlay's picture and bars land where the guest drew them.
 *
 * <p>The rule mirrors {@link org.spiceoverlay.api.GuestToScreenMapping}: with container
 * {@code (cx, cy, cw, ch)} and display aspect ratio {@code a = fw*parN / (fh*parD)}: when
 * {@code cw/ch > a} the picture is {@code ph = ch}, {@code pw = round(ch*a)}, else {@code pw = cw},
 * {@code ph = round(cw/a)}; it sits at {@code px = cx + (cw-pw)/2}, {@code py = cy + (ch-ph)/2}
 * (integer division). Whole pixels, so the picture's edges are exact on screen. Bars of one pixel in
 * all are taken for rounding and filled.
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param container the placement rectangle
 * @param picture   the picture inside it (equal to {@code container} when the aspect ratios match;
 *                  empty when the container is)
 */
public record Letterbox(Rect container, Rect picture) {

    public Letterbox {
        Objects.requireNonNull(container, "container");
        Objects.requireNonNull(picture, "picture");
        if (!container.contains(picture)) {
            throw new IllegalArgumentException("picture " + picture + " must lie inside container " + container);
        }
    }

    /**
     * The letterbox of a {@code frameWidth x frameHeight} frame with pixel aspect ratio
     * {@code parNumerator:parDenominator} in {@code container}.
     *
     * @throws IllegalArgumentException naming the argument when a size or ratio term is not positive
     */
    public static Letterbox fit(Rect container, int frameWidth, int frameHeight, int parNumerator, int parDenominator) {
        Objects.requireNonNull(container, "container");
        requirePositive("frameWidth", frameWidth);
        requirePositive("frameHeight", frameHeight);
        requirePositive("parNumerator", parNumerator);
        requirePositive("parDenominator", parDenominator);
        if (container.isEmpty()) {
            return new Letterbox(container, new Rect(container.x(), container.y(), 0, 0));
        }
        long cw = container.width();
        long ch = container.height();
        // Display aspect ratio as the exact fraction darNum/darDen, compared in integers so that
        // equal ratios always take the same branch (no bar of rounding noise on a perfect fit).
        long darNum = (long) frameWidth * parNumerator;
        long darDen = (long) frameHeight * parDenominator;
        long pw;
        long ph;
        if (cw * darDen > ch * darNum) {
            ph = ch;
            pw = Math.round((double) ch * darNum / darDen);
        } else {
            pw = cw;
            ph = Math.round((double) cw * darDen / darNum);
        }
        pw = Math.max(0, Math.min(cw, pw));
        ph = Math.max(0, Math.min(ch, ph));
        // A bar of one pixel in all is rounding, not a different aspect ratio: the container comes
        // from mapping the guest's window edge by edge, which moves each edge by up to half a pixel.
        // Filling it keeps video to the container's edges (a real bar of even one guest pixel, scaled
        // up, is wider; scaled down, it is not visible either way).
        if (cw - pw <= 1) {
            pw = cw;
        }
        if (ch - ph <= 1) {
            ph = ch;
        }
        int px = container.x() + (int) ((cw - pw) / 2);
        int py = container.y() + (int) ((ch - ph) / 2);
        return new Letterbox(container, new Rect(px, py, (int) pw, (int) ph));
    }

    /** The letterbox of {@code frame} (its size and pixel aspect ratio) in {@code container}. */
    public static Letterbox fit(Rect container, VideoFrame frame) {
        Objects.requireNonNull(frame, "frame");
        return fit(container, frame.width(), frame.height(), frame.parNumerator(), frame.parDenominator());
    }

    /** Whether the picture leaves bars (the aspect ratios differ). */
    public boolean hasBars() {
        return !picture.equals(container);
    }

    private static void requirePositive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be > 0, got " + value);
        }
    }

    @Override
    public String toString() {
        return "Letterbox[" + picture + " in " + container + "]";
    }
}
