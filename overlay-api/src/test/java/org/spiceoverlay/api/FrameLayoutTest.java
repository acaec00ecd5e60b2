package org.spiceoverlay.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * GStreamer's default layouts (gst_video_info_set_format without video meta), including odd sizes,
 * where the chroma planes round up and rows pad to 4 bytes.
 */
class FrameLayoutTest {

    @Test
    void i420OddSize() {
        // 321x241: Y stride 324, chroma width 161 -> stride 164, 242 luma rows before U, 121 chroma rows
        FrameLayout l = FrameLayout.gstreamerDefault(PixelFormat.I420, 321, 241);
        assertEquals(List.of(new Plane(0, 324), new Plane(78408, 164), new Plane(98252, 164)), l.planes());
        assertEquals(118096, l.size());
    }

    @Test
    void i420Hd() {
        FrameLayout l = FrameLayout.gstreamerDefault(PixelFormat.I420, 1280, 720);
        assertEquals(List.of(new Plane(0, 1280), new Plane(921600, 640), new Plane(1152000, 640)), l.planes());
        assertEquals(1280 * 720 * 3 / 2, l.size());
    }

    @Test
    void nv12OddSize() {
        FrameLayout l = FrameLayout.gstreamerDefault(PixelFormat.NV12, 321, 241);
        assertEquals(List.of(new Plane(0, 324), new Plane(324 * 242, 324)), l.planes());
        assertEquals(324 * 242 + 324 * 121, l.size());
    }

    @Test
    void rgbaIsTightlyPacked() {
        FrameLayout l = FrameLayout.gstreamerDefault(PixelFormat.BGRX, 321, 241);
        assertEquals(List.of(new Plane(0, 1284)), l.planes());
        assertEquals(1284 * 241, l.size());
    }
}
