package org.spiceoverlay.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.spiceoverlay.api.PlacementProbe;
import org.spiceoverlay.api.Rect;

/** The demo's placement measurement on synthetic screens with known answers. */
class PlacementMeasureTest {

    private static BufferedImage screen(int rgb) {
        BufferedImage img = new BufferedImage(200, 150, BufferedImage.TYPE_INT_RGB);
        fill(img, new Rect(0, 0, 200, 150), rgb);
        return img;
    }

    private static void fill(BufferedImage img, Rect r, int rgb) {
        for (int y = r.y(); y < r.bottom(); y++) {
            for (int x = r.x(); x < r.right(); x++) {
                img.setRGB(x, y, rgb);
            }
        }
    }

    @Test
    void findsTheProbeRectangleAndIgnoresStrayPixels() {
        BufferedImage img = screen(0x204060);
        assertEquals(Optional.empty(), PlacementMeasure.probe(img));
        fill(img, new Rect(30, 20, 50, 40), PlacementProbe.RGB);
        img.setRGB(5, 5, 0xF010F0); // within tolerance, but alone
        assertEquals(Optional.empty(), PlacementMeasure.probe(img), "a stray pixel makes the box mostly empty");
        img.setRGB(5, 5, 0x204060);
        assertEquals(Optional.of(new Rect(30, 20, 50, 40)), PlacementMeasure.probe(img));
        assertEquals(2000, PlacementMeasure.probePixels(img, new Rect(0, 0, 200, 150)));
    }

    @Test
    void theVideoIsWhatChangedAndTheErrorIsTheWorstEdge() {
        BufferedImage before = screen(0x204060);
        fill(before, new Rect(30, 20, 50, 40), PlacementProbe.RGB);
        BufferedImage after = screen(0x204060);
        fill(after, new Rect(30, 20, 50, 40), PlacementProbe.RGB);
        // the overlay one pixel too far right: a column of probe left, a column of desktop covered
        fill(after, new Rect(31, 20, 50, 40), 0x808080);
        Rect video = PlacementMeasure.changed(before, after).orElseThrow();
        assertEquals(new Rect(31, 20, 50, 40), video);
        assertEquals(1, PlacementMeasure.edgeError(new Rect(30, 20, 50, 40), video));
        assertEquals(40, PlacementMeasure.probePixels(after, new Rect(30, 20, 50, 40)));
        assertTrue(PlacementMeasure.changed(before, before).isEmpty());
        assertEquals(7, PlacementMeasure.edgeError(new Rect(0, 0, 10, 10), new Rect(2, 0, 15, 10)));
    }
}
