package org.spiceoverlay.samples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.freedesktop.gstreamer.Buffer;
import org.freedesktop.gstreamer.Caps;
import org.freedesktop.gstreamer.Format;
import org.freedesktop.gstreamer.Gst;
import org.freedesktop.gstreamer.Pipeline;
import org.freedesktop.gstreamer.elements.AppSrc;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.spiceoverlay.api.FrameNumberCode;
import org.spiceoverlay.api.Rect;
import org.spiceoverlay.engine.gst.GstRuntime;
import org.spiceoverlay.media.PrivateXServer;

/**
 * The bench's eye on a real screen: a GStreamer player ({@code appsrc ! videoconvert ! ximagesink}
 * on a private Xvfb) shows 90 numbered frames at 30 fps, frame 45 deliberately held back 100 ms (and
 * the rest after it, as a stall does); the reader must find every frame number in order, and the
 * timeline must show that frame 100 ms later than the frames before it (within one 60 Hz refresh)
 * and the frame before it on screen for the slots in between.
 */
@Tag("integration")
class ScreenFrameReaderTest {

    private static final int W = 320;
    private static final int H = 180;
    private static final int FPS = 30;
    private static final int FRAMES = 90;
    private static final int HELD = 45;
    private static final long HOLD_NS = 100_000_000L;

    @Test
    void readsEveryFrameAndSeesAHeldBackFrameAsLate() throws Exception {
        GstRuntime.ensureInitialised();
        try (PrivateXServer x = PrivateXServer.start(640, 480)) {
            Pipeline pipeline =
                    (Pipeline) Gst.parseLaunch("appsrc name=src format=time max-bytes=40000000 ! videoconvert "
                            + "! ximagesink name=sink display=" + x.display() + " sync=true qos=false max-lateness=-1");
            AppSrc src = (AppSrc) pipeline.getElementByName("src");
            src.setCaps(Caps.fromString(
                    "video/x-raw,format=RGBx,width=" + W + ",height=" + H + ",framerate=" + FPS + "/1"));
            // Frames go in up front, so the sink's clock alone decides when each one shows.
            for (int n = 0; n < FRAMES; n++) {
                ByteBuffer pixels = ByteBuffer.allocate(W * H * 4);
                Arrays.fill(pixels.array(), (byte) 0x60);
                FrameNumberCode.drawRgba(pixels, W * 4, W, H, n);
                Buffer b = new Buffer(pixels.capacity());
                b.map(true).put(pixels.array());
                b.unmap();
                long pts = n * 1_000_000_000L / FPS + (n >= HELD ? HOLD_NS : 0);
                b.setPresentationTimestamp(pts);
                b.setDuration(1_000_000_000L / FPS);
                src.pushBuffer(b);
            }
            src.endOfStream();

            // ximagesink opens its window at (0,0) on a display without a window manager.
            ScreenFrameReader reader = ScreenFrameReader.start(x.display(), new Rect(0, 0, W, H), 2_000_000L);
            pipeline.play();
            long origin = clockOrigin(pipeline);
            Thread.sleep(FRAMES * 1000L / FPS + HOLD_NS / 1_000_000 + 800);
            reader.stop();
            pipeline.stop();
            pipeline.dispose();
            assertEquals(null, reader.failure());

            ScreenTimeline timeline = ScreenTimeline.of(reader.sightings());
            List<ScreenTimeline.Appearance> shown = timeline.appearances();
            for (int i = 1; i < shown.size(); i++) {
                assertTrue(shown.get(i).frame() > shown.get(i - 1).frame(), "frame numbers in order: " + shown);
            }
            assertEquals(0, shown.get(0).frame(), "the first frame");
            assertEquals(FRAMES - 1, shown.get(shown.size() - 1).frame(), "the last frame");
            // The player drops nothing (no QoS, no lateness limit), so a frame missing from the
            // timeline must have come and gone while this busy 2-core machine held the reader up.
            List<ScreenFrameReader.Sighting> sightings = reader.sightings();
            for (int i = 1; i < shown.size(); i++) {
                ScreenTimeline.Appearance before = shown.get(i - 1);
                ScreenTimeline.Appearance after = shown.get(i);
                if (after.frame() != before.frame() + 1) {
                    long gap = largestGap(sightings, before.firstAtNanos(), after.firstAtNanos());
                    System.out.printf(
                            "frames %d..%d not seen: the reader was held up %.1f ms%n",
                            before.frame() + 1, after.frame() - 1, gap / 1e6);
                    assertTrue(
                            gap > 20_000_000L,
                            "frames " + (before.frame() + 1) + ".." + (after.frame() - 1)
                                    + " were on screen while the reader looked every " + gap / 1e6 + " ms at most");
                }
            }

            ScreenTimeline.FrameFigures f = timeline.frames(origin, FPS, Long.MIN_VALUE, Long.MAX_VALUE);
            assertEquals(shown.size(), f.shown());
            assertEquals(FRAMES - shown.size(), f.skipped());
            double[] lags = f.lagsMs();
            List<Double> before = new ArrayList<>();
            double held = Double.NaN;
            for (int i = 0; i < shown.size(); i++) {
                int n = shown.get(i).frame();
                if (n >= 5 && n < HELD - 2) {
                    before.add(lags[i]);
                } else if (n == HELD) {
                    held = lags[i];
                }
            }
            assertTrue(!Double.isNaN(held), "the held-back frame " + HELD + " was seen");
            double baseline = ScreenTimeline.percentile(
                    before.stream().mapToDouble(Double::doubleValue).toArray(), 50);
            double extra = held - baseline;
            System.out.printf("baseline lag %.1f ms, held frame %.1f ms: %.1f ms late%n", baseline, held, extra);
            assertTrue(Math.abs(extra - 100) <= 17, "the held-back frame shows " + extra + " ms late, not 100 ± 17");
            // Frame 44 stays up for 4 slots instead of 1.
            assertTrue(f.repeated() >= 3, "frame slots that showed a frame again: " + f.repeated());
        }
    }

    private static long largestGap(List<ScreenFrameReader.Sighting> s, long from, long to) {
        long gap = 0;
        for (int i = 1; i < s.size(); i++) {
            if (s.get(i).atNanos() >= from && s.get(i - 1).atNanos() <= to) {
                gap = Math.max(gap, s.get(i).atNanos() - s.get(i - 1).atNanos());
            }
        }
        return gap;
    }

    /** As the bench players report it: nanoTime minus the pipeline's position, median of five. */
    private static long clockOrigin(Pipeline pipeline) throws InterruptedException {
        long[] o = new long[5];
        int got = 0;
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (got < o.length && System.nanoTime() < deadline) {
            long before = System.nanoTime();
            long pos = pipeline.queryPosition(Format.TIME);
            long after = System.nanoTime();
            if (pos > 0) {
                o[got++] = before + (after - before) / 2 - pos;
            }
            Thread.sleep(20);
        }
        assertEquals(o.length, got, "the pipeline reports its position");
        Arrays.sort(o);
        return o[o.length / 2];
    }
}
