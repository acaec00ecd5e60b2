package org.spiceoverlay.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Invalid values are refused with a message that names the bad field. */
@Tag("integration")
class ValueValidationTest {

    private static void rejects(String field, Executable construction) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, construction);
        assertTrue(e.getMessage().contains(field), "message should name " + field + ": " + e.getMessage());
    }

    @Test
    void rectRejectsNegativeSizesAndOverflow() {
        rejects("width", () -> new Rect(0, 0, -1, 5));
        rejects("height", () -> new Rect(0, 0, 5, -1));
        rejects("x + width", () -> new Rect(Integer.MAX_VALUE - 10, 0, 11, 1));
        rejects("y + height", () -> new Rect(0, Integer.MAX_VALUE, 1, 1));
        rejects("right", () -> Rect.ofEdges(10, 0, 5, 5));
        rejects("bottom", () -> Rect.ofEdges(0, 10, 5, 5));
        rejects("overflows", () -> new Rect(Integer.MAX_VALUE - 5, 0, 5, 5).translate(1, 0));
        // the largest legal rectangle is fine
        assertEquals(Integer.MAX_VALUE, new Rect(0, 0, Integer.MAX_VALUE, 1).right());
        assertEquals(Integer.MAX_VALUE, new Rect(-5, 0, Integer.MAX_VALUE, 1).right() + 5);
    }

    @Test
    void rectBasics() {
        Rect r = new Rect(10, 20, 30, 40);
        assertEquals(40, r.right());
        assertEquals(60, r.bottom());
        assertEquals(1200, r.area());
        assertTrue(r.contains(10, 20));
        assertTrue(!r.contains(40, 20));
        assertEquals(new Rect(20, 30, 20, 30), r.intersect(new Rect(20, 30, 100, 100)));
        assertEquals(Rect.EMPTY, r.intersect(new Rect(40, 0, 10, 100)));
        assertEquals("30x40+10+20", r.toString());
    }

    @Test
    void guestDisplayRejectsZeroSize() {
        rejects("width", () -> GuestDisplay.of(0, 0, 768));
        rejects("height", () -> GuestDisplay.of(0, 1024, 0));
        rejects("displayId", () -> GuestDisplay.of(-1, 1024, 768));
        assertEquals(new Rect(0, 0, 1024, 768), GuestDisplay.of(0, 1024, 768).bounds());
    }

    @Test
    void frameLayoutRejectsShortStridesAndOverrun() {
        rejects("width", () -> FrameLayout.gstreamerDefault(PixelFormat.I420, 0, 10));
        rejects("width", () -> new FrameLayout(PixelFormat.RGBA, 0, 10, List.of(new Plane(0, 4)), 40));
        rejects("height", () -> new FrameLayout(PixelFormat.RGBA, 10, 32768, List.of(new Plane(0, 40)), 40));
        rejects("planes[0].stride", () -> new FrameLayout(PixelFormat.RGBA, 10, 10, List.of(new Plane(0, 39)), 400));
        rejects("planes[0] ends", () -> new FrameLayout(PixelFormat.RGBA, 10, 10, List.of(new Plane(0, 40)), 399));
        rejects("planes must have 3", () -> new FrameLayout(PixelFormat.I420, 10, 10, List.of(new Plane(0, 12)), 1000));
        rejects("stride", () -> new Plane(0, 0));
        rejects("offset", () -> new Plane(-1, 4));
    }

    @Test
    void videoFrameRejectsBadMetadataAndHeapBuffers() {
        FrameLayout layout = FrameLayout.gstreamerDefault(PixelFormat.RGBA, 4, 4);
        ByteBuffer direct = ByteBuffer.allocateDirect(layout.size());
        rejects("parNumerator", () -> new VideoFrame(layout, Colorimetry.BT709_LIMITED, 0, 1, 0, 0, direct, () -> {}));
        rejects(
                "parDenominator",
                () -> new VideoFrame(layout, Colorimetry.BT709_LIMITED, 1, -1, 0, 0, direct, () -> {}));
        rejects("durationNs", () -> new VideoFrame(layout, Colorimetry.BT709_LIMITED, 1, 1, 0, -5, direct, () -> {}));
        rejects(
                "direct",
                () -> new VideoFrame(
                        layout, Colorimetry.BT709_LIMITED, 1, 1, 0, 0, ByteBuffer.allocate(layout.size()), () -> {}));
        rejects(
                "layout needs",
                () -> new VideoFrame(
                        layout,
                        Colorimetry.BT709_LIMITED,
                        1,
                        1,
                        0,
                        0,
                        ByteBuffer.allocateDirect(layout.size() - 1),
                        () -> {}));
    }

    @Test
    void pixelFormatNamesAndPlanes() {
        assertEquals(PixelFormat.NV12, PixelFormat.fromGstName("NV12"));
        assertEquals(PixelFormat.BGRX, PixelFormat.fromGstName("BGRx"));
        assertEquals("RGBx", PixelFormat.RGBX.gstName());
        rejects("\"YUY2\"", () -> PixelFormat.fromGstName("YUY2"));
        rejects("plane", () -> PixelFormat.RGBA.planeWidth(1, 10));
        assertEquals(161, PixelFormat.I420.planeWidth(1, 321));
        assertEquals(322, PixelFormat.NV12.minStride(1, 321));
    }
}
