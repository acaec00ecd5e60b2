package org.spiceoverlay.samples.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import javax.imageio.ImageIO;
import org.spiceoverlay.api.PlacementProbe;
import org.spiceoverlay.api.Rect;
import org.spiceoverlay.bridge.window.ProbeCalibration;
import org.spiceoverlay.bridge.window.ScreenImage;
import org.spiceoverlay.bridge.window.X11WindowTracker;

/**
 * Measures placement from grabs of the client screen: where the guest's player window shows in the
 * Spice client (its probe colour, before the video covers it), and where the video is (what
 * changed on screen once the overlay shows). The placement error is the largest distance between
 * their edges.
 */
public final class PlacementMeasure {

    /** Per-pixel difference (sum over R, G, B) above which a pixel counts as changed. */
    static final int CHANGED = 48;

    private PlacementMeasure() {}

    /** The grab as an image, to save it. */
    static BufferedImage image(ScreenImage grab) {
        BufferedImage img = new BufferedImage(grab.width(), grab.height(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < grab.height(); y++) {
            for (int x = 0; x < grab.width(); x++) {
                img.setRGB(x, y, grab.rgb(x, y));
            }
        }
        return img;
    }

    /**
     * The probe-coloured rectangle in screen pixels, as the client's calibration finds it (a filled
     * rectangle, not stray pixels).
     */
    static Optional<Rect> probe(ScreenImage grab) {
        Rect found = ProbeCalibration.findProbe(grab);
        return found.isEmpty()
                ? Optional.empty()
                : Optional.of(found.translate(grab.area().x(), grab.area().y()));
    }

    /** How many probe-coloured pixels are inside {@code area} (screen pixels, clipped to the grab). */
    static long probePixels(ScreenImage grab, Rect area) {
        Rect a = area.intersect(grab.area());
        long n = 0;
        for (int y = a.y(); y < a.bottom(); y++) {
            for (int x = a.x(); x < a.right(); x++) {
                if (PlacementProbe.matches(grab.rgbAtScreen(x, y))) {
                    n++;
                }
            }
        }
        return n;
    }

    /** The bounding box, in screen pixels, of the pixels that differ between two grabs of one area. */
    static Optional<Rect> changed(ScreenImage before, ScreenImage after) {
        if (!before.area().equals(after.area())) {
            throw new IllegalArgumentException("grabs of different areas: " + before.area() + " and " + after.area());
        }
        int minX = Integer.MAX_VALUE;
        int minY = Integer.MAX_VALUE;
        int maxX = -1;
        int maxY = -1;
        for (int y = 0; y < after.height(); y++) {
            for (int x = 0; x < after.width(); x++) {
                int a = before.rgb(x, y);
                int b = after.rgb(x, y);
                int d = Math.abs(((a >> 16) & 0xFF) - ((b >> 16) & 0xFF))
                        + Math.abs(((a >> 8) & 0xFF) - ((b >> 8) & 0xFF))
                        + Math.abs((a & 0xFF) - (b & 0xFF));
                if (d > CHANGED) {
                    minX = Math.min(minX, x);
                    minY = Math.min(minY, y);
                    maxX = Math.max(maxX, x);
                    maxY = Math.max(maxY, y);
                }
            }
        }
        return maxX < 0
                ? Optional.empty()
                : Optional.of(
                        new Rect(before.area().x() + minX, before.area().y() + minY, maxX - minX + 1, maxY - minY + 1));
    }

    /** The largest distance between corresponding edges of two rectangles. */
    static int edgeError(Rect expected, Rect actual) {
        return Math.max(
                Math.max(Math.abs(expected.x() - actual.x()), Math.abs(expected.y() - actual.y())),
                Math.max(Math.abs(expected.right() - actual.right()), Math.abs(expected.bottom() - actual.bottom())));
    }

    /** The whole screen, for grabs (clipped to the screen by the grabber). */
    static final Rect SCREEN = new Rect(0, 0, 1 << 15, 1 << 15);

    /**
     * The last grab and where the player window's probe colour shows in it.
     *
     * @param shown null when it never showed
     */
    record ProbeSighting(ScreenImage grab, Rect shown) {}

    /**
     * Grabs the screen every 100 ms until the placement probe shows, for at most {@code timeout}
     * and while {@code keepLooking} holds; when it never does, saves the last grab as a PNG at
     * {@code lastGrabPng}, for the person reading the failure.
     */
    static ProbeSighting awaitProbe(
            X11WindowTracker grabber, Duration timeout, BooleanSupplier keepLooking, Path lastGrabPng)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        ScreenImage grab = null;
        while (keepLooking.getAsBoolean()) {
            grab = grabber.grab(SCREEN);
            Optional<Rect> shown = probe(grab);
            if (shown.isPresent()) {
                return new ProbeSighting(grab, shown.get());
            }
            if (System.nanoTime() > deadline) {
                break;
            }
            Thread.sleep(100);
        }
        if (grab != null) {
            ImageIO.write(image(grab), "png", lastGrabPng.toFile());
        }
        return new ProbeSighting(grab, null);
    }
}
