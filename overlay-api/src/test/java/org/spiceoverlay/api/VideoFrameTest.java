package org.spiceoverlay.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("integration")
class VideoFrameTest {

    /** A 5x3 I420 frame whose every byte is its plane number * 100 + row * 10 + column. */
    private static ByteBuffer i420Pattern(FrameLayout l) {
        ByteBuffer b = ByteBuffer.allocateDirect(l.size());
        for (int p = 0; p < 3; p++) {
            Plane plane = l.plane(p);
            for (int row = 0; row < PixelFormat.I420.planeHeight(p, l.height()); row++) {
                for (int col = 0; col < PixelFormat.I420.planeWidth(p, l.width()); col++) {
                    b.put(plane.offset() + row * plane.stride() + col, (byte) (p * 100 + row * 10 + col));
                }
            }
        }
        return b;
    }

    @Test
    void planesViewTheNativeBufferAtTheirOffsets() {
        FrameLayout l = FrameLayout.gstreamerDefault(PixelFormat.I420, 5, 3);
        ByteBuffer native_ = i420Pattern(l);
        try (VideoFrame f =
                new VideoFrame(l, Colorimetry.BT601_LIMITED, 1, 1, 40_000_000L, 33_333_333L, native_, () -> {})) {
            ByteBuffer u = f.plane(1);
            assertTrue(u.isDirect(), "planes stay in native memory");
            assertTrue(u.isReadOnly());
            // U plane: 3 samples wide, 2 rows, stride 4
            assertEquals(4 + 3, u.remaining());
            assertEquals(100, u.get(0));
            assertEquals(112, u.get(4 + 2));
            assertEquals((byte) 211, f.plane(2).get(4 + 1));
            assertEquals(24, f.plane(0).get(2 * 8 + 4));
            assertEquals(l.size(), f.data().remaining());
            assertEquals(40_000_000L, f.ptsNs());
            assertEquals(5.0 / 3.0, f.displayAspectRatio(), 1e-12);
        }
    }

    @Test
    void pixelAspectRatioWidensTheDisplayAspect() {
        FrameLayout l = FrameLayout.gstreamerDefault(PixelFormat.RGBA, 720, 576);
        VideoFrame f = new VideoFrame(
                l,
                Colorimetry.BT601_LIMITED,
                16,
                15,
                VideoFrame.NO_TIME,
                VideoFrame.NO_TIME,
                ByteBuffer.allocateDirect(l.size()),
                () -> {});
        assertEquals(720.0 * 16 / (576 * 15), f.displayAspectRatio(), 1e-12);
        assertTrue(f.toString().contains("par=16:15"), f.toString());
    }

    @Test
    void closeReleasesExactlyOnceAndForbidsReads() throws InterruptedException {
        FrameLayout l = FrameLayout.gstreamerDefault(PixelFormat.NV12, 16, 16);
        AtomicInteger releases = new AtomicInteger();
        VideoFrame f = new VideoFrame(
                l, Colorimetry.BT709_FULL, 1, 1, 0, 0, ByteBuffer.allocateDirect(l.size()), releases::incrementAndGet);
        assertFalse(f.isClosed());
        // closed from several threads at once, as a renderer and a teardown might
        CountDownLatch go = new CountDownLatch(1);
        Thread[] threads = new Thread[8];
        for (int i = 0; i < threads.length; i++) {
            threads[i] = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                f.close();
            });
            threads[i].start();
        }
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        f.close();
        assertEquals(1, releases.get());
        assertTrue(f.isClosed());
        IllegalStateException e = assertThrows(IllegalStateException.class, f::data);
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> f.plane(0));
        // metadata stays readable
        assertEquals(16, f.width());
    }

    @Test
    void dataStartsAtTheBufferPosition() {
        FrameLayout l = FrameLayout.gstreamerDefault(PixelFormat.RGBA, 2, 2);
        ByteBuffer b = ByteBuffer.allocateDirect(l.size() + 8);
        b.put(8, (byte) 42);
        b.position(8);
        VideoFrame f = new VideoFrame(l, Colorimetry.BT709_LIMITED, 1, 1, 0, 0, b, () -> {});
        assertEquals(42, f.data().get(0));
        assertEquals(16, f.data().remaining());
    }
}
