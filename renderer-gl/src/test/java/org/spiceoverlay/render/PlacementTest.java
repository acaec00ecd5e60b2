package org.spiceoverlay.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.spiceoverlay.api.Rect;
import org.spiceoverlay.api.Region;

class PlacementTest {

    @Test
    void shownRegionIsTheVisiblePartInsideTheRectangle() {
        Rect rect = new Rect(100, 100, 200, 100);
        Region visible = Region.of(new Rect(0, 0, 150, 150), new Rect(250, 150, 500, 500));
        Placement p = Placement.of(rect, visible);
        assertEquals(Region.of(new Rect(100, 100, 50, 50), new Rect(250, 150, 50, 50)), p.shownRegion());
        assertTrue(p.isShown());
    }

    @Test
    void wholeRectangleByDefault() {
        Rect rect = new Rect(-10, 5, 30, 40);
        assertEquals(Region.of(rect), Placement.of(rect).shownRegion());
    }

    @Test
    void hiddenOrEmptyShowsNothing() {
        Rect rect = new Rect(0, 0, 10, 10);
        assertFalse(new Placement(rect, Region.of(rect), true).isShown());
        assertFalse(Placement.of(rect, Region.EMPTY).isShown());
        assertFalse(Placement.of(new Rect(0, 0, 0, 10)).isShown());
        assertFalse(Placement.HIDDEN.isShown());
        assertFalse(Placement.of(rect, Region.of(new Rect(20, 20, 5, 5))).isShown());
    }

    @Test
    void nullsAreRefusedByName() {
        assertTrue(assertThrows(NullPointerException.class, () -> new Placement(null, Region.EMPTY, false))
                .getMessage()
                .contains("rect"));
        assertTrue(assertThrows(NullPointerException.class, () -> new Placement(Rect.EMPTY, null, false))
                .getMessage()
                .contains("visible"));
    }
}
