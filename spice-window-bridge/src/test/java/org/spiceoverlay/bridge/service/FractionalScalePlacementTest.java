package org.spiceoverlay.bridge.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.spiceoverlay.api.GuestToScreenMapping;
import org.spiceoverlay.api.Rect;
import org.spiceoverlay.api.Region;
import org.spiceoverlay.render.Placement;

/**
 * Under a fractional scale (a Spice window resized to about 0.95 of the guest display) the overlay
 * covers every screen pixel the player's video touches, even in part, so that no line of the player
 * window's own colour shows along its edges; where another window covers the video, that window's
 * pixels stay uncovered.
 */
class FractionalScalePlacementTest {

    private static final GuestToScreenMapping M = GuestToScreenMapping.letterbox(new Rect(7, 31, 973, 730), 1024, 768);
    private static final Rect VIDEO = new Rect(101, 77, 640, 361);

    /** Whether the screen pixel (x, y) overlaps the guest rectangle by more than a rounding error. */
    private static boolean touches(Rect guest, int x, int y) {
        double l = M.toScreenX(guest.x());
        double r = M.toScreenX(guest.right());
        double t = M.toScreenY(guest.y());
        double b = M.toScreenY(guest.bottom());
        return Math.min(x + 1, r) - Math.max(x, l) > 1e-6 && Math.min(y + 1, b) - Math.max(y, t) > 1e-6;
    }

    @Test
    void everyPixelTheVideoTouchesIsCovered() {
        assertTrue(M.scale() < 0.96 && M.scale() > 0.94, "a fractional scale: " + M.scale());
        Placement p =
                CompositorVideoOutput.toScreen(new GuestPlacement(0, 1024, 768, VIDEO, Region.of(VIDEO), false), M);
        Rect around = M.toScreen(VIDEO);
        int partial = 0;
        for (int y = around.y() - 3; y < around.bottom() + 3; y++) {
            for (int x = around.x() - 3; x < around.right() + 3; x++) {
                boolean touched = touches(VIDEO, x, y);
                assertEquals(touched, p.visible().contains(x, y), "pixel (" + x + "," + y + ")");
                assertEquals(touched, p.rect().contains(x, y), "the picture's rectangle at (" + x + "," + y + ")");
                if (touched && !around.contains(x, y)) {
                    partial++;
                }
            }
        }
        assertTrue(partial > 0, "this placement has edge pixels the rounded rectangle leaves out");
    }

    @Test
    void aWindowOverTheVideoKeepsItsPixels() {
        Rect cover = new Rect(500, 40, 400, 200); // over the top right of the video
        Region visible = Region.of(VIDEO).subtract(cover);
        Placement p = CompositorVideoOutput.toScreen(new GuestPlacement(0, 1024, 768, VIDEO, visible, false), M);
        Rect covered = M.toScreen(cover);
        for (int y = covered.y() + 1; y < covered.bottom() - 1; y++) {
            for (int x = covered.x() + 1; x < covered.right() - 1; x++) {
                assertFalse(p.visible().contains(x, y), "covered pixel (" + x + "," + y + ")");
            }
        }
        // The video's own edges still reach the pixels they touch: bottom-left corner.
        Rect all = M.toScreenCovering(VIDEO);
        assertTrue(p.visible().contains(all.x(), all.bottom() - 1), "bottom-left edge pixel covered");
    }
}
