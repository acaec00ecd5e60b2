package org.spiceoverlay.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.spiceoverlay.api.Rect;

class LetterboxTest {

    @Test
    void sameAspectRatioFillsTheRectangle() {
        Letterbox lb = Letterbox.fit(new Rect(10, 20, 640, 360), 1920, 1080, 1, 1);
        assertEquals(new Rect(10, 20, 640, 360), lb.picture());
        assertFalse(lb.hasBars());
    }

    @Test
    void narrowerPictureGetsBarsLeftAndRight() {
        // 4:3 in 800x400: height fills, width round(400 * 4/3) = 533, left bar (800-533)/2 = 133.
        Letterbox lb = Letterbox.fit(new Rect(0, 0, 800, 400), 640, 480, 1, 1);
        assertEquals(new Rect(133, 0, 533, 400), lb.picture());
        assertTrue(lb.hasBars());
    }

    @Test
    void widerPictureGetsBarsTopAndBottom() {
        // 16:9 in 400x400: width fills, height round(400 * 9/16) = 225, top bar (400-225)/2 = 87.
        Letterbox lb = Letterbox.fit(new Rect(100, 50, 400, 400), 1920, 1080, 1, 1);
        assertEquals(new Rect(100, 137, 400, 225), lb.picture());
    }

    @Test
    void pixelAspectRatioIsHonoured() {
        // PAL 720x576 anamorphic 16:9 (PAR 64:45) fills a 16:9 rectangle exactly...
        assertEquals(
                new Rect(0, 0, 1024, 576),
                Letterbox.fit(new Rect(0, 0, 1024, 576), 720, 576, 64, 45).picture());
        // ...and PAL 4:3 (PAR 16:15) fills a 4:3 one; square pixels would not.
        assertEquals(
                new Rect(0, 0, 640, 480),
                Letterbox.fit(new Rect(0, 0, 640, 480), 720, 576, 16, 15).picture());
        assertEquals(
                new Rect(0, 28, 640, 424),
                Letterbox.fit(new Rect(0, 0, 640, 480), 720, 477, 1, 1).picture());
    }

    @Test
    void oddLeftoverPutsTheExtraPixelAfterThePicture() {
        // 2:1 picture in a 103x50 rectangle: 100 wide, the odd pixel of bar goes right (integer division).
        assertEquals(
                new Rect(1, 0, 100, 50),
                Letterbox.fit(new Rect(0, 0, 102, 50), 200, 100, 1, 1).picture());
        assertEquals(
                new Rect(1, 0, 100, 50),
                Letterbox.fit(new Rect(0, 0, 103, 50), 200, 100, 1, 1).picture());
    }

    @Test
    void aOnePixelBarIsRoundingAndFilled() {
        // 640x360 mapped edge by edge into remote-viewer at scale 0.995 lands on 637x358
        assertEquals(
                new Rect(0, 0, 637, 358),
                Letterbox.fit(new Rect(0, 0, 637, 358), 640, 360, 1, 1).picture());
        assertEquals(
                new Rect(0, 0, 101, 50),
                Letterbox.fit(new Rect(0, 0, 101, 50), 200, 100, 1, 1).picture());
    }

    @Test
    void equalRatiosNeverLeaveARoundingBar() {
        for (int w = 16; w <= 1920; w += 16) {
            int h = w * 9 / 16;
            assertEquals(
                    new Rect(3, 4, w, h),
                    Letterbox.fit(new Rect(3, 4, w, h), 1280, 720, 1, 1).picture(),
                    "container " + w + "x" + h);
        }
    }

    @Test
    void pictureAlwaysStaysInsideItsRectangle() {
        for (int cw = 1; cw < 60; cw += 7) {
            for (int ch = 1; ch < 60; ch += 5) {
                for (int fw = 1; fw < 40; fw += 3) {
                    Rect container = new Rect(-5, 7, cw, ch);
                    Letterbox lb = Letterbox.fit(container, fw, 13, 3, 2);
                    assertTrue(container.contains(lb.picture()), lb.toString());
                    assertTrue(lb.picture().width() == cw || lb.picture().height() == ch, lb.toString());
                }
            }
        }
    }

    @Test
    void emptyRectangleGivesAnEmptyPicture() {
        assertTrue(
                Letterbox.fit(new Rect(5, 5, 0, 100), 640, 480, 1, 1).picture().isEmpty());
    }

    @Test
    void badArgumentsNameTheirField() {
        Rect r = new Rect(0, 0, 10, 10);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Letterbox.fit(r, 0, 10, 1, 1))
                .getMessage()
                .contains("frameWidth"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Letterbox.fit(r, 10, -1, 1, 1))
                .getMessage()
                .contains("frameHeight"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Letterbox.fit(r, 10, 10, 0, 1))
                .getMessage()
                .contains("parNumerator"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Letterbox.fit(r, 10, 10, 1, 0))
                .getMessage()
                .contains("parDenominator"));
        assertThrows(IllegalArgumentException.class, () -> new Letterbox(r, new Rect(5, 5, 10, 10)));
    }
}
