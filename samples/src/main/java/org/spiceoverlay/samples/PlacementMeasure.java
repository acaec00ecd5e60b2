package org.spiceoverlay.samples;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageIO;

import org.spiceoverlay.api.PlacementProbe;
import org.spiceoverlay.api.Rect;
import org.spiceoverlay.bridge.window.ScreenImage;

/**
 * Measures placement from screenshots of the client screen: where the guest's player window shows
 * in the Spice client (its probe colour, before the video covers it), and where the video is (what
 * changed on screen once the overlay shows). The placement error is the largest distance between
 * their edges.
 */
final class PlacementMeasure {

    /** Per-pixel difference (sum over R, G, B) above which a pixel counts as changed. */
    static final int CHANGED = 48;

    private PlacementMeasure() {
    }

    /** A screen grab as an image (the whole screen when grabbed from the root). */
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
     * Grabs X display {@code display}'s root window into {@code file} and reads it back. The file's
     * extension picks the format; {@code .bmp} costs the least CPU (no compression), which matters
     * while video plays on two cores.
     */
    static BufferedImage screenshot(String display, Path file) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("import", "-display", display, "-window", "root", file.toString())
                .redirectErrorStream(true).start();
        byte[] log = p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("screenshot of " + display + " failed: " + new String(log).trim());
        }
        BufferedImage img = ImageIO.read(file.toFile());
        if (img == null) {
            throw new IOException("screenshot " + file + " is not a readable image");
        }
        return img;
    }

    /**
     * The probe-coloured rectangle on screen: the bounding box of probe pixels, if they fill at least
     * 90% of it (a filled rectangle, not stray pixels).
     */
    static Optional<Rect> probe(BufferedImage img) {
        int minX = Integer.MAX_VALUE;
        int minY = Integer.MAX_VALUE;
        int maxX = -1;
        int maxY = -1;
        long count = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if (PlacementProbe.matches(img.getRGB(x, y))) {
                    count++;
                    minX = Math.min(minX, x);
                    minY = Math.min(minY, y);
                    maxX = Math.max(maxX, x);
                    maxY = Math.max(maxY, y);
                }
            }
        }
        if (count == 0) {
            return Optional.empty();
        }
        Rect box = new Rect(minX, minY, maxX - minX + 1, maxY - minY + 1);
        return count >= 0.9 * box.area() ? Optional.of(box) : Optional.empty();
    }

    /** How many probe-coloured pixels are inside {@code area}. */
    static long probePixels(BufferedImage img, Rect area) {
        long n = 0;
        for (int y = Math.max(0, area.y()); y < Math.min(img.getHeight(), area.bottom()); y++) {
            for (int x = Math.max(0, area.x()); x < Math.min(img.getWidth(), area.right()); x++) {
                if (PlacementProbe.matches(img.getRGB(x, y))) {
                    n++;
                }
            }
        }
        return n;
    }

    /** The bounding box of the pixels that differ between two screenshots of one screen. */
    static Optional<Rect> changed(BufferedImage before, BufferedImage after) {
        if (before.getWidth() != after.getWidth() || before.getHeight() != after.getHeight()) {
            throw new IllegalArgumentException("screenshots of different sizes: " + before.getWidth() + "x"
                    + before.getHeight() + " and " + after.getWidth() + "x" + after.getHeight());
        }
        int minX = Integer.MAX_VALUE;
        int minY = Integer.MAX_VALUE;
        int maxX = -1;
        int maxY = -1;
        for (int y = 0; y < after.getHeight(); y++) {
            for (int x = 0; x < after.getWidth(); x++) {
                int a = before.getRGB(x, y);
                int b = after.getRGB(x, y);
                int d = Math.abs(((a >> 16) & 0xFF) - ((b >> 16) & 0xFF)) + Math.abs(((a >> 8) & 0xFF) - ((b >> 8) & 0xFF))
                        + Math.abs((a & 0xFF) - (b & 0xFF));
                if (d > CHANGED) {
                    minX = Math.min(minX, x);
                    minY = Math.min(minY, y);
                    maxX = Math.max(maxX, x);
                    maxY = Math.max(maxY, y);
                }
            }
        }
        return maxX < 0 ? Optional.empty() : Optional.of(new Rect(minX, minY, maxX - minX + 1, maxY - minY + 1));
    }

    /** The largest distance between corresponding edges of two rectangles. */
    static int edgeError(Rect expected, Rect actual) {
        return Math.max(Math.max(Math.abs(expected.x() - actual.x()), Math.abs(expected.y() - actual.y())),
                Math.max(Math.abs(expected.right() - actual.right()), Math.abs(expected.bottom() - actual.bottom())));
    }
}
