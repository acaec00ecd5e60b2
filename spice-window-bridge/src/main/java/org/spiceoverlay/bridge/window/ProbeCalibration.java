package org.spiceoverlay.bridge.window;

import java.util.Objects;
import org.spiceoverlay.api.GuestToScreenMapping;
import org.spiceoverlay.api.PlacementProbe;
import org.spiceoverlay.api.Rect;

/**
 * Solves a client window's insets from a probe: a guest rectangle known to be painted in
 * {@link PlacementProbe}'s colour (a guest player window before its video covers it) is looked for
 * in a grab of the window, and the insets are the ones under which the client's layout rule
 * ({@link ClientWindowProfile#place}, the letterbox rule) puts that rectangle where it was found.
 *
 * <p>The header bar is what themes, fonts and DPI change, so the top inset is solved first, with
 * the other sides at the profile's defaults; only if no top inset explains the probe within
 * {@link #TOLERANCE_PX} are top and bottom solved together. Among equally good answers the one
 * nearest the defaults wins (in the letterboxed case a 1 px change of the top inset moves the
 * display by half a pixel, so neighbours can tie).
 *
 * <p>Stateless; thread-safe.
 */
public final class ProbeCalibration {

    /** Largest edge error (px) accepted between the predicted and the found probe rectangle. */
    public static final int TOLERANCE_PX = 2;
    /** The probe must fill this share of its bounding box (stray probe-coloured pixels do not count). */
    static final double MIN_FILL = 0.9;
    /** Smallest probe found on screen, in pixels per side. */
    static final int MIN_SIDE = 8;

    /**
     * What a calibration found.
     *
     * @param solved whether insets were solved (else {@link #insets} are the defaults)
     * @param insets the solved insets, or the defaults when not solved
     * @param found where the probe was found, in the grab's pixels (from its top-left corner), or
     *        {@link Rect#EMPTY}
     * @param edgeErrorPx the largest edge error of the solved layout against the found probe, or -1
     * @param message what happened, for logs
     */
    public record Result(boolean solved, Insets insets, Rect found, int edgeErrorPx, String message) {
        public Result {
            Objects.requireNonNull(insets, "insets");
            Objects.requireNonNull(found, "found");
            Objects.requireNonNull(message, "message");
        }
    }

    private ProbeCalibration() {}

    /**
     * Solves the insets of a window from a grab of its inside.
     *
     * @param window the grab of the window's inside (the image's top-left is the window's)
     * @param profile the client's layout rule and default insets
     * @param fullScreen the window's state, for the defaults
     * @param guestWidth the guest display's width
     * @param guestHeight the guest display's height
     * @param probe the guest rectangle painted in the probe colour, in guest-display pixels
     */
    public static Result solve(
            ScreenImage window,
            ClientWindowProfile profile,
            boolean fullScreen,
            int guestWidth,
            int guestHeight,
            Rect probe) {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(probe, "probe");
        if (guestWidth <= 0 || guestHeight <= 0) {
            throw new IllegalArgumentException("guest size must be > 0, got " + guestWidth + "x" + guestHeight);
        }
        if (probe.isEmpty()) {
            throw new IllegalArgumentException("probe rectangle is empty");
        }
        Insets defaults = profile.defaultInsets(fullScreen);
        Rect found = findProbe(window);
        if (found.isEmpty()) {
            return new Result(
                    false,
                    defaults,
                    Rect.EMPTY,
                    -1,
                    "no probe-coloured rectangle in the " + window.width() + "x" + window.height() + " window");
        }
        Rect local = new Rect(0, 0, window.width(), window.height());
        Candidate best = null;
        for (int top = 0; top < local.height(); top++) {
            best = better(
                    best,
                    candidate(profile, local, defaults.withTop(top), guestWidth, guestHeight, probe, found, defaults));
        }
        if (best == null || best.error > TOLERANCE_PX) {
            for (int top = 0; top < local.height(); top++) {
                for (int bottom = 0; bottom < local.height() / 3 && top + bottom < local.height(); bottom++) {
                    best = better(
                            best,
                            candidate(
                                    profile,
                                    local,
                                    new Insets(defaults.left(), top, defaults.right(), bottom),
                                    guestWidth,
                                    guestHeight,
                                    probe,
                                    found,
                                    defaults));
                }
            }
        }
        if (best == null || best.error > TOLERANCE_PX) {
            return new Result(
                    false,
                    defaults,
                    found,
                    best == null ? -1 : best.error,
                    "probe found at " + found
                            + " but no inset explains it within " + TOLERANCE_PX + " px (best "
                            + (best == null ? "none" : best.insets + ", " + best.error + " px") + ")");
        }
        return new Result(
                true,
                best.insets,
                found,
                best.error,
                "probe found at " + found + ": " + best.insets + " (edge error " + best.error + " px)");
    }

    /**
     * The bounding box of the probe-coloured pixels, in the image's own coordinates (0,0 is its top
     * left), or {@link Rect#EMPTY} when there are none, too few, or they do not form a filled
     * rectangle.
     */
    public static Rect findProbe(ScreenImage image) {
        int left = Integer.MAX_VALUE;
        int top = Integer.MAX_VALUE;
        int right = -1;
        int bottom = -1;
        long count = 0;
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < image.width(); x++) {
                if (PlacementProbe.matches(image.rgb(x, y))) {
                    count++;
                    left = Math.min(left, x);
                    right = Math.max(right, x);
                    top = Math.min(top, y);
                    bottom = Math.max(bottom, y);
                }
            }
        }
        if (count == 0) {
            return Rect.EMPTY;
        }
        Rect box = Rect.ofEdges(left, top, right + 1, bottom + 1);
        if (box.width() < MIN_SIDE || box.height() < MIN_SIDE || count < MIN_FILL * box.area()) {
            return Rect.EMPTY;
        }
        return box;
    }

    private record Candidate(Insets insets, int error, int distance) {}

    private static Candidate candidate(
            ClientWindowProfile profile,
            Rect window,
            Insets insets,
            int guestWidth,
            int guestHeight,
            Rect probe,
            Rect found,
            Insets defaults) {
        GuestToScreenMapping m = profile.place(window, insets, guestWidth, guestHeight);
        if (m == null) {
            return null;
        }
        Rect predicted = m.toScreen(probe).intersect(m.displayRect());
        if (predicted.isEmpty()) {
            return null;
        }
        int error = Math.max(
                Math.max(Math.abs(predicted.x() - found.x()), Math.abs(predicted.y() - found.y())),
                Math.max(Math.abs(predicted.right() - found.right()), Math.abs(predicted.bottom() - found.bottom())));
        int distance = Math.abs(insets.top() - defaults.top()) + Math.abs(insets.bottom() - defaults.bottom());
        return new Candidate(insets, error, distance);
    }

    private static Candidate better(Candidate a, Candidate b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        if (b.error != a.error) {
            return b.error < a.error ? b : a;
        }
        return b.distance < a.distance ? b : a;
    }
}
