package org.spiceoverlay.bridge.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.spiceoverlay.api.GuestToScreenMapping;
import org.spiceoverlay.api.PlacementProbe;
import org.spiceoverlay.api.Rect;

/**
 * The probe solver on synthetic grabs: a window drawn with a header bar of a height the profile
 * does not expect, the guest display letterboxed under it and the probe rectangle in it.
 */
class ProbeCalibrationTest {

    private static final Rect PROBE = new Rect(300, 250, 640, 360);
    private static final int BACKGROUND = 0xf6f5f4;
    private static final int GUEST = 0x204060;

    /** A window of {@code w x h} laid out by the profile with {@code insets}, the probe painted (slightly off-colour, as lossy Spice images are). */
    private static ScreenImage window(ClientWindowProfile profile, int w, int h, Insets insets) {
        Rect local = new Rect(0, 0, w, h);
        GuestToScreenMapping m = profile.place(local, insets, 1024, 768);
        Rect display = m.displayRect();
        Rect probe = m.toScreen(PROBE);
        int[] rgb = new int[w * h];
        Arrays.fill(rgb, BACKGROUND);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (probe.contains(x, y)) {
                    rgb[y * w + x] = PlacementProbe.RGB - 0x030003 + ((x + y) % 3 << 8);
                } else if (display.contains(x, y)) {
                    rgb[y * w + x] = GUEST;
                }
            }
        }
        return new ScreenImage(local, rgb);
    }

    @ParameterizedTest(name = "{0}x{1}, header {2}")
    @CsvSource({
        "1034, 838, 60", // exact fit
        "1600, 700, 60", // pillarboxed: the display fills the height
        "800, 700, 60", // letterboxed: the display fills the width
        "1034, 824, 46", // the measured default
        "1280, 900, 30",
    })
    void solvesTheHeaderBarOfRemoteViewer(int w, int h, int header) {
        ClientWindowProfile rv = ClientWindowProfile.remoteViewer();
        Insets truth = new Insets(5, 5 + header, 5, 5);
        ProbeCalibration.Result r = ProbeCalibration.solve(window(rv, w, h, truth), rv, false, 1024, 768, PROBE);
        assertTrue(r.solved(), r.message());
        // Letterboxed, a 1 px change of the header moves the display by half a pixel: neighbours may tie.
        assertTrue(Math.abs(r.insets().top() - truth.top()) <= 1, r.message());
        GuestToScreenMapping solved = rv.place(new Rect(0, 0, w, h), r.insets(), 1024, 768);
        GuestToScreenMapping real = rv.place(new Rect(0, 0, w, h), truth, 1024, 768);
        Rect a = solved.toScreen(PROBE);
        Rect b = real.toScreen(PROBE);
        assertTrue(
                Math.abs(a.x() - b.x()) <= 1
                        && Math.abs(a.y() - b.y()) <= 1
                        && Math.abs(a.right() - b.right()) <= 1
                        && Math.abs(a.bottom() - b.bottom()) <= 1,
                "solved " + a + " vs real " + b);
    }

    @Test
    void solvesTopAndBottomTogetherWhenTheBottomIsUnexpected() {
        ClientWindowProfile spicy = ClientWindowProfile.spicy();
        Insets truth = new Insets(0, 80, 0, 40);
        ProbeCalibration.Result r =
                ProbeCalibration.solve(window(spicy, 1400, 700, truth), spicy, false, 1024, 768, PROBE);
        assertTrue(r.solved(), r.message());
        assertEquals(80, r.insets().top(), r.message());
        assertTrue(Math.abs(r.insets().bottom() - 40) <= 1, r.message());
    }

    @Test
    void noProbeKeepsTheDefaults() {
        ClientWindowProfile rv = ClientWindowProfile.remoteViewer();
        int[] rgb = new int[400 * 300];
        Arrays.fill(rgb, GUEST);
        ProbeCalibration.Result r =
                ProbeCalibration.solve(new ScreenImage(new Rect(0, 0, 400, 300), rgb), rv, false, 1024, 768, PROBE);
        assertFalse(r.solved());
        assertEquals(rv.defaultInsets(false), r.insets());
        assertTrue(r.message().contains("no probe"), r.message());
    }

    @Test
    void scatteredProbeColouredPixelsAreNoProbe() {
        int[] rgb = new int[400 * 300];
        Arrays.fill(rgb, GUEST);
        for (int i = 0; i < rgb.length; i += 97) {
            rgb[i] = PlacementProbe.RGB;
        }
        assertEquals(Rect.EMPTY, ProbeCalibration.findProbe(new ScreenImage(new Rect(0, 0, 400, 300), rgb)));
    }

    @Test
    void fullScreenDefaultsHaveNoBars() {
        assertEquals(Insets.NONE, ClientWindowProfile.remoteViewer().defaultInsets(true));
        assertEquals(new Insets(5, 51, 5, 5), ClientWindowProfile.remoteViewer().defaultInsets(false));
        ClientWindowProfile rv = ClientWindowProfile.remoteViewer();
        ProbeCalibration.Result r =
                ProbeCalibration.solve(window(rv, 1920, 1080, Insets.NONE), rv, true, 1024, 768, PROBE);
        assertTrue(r.solved(), r.message());
        assertEquals(Insets.NONE, r.insets());
    }
}
