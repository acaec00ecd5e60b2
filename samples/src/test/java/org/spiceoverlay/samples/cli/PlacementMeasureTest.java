package org.spiceoverlay.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.spiceoverlay.api.PlacementProbe;
import org.spiceoverlay.api.Rect;
import org.spiceoverlay.bridge.window.ScreenImage;

/** The demo's placement measurement on synthetic screens with known answers. */
class PlacementMeasureTest {

    private static final int W = 200;

    /** A 200x150 screen, as an array to paint and then grab. */
    private static int[] screen(int rgb) {
        int[] px = new int[W * 150];
        java.util.Arrays.fill(px, rgb);
        return px;
    }

    private static void fill(int[] px, Rect r, int rgb) {
        for (int y = r.y(); y < r.bottom(); y++) {
            for (int x = r.x(); x < r.right(); x++) {
                px[y * W + x] = rgb;
            }
        }
    }

    private static ScreenImage grab(int[] px) {
        return new ScreenImage(new Rect(0, 0, W, 150), px);
    }

    @Test
    void findsTheProbeRectangleAndIgnoresStrayPixels() {
        int[] img = screen(0x204060);
        assertEquals(Optional.empty(), PlacementMeasure.probe(grab(img)));
        fill(img, new Rect(30, 20, 50, 40), PlacementProbe.RGB);
        img[5 * W + 5] = 0xF010F0; // within tolerance, but alone
        assertEquals(Optional.empty(), PlacementMeasure.probe(grab(img)), "a stray pixel makes the box mostly empty");
        img[5 * W + 5] = 0x204060;
        assertEquals(Optional.of(new Rect(30, 20, 50, 40)), PlacementMeasure.probe(grab(img)));
        assertEquals(2000, PlacementMeasure.probePixels(grab(img), new Rect(0, 0, 200, 150)));
    }

    @Test
    void theVideoIsWhatChangedAndTheErrorIsTheWorstEdge() {
        int[] before = screen(0x204060);
        fill(before, new Rect(30, 20, 50, 40), PlacementProbe.RGB);
        int[] after = screen(0x204060);
        fill(after, new Rect(30, 20, 50, 40), PlacementProbe.RGB);
        // the overlay one pixel too far right: a column of probe left, a column of desktop covered
        fill(after, new Rect(31, 20, 50, 40), 0x808080);
        Rect video = PlacementMeasure.changed(grab(before), grab(after)).orElseThrow();
        assertEquals(new Rect(31, 20, 50, 40), video);
        assertEquals(1, PlacementMeasure.edgeError(new Rect(30, 20, 50, 40), video));
        assertEquals(40, PlacementMeasure.probePixels(grab(after), new Rect(30, 20, 50, 40)));
        assertTrue(PlacementMeasure.changed(grab(before), grab(before)).isEmpty());
        assertEquals(7, PlacementMeasure.edgeError(new Rect(0, 0, 10, 10), new Rect(2, 0, 15, 10)));
    }
}
