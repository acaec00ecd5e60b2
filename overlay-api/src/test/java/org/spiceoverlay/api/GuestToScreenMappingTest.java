package org.spiceoverlay.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Cases measured on remote-viewer (virt-viewer 11, spice-gtk 0.42) showing a 1024x768 guest. Its
 * window adds a 5 px margin on every side and a 46 px header bar, so a W x H window has its display
 * container at (5, 51) sized (W-10) x (H-56); fullscreen has no margin and no header bar.
 */
@Tag("integration")
class GuestToScreenMappingTest {

    private static final int GW = 1024;
    private static final int GH = 768;

    /** The display container of a windowed remote-viewer placed at the screen origin. */
    private static Rect windowedContainer(int windowWidth, int windowHeight) {
        return new Rect(5, 51, windowWidth - 10, windowHeight - 56);
    }

    @Test
    void unscaledWhenContainerMatchesGuest() {
        GuestToScreenMapping m = GuestToScreenMapping.letterbox(windowedContainer(1034, 824), GW, GH);
        assertEquals(new Rect(0, 0, 1024, 768), m.container().translate(-5, -51));
        assertEquals(1.0, m.scale(), 0.0);
        assertEquals(new Rect(5, 51, 1024, 768), m.displayRect(), "no letterbox offset");
        assertEquals(new Rect(305, 301, 640, 360), m.toScreen(new Rect(300, 250, 640, 360)));
    }

    @Test
    void wideWindowPillarboxes() {
        // window 1600x700 -> container 1590x644
        GuestToScreenMapping m = GuestToScreenMapping.letterbox(windowedContainer(1600, 700), GW, GH);
        assertEquals(0.8385, m.scale(), 0.0005);
        assertEquals(365, m.displayRect().x() - m.container().x(), "display x offset inside the container");
        assertEquals(0, m.displayRect().y() - m.container().y());
        assertEquals(859, m.displayRect().width());
        assertEquals(644, m.displayRect().height());
        // guest (0,0) is the display's top-left pixel; guest (1024,768) its far corner
        assertEquals(5 + 365, (int) Math.round(m.toScreenX(0)));
        assertEquals(51, (int) Math.round(m.toScreenY(0)));
        assertEquals(5 + 365 + 859, (int) Math.round(m.toScreenX(1024)), 1);
        // the player window at (300,250) 640x360
        Rect onScreen = m.toScreen(new Rect(300, 250, 640, 360));
        assertEquals(370 + Math.round(300 * m.scale()), onScreen.x());
        assertEquals(51 + Math.round(250 * m.scale()), onScreen.y());
        assertEquals(537, onScreen.width(), 1);
        assertEquals(302, onScreen.height(), 1);
    }

    @Test
    void narrowWindowLetterboxes() {
        // window 800x700 -> container 790x644
        GuestToScreenMapping m = GuestToScreenMapping.letterbox(windowedContainer(800, 700), GW, GH);
        assertEquals(0, m.displayRect().x() - m.container().x());
        assertEquals(25, m.displayRect().y() - m.container().y(), "display y offset inside the container");
        assertEquals(790.0 / 1024, m.scale(), 1e-9);
        assertEquals(new Rect(5, 51 + 25, 790, 593), m.displayRect());
    }

    @Test
    void fullscreenScalesUpAndCentres() {
        GuestToScreenMapping m = GuestToScreenMapping.letterbox(new Rect(0, 0, 1920, 1080), GW, GH);
        assertEquals(1.40625, m.scale(), 1e-12);
        assertEquals(new Rect(240, 0, 1440, 1080), m.displayRect());
        // guest pixel (512,384), the centre, lands on the screen centre
        assertEquals(960.0, m.toScreenX(512), 1e-9);
        assertEquals(540.0, m.toScreenY(384), 1e-9);
        assertEquals(new Rect(240 + 422, 352, 900, 506), m.toScreen(new Rect(300, 250, 640, 360)));
    }

    @Test
    void inverseMapsScreenBackToGuest() {
        GuestToScreenMapping m = GuestToScreenMapping.letterbox(windowedContainer(1600, 700), GW, GH);
        for (int gx = 0; gx <= 1024; gx += 128) {
            assertEquals(gx, m.toGuestX(m.toScreenX(gx)), 1e-9);
        }
        for (int gy = 0; gy <= 768; gy += 96) {
            assertEquals(gy, m.toGuestY(m.toScreenY(gy)), 1e-9);
        }
    }

    @Test
    void adjacentGuestRectsStayAdjacentOnScreen() {
        GuestToScreenMapping m = GuestToScreenMapping.letterbox(windowedContainer(1600, 700), GW, GH);
        for (int x = 0; x < 1000; x += 7) {
            Rect left = m.toScreen(new Rect(0, 0, x, 10));
            Rect right = m.toScreen(new Rect(x, 0, 1024 - x, 10));
            assertEquals(left.right(), right.x(), "shared edge at guest x=" + x);
        }
    }

    @Test
    void regionMapsRectByRect() {
        GuestToScreenMapping m = GuestToScreenMapping.letterbox(new Rect(0, 0, 2048, 1536), GW, GH);
        Region l = Region.of(new Rect(0, 0, 10, 20), new Rect(10, 10, 10, 10));
        Region s = m.toScreen(l);
        assertEquals(Region.of(new Rect(0, 0, 20, 40), new Rect(20, 20, 20, 20)), s);
        assertTrue(s.contains(39, 39));
    }

    @Test
    void rejectsEmptyContainerAndZeroSizeDisplay() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> GuestToScreenMapping.letterbox(new Rect(0, 0, 0, 100), GW, GH));
        assertTrue(e.getMessage().contains("container.width"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class, () -> GuestToScreenMapping.letterbox(new Rect(0, 0, 100, 0), GW, GH));
        assertTrue(e.getMessage().contains("container.height"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class, () -> GuestToScreenMapping.letterbox(new Rect(0, 0, 100, 100), 0, GH));
        assertTrue(e.getMessage().contains("guestWidth"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> GuestToScreenMapping.letterbox(new Rect(0, 0, 100, 100), GW, -768));
        assertTrue(e.getMessage().contains("guestHeight"), e.getMessage());
    }
}
