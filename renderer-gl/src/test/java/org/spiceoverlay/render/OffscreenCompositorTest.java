package org.spiceoverlay.render;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.spiceoverlay.api.Colorimetry;
import org.spiceoverlay.api.FrameNumberCode;
import org.spiceoverlay.api.PixelFormat;
import org.spiceoverlay.api.Rect;
import org.spiceoverlay.api.Region;
import org.spiceoverlay.api.VideoFrame;

/**
 * The compositor on its offscreen target (EGL surfaceless, no X server), refreshed by hand so that
 * every presented picture can be read back: exact 1:1 drawing of every packed format and stride,
 * letterboxing, clipping to a region, several streams moving, frame size changes, both upload
 * methods, frame ownership, counters and misuse.
 */
@Tag("integration")
class OffscreenCompositorTest {

    private static final int TRANSPARENT = 0x00000000;
    private static final int BLACK = 0x000000ff;

    private final TestFrames frames = new TestFrames();

    @AfterEach
    void everyFrameClosed() {
        assertEquals(0, frames.open(), "frames left open by the compositor");
    }

    private static Compositor manual(int width, int height) {
        return Compositor.offscreen(width, height, CompositorOptions.defaults().withRefreshMode(RefreshMode.MANUAL));
    }

    /** A colour that differs at every pixel, so any shift, flip or swap shows. */
    private static int pattern(int x, int y) {
        return ((x * 4) & 0xff) << 16 | ((y * 6) & 0xff) << 8 | ((x + 3 * y) & 0xff);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(
            value = PixelFormat.class,
            names = {"RGBA", "RGBX", "BGRA", "BGRX"})
    void packedFormatsAreDrawnOneToOneExactly(PixelFormat format) {
        try (Compositor c = manual(100, 60)) {
            StreamLayer s = c.addStream("packed");
            Rect rect = new Rect(5, 7, 61, 37);
            s.place(Placement.of(rect));
            // Tight rows, padded rows, and rows whose stride is no whole number of pixels.
            for (int stride : new int[] {61 * 4, 61 * 4 + 16, 61 * 4 + 3}) {
                s.submit(frames.packed(format, 61, 37, stride, OffscreenCompositorTest::pattern));
                c.refresh();
                RgbaImage img = c.readPixels(new Rect(0, 0, 100, 60));
                for (int y = 0; y < 60; y++) {
                    for (int x = 0; x < 100; x++) {
                        int expected =
                                rect.contains(x, y) ? pattern(x - rect.x(), y - rect.y()) << 8 | 0xff : TRANSPARENT;
                        assertEquals(
                                expected,
                                img.rgba(x, y),
                                String.format("%s stride %d pixel (%d,%d)", format, stride, x, y));
                    }
                }
            }
            assertEquals(1, s.stats().textureAllocations(), "same format and size: textures reused");
        }
    }

    @Test
    void pictureIsLetterboxedWithBlackBarsAndPixelAspectRatio() {
        try (Compositor c = manual(320, 240)) {
            StreamLayer s = c.addStream("letterbox");
            Rect rect = new Rect(10, 20, 300, 200);
            s.place(Placement.of(rect));
            // 120x90 with PAR 4:3 is 16:9 on screen: 300 wide, round(300*9/16) = 169 high, at y 20 + 15.
            s.submit(frames.withPar(frames.packed(PixelFormat.RGBA, 120, 90, (x, y) -> 0x3080c0), 4, 3));
            c.refresh();
            Rect picture = new Rect(10, 35, 300, 169);
            assertEquals(picture, Letterbox.fit(rect, 120, 90, 4, 3).picture());
            RgbaImage img = c.readPixels(new Rect(0, 0, 320, 240));
            for (int y = 0; y < 240; y++) {
                for (int x = 0; x < 320; x++) {
                    int expected = picture.contains(x, y) ? 0x3080c0ff : rect.contains(x, y) ? BLACK : TRANSPARENT;
                    assertEquals(expected, img.rgba(x, y), "pixel (" + x + "," + y + ")");
                }
            }
        }
    }

    @Test
    void aFlushedStreamNeverShowsTheFrameThatWaited() {
        try (Compositor c = manual(64, 48)) {
            StreamLayer s = c.addStream("flushed");
            s.place(Placement.of(new Rect(0, 0, 64, 48)));
            s.submit(frames.packed(PixelFormat.RGBA, 64, 48, (x, y) -> 0xff0000));
            c.refresh();
            assertEquals(0xff0000ff, c.readPixels(new Rect(0, 0, 64, 48)).rgba(10, 10), "the first frame shows");
            s.submit(frames.packed(PixelFormat.RGBA, 64, 48, (x, y) -> 0x00ff00)); // from before a seek
            s.flush();
            c.refresh();
            assertEquals(
                    0xff0000ff,
                    c.readPixels(new Rect(0, 0, 64, 48)).rgba(10, 10),
                    "the frame flushed before the refresh is not shown; the picture before stays");
            assertEquals(1, s.stats().presented());
            assertEquals(1, s.stats().dropped());
            s.submit(frames.packed(PixelFormat.RGBA, 64, 48, (x, y) -> 0x0000ff)); // after the seek
            c.refresh();
            assertEquals(0x0000ffff, c.readPixels(new Rect(0, 0, 64, 48)).rgba(10, 10), "the next frame shows");
        }
    }

    @Test
    void scaledPictureKeepsItsOrientationAndEdges() {
        try (Compositor c = manual(400, 300)) {
            StreamLayer s = c.addStream("scaled");
            // Quadrants red, green, blue, white at 80x60, shown 3x at 240x180.
            s.submit(frames.packed(
                    PixelFormat.BGRX,
                    80,
                    60,
                    (x, y) -> x < 40 ? (y < 30 ? 0xff0000 : 0x0000ff) : (y < 30 ? 0x00ff00 : 0xffffff)));
            Rect rect = new Rect(50, 40, 240, 180);
            s.place(Placement.of(rect));
            c.refresh();
            RgbaImage img = c.readPixels(new Rect(0, 0, 400, 300));
            assertEquals(0xff0000ff, img.rgba(50, 40), "top-left corner red");
            assertEquals(0x00ff00ff, img.rgba(289, 40), "top-right corner green");
            assertEquals(0x0000ffff, img.rgba(50, 219), "bottom-left corner blue");
            assertEquals(0xffffffff, img.rgba(289, 219), "bottom-right corner white");
            assertEquals(TRANSPARENT, img.rgba(49, 40));
            assertEquals(TRANSPARENT, img.rgba(290, 219));
            assertEquals(TRANSPARENT, img.rgba(50, 39));
            assertEquals(TRANSPARENT, img.rgba(289, 220));
            // Bilinear: the vertical boundary between red and green is a blend, not a step.
            int mid = img.rgba(170, 60);
            assertTrue((mid >>> 24) > 0x20 && ((mid >>> 16) & 0xff) > 0x20, String.format("blend %08x", mid));
        }
    }

    @Test
    void onlyTheVisibleRegionIsDrawn() {
        try (Compositor c = manual(200, 150)) {
            StreamLayer s = c.addStream("clipped");
            Rect rect = new Rect(20, 10, 160, 120);
            // An L: the top-right quarter is covered by another window.
            Rect covered = new Rect(100, 10, 80, 60);
            Region visible = Region.of(rect).subtract(covered);
            s.place(Placement.of(rect, visible));
            s.submit(frames.packed(PixelFormat.RGBA, 160, 120, OffscreenCompositorTest::pattern));
            c.refresh();
            RgbaImage img = c.readPixels(new Rect(0, 0, 200, 150));
            for (int y = 0; y < 150; y++) {
                for (int x = 0; x < 200; x++) {
                    int expected = visible.contains(x, y) ? pattern(x - 20, y - 10) << 8 | 0xff : TRANSPARENT;
                    assertEquals(expected, img.rgba(x, y), "pixel (" + x + "," + y + ")");
                }
            }
            assertEquals(visible, c.stats().shownRegion());
            s.place(Placement.of(rect, Region.EMPTY));
            c.refresh();
            assertTrue(c.stats().shownRegion().isEmpty());
            assertEquals(TRANSPARENT, c.readPixels(new Rect(50, 50, 1, 1)).rgba(0, 0), "nothing drawn");
        }
    }

    @Test
    void twoStreamsOneMovingBetweenFramesAreBothRight() {
        try (Compositor c = manual(480, 270)) {
            StreamLayer still = c.addStream("still");
            StreamLayer moving = c.addStream("moving");
            Rect stillRect = new Rect(10, 10, 160, 90);
            still.place(Placement.of(stillRect));
            Rect previous = null;
            for (int n = 0; n < 12; n++) {
                Rect movingRect = new Rect(200 + 13 * n, 60 + 9 * n, 128, 72);
                moving.place(Placement.of(movingRect));
                still.submit(frames.numbered(PixelFormat.RGBA, 160, 90, 1000 + n, (x, y) -> 0x204060));
                moving.submit(frames.numbered(PixelFormat.BGRX, 128, 72, n, (x, y) -> 0x605040));
                RefreshReport report = c.refresh();
                assertEquals(2, report.presented().size());
                RgbaImage img = c.readPixels(new Rect(0, 0, 480, 270));
                assertEquals(OptionalInt.of(1000 + n), numberAt(img, stillRect), "still stream, refresh " + n);
                assertEquals(OptionalInt.of(n), numberAt(img, movingRect), "moving stream, refresh " + n);
                assertEquals(0x605040ff, img.rgba(movingRect.x() + 64, movingRect.bottom() - 5));
                if (previous != null) {
                    // Where it was and no longer is: nothing left behind.
                    Rect left = new Rect(previous.x(), previous.y(), movingRect.x() - previous.x(), previous.height());
                    assertEquals(TRANSPARENT, img.rgba(left.x(), left.y() + 30), "old place of the moving stream");
                }
                previous = movingRect;
            }
            assertEquals(12, still.stats().presented());
            assertEquals(12, moving.stats().presented());
        }
    }

    @Test
    void laterStreamsAreDrawnOverEarlierOnes() {
        try (Compositor c = manual(100, 100)) {
            StreamLayer below = c.addStream("below");
            StreamLayer above = c.addStream("above");
            below.place(Placement.of(new Rect(0, 0, 60, 60)));
            above.place(Placement.of(new Rect(40, 40, 60, 60)));
            below.submit(frames.packed(PixelFormat.RGBA, 60, 60, (x, y) -> 0xff0000));
            above.submit(frames.packed(PixelFormat.RGBA, 60, 60, (x, y) -> 0x00ff00));
            c.refresh();
            RgbaImage img = c.readPixels(new Rect(0, 0, 100, 100));
            assertEquals(0xff0000ff, img.rgba(20, 20));
            assertEquals(0x00ff00ff, img.rgba(50, 50), "overlap shows the later stream");
            assertEquals(0x00ff00ff, img.rgba(90, 90));
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(UploadMethod.class)
    void frameSizeChangesMidStreamWithoutAGarbageFrame(UploadMethod upload) {
        CompositorOptions options =
                CompositorOptions.defaults().withRefreshMode(RefreshMode.MANUAL).withUpload(upload);
        try (Compositor c = Compositor.offscreen(320, 240, options)) {
            StreamLayer s = c.addStream("resizing");
            Rect rect = new Rect(0, 0, 320, 240);
            s.place(Placement.of(rect));
            // 4:3 at 320x240, then 16:9 at 192x108 (letterboxed), then 4:3 again at 160x120 (scaled up),
            // then I420 and NV12 at odd sizes: every change re-creates the textures.
            int[][] sizes = {{320, 240}, {192, 108}, {160, 120}, {97, 55}, {97, 55}, {64, 48}};
            PixelFormat[] formats = {
                PixelFormat.RGBA,
                PixelFormat.RGBA,
                PixelFormat.BGRA,
                PixelFormat.I420,
                PixelFormat.NV12,
                PixelFormat.NV12
            };
            int n = 0;
            for (int k = 0; k < sizes.length; k++) {
                int w = sizes[k][0];
                int h = sizes[k][1];
                for (int i = 0; i < 4; i++, n++) {
                    s.submit(numberedFrame(formats[k], w, h, n));
                    RefreshReport report = c.refresh();
                    PresentedFrame shown = report.frameOf(s.id());
                    assertNotNull(shown, "frame " + n + " presented");
                    assertEquals(w, shown.width());
                    RgbaImage img = c.readPixels(rect);
                    Rect picture = Letterbox.fit(rect, w, h, 1, 1).picture();
                    assertEquals(
                            OptionalInt.of(n),
                            numberAt(img, picture),
                            "frame " + n + " (" + formats[k] + " " + w + "x" + h + ") read back from " + picture);
                    assertPictureIsFrameContent(img, picture, rect, h, n);
                }
            }
            assertEquals(6, s.stats().textureAllocations(), "one allocation per format or size change");
        }
    }

    /** A frame with its number in the strip and a mid-grey body (any format). */
    private VideoFrame numberedFrame(PixelFormat format, int w, int h, int n) {
        return format.isYuv()
                ? frames.numberedYuv(format, w, h, n)
                : frames.numbered(format, w, h, n, (x, y) -> 0x808080);
    }

    /** Below the strip the picture is mid grey, the bars black, nothing else (no stale or garbage texels). */
    private static void assertPictureIsFrameContent(RgbaImage img, Rect picture, Rect rect, int frameHeight, int n) {
        // The strip's rows as scaled onto the screen, and a row of blur.
        int stripRows =
                (int) Math.ceil((double) FrameNumberCode.stripHeight(frameHeight) * picture.height() / frameHeight) + 2;
        for (int y = rect.y(); y < rect.bottom(); y++) {
            for (int x = rect.x(); x < rect.right(); x++) {
                if (picture.contains(x, y)) {
                    if (y >= picture.y() + stripRows) {
                        int v = img.rgba(x, y);
                        for (int ch = 1; ch <= 3; ch++) {
                            int value = (v >>> (8 * ch)) & 0xff;
                            assertTrue(
                                    Math.abs(value - 128) <= 2,
                                    String.format(
                                            "frame %d: picture pixel (%d,%d) is %08x, not the frame's grey",
                                            n, x, y, v));
                        }
                    }
                } else {
                    assertEquals(BLACK, img.rgba(x, y), "frame " + n + ": bar pixel (" + x + "," + y + ")");
                }
            }
        }
    }

    private static OptionalInt numberAt(RgbaImage img, Rect r) {
        return FrameNumberCode.read(
                (x, y) -> (img.channel(x, y, 0) + img.channel(x, y, 1) + img.channel(x, y, 2)) / 3,
                r.x() - img.area().x(),
                r.y() - img.area().y(),
                r.width(),
                r.height());
    }

    @Test
    void bothUploadMethodsDrawTheSamePicture() {
        List<byte[]> pictures = new ArrayList<>();
        for (UploadMethod upload : UploadMethod.values()) {
            CompositorOptions options = CompositorOptions.defaults()
                    .withRefreshMode(RefreshMode.MANUAL)
                    .withUpload(upload);
            try (Compositor c = Compositor.offscreen(200, 100, options)) {
                StreamLayer s = c.addStream(upload.name());
                s.place(Placement.of(new Rect(0, 0, 200, 100)));
                ByteArrayCollector collected = new ByteArrayCollector();
                // More frames than the PBO ring holds, with format and size changes.
                for (int n = 0; n < 7; n++) {
                    PixelFormat f = n < 3 ? PixelFormat.RGBA : n < 5 ? PixelFormat.I420 : PixelFormat.NV12;
                    int w = 99 + n;
                    int seed = n;
                    s.submit(
                            f.isYuv()
                                    ? frames.yuv(
                                            f,
                                            w,
                                            51,
                                            Colorimetry.BT709_LIMITED,
                                            (x, y) -> (x * 3 + y + seed) & 0xff,
                                            (x, y) -> (x * 7 + 40) & 0xff,
                                            (x, y) -> (y * 9 + 30) & 0xff)
                                    : frames.packed(f, w, 51, (x, y) -> pattern(x + seed, y)));
                    c.refresh();
                    collected.add(c.readPixels(new Rect(0, 0, 200, 100)).toByteArray());
                }
                pictures.add(collected.joined());
            }
        }
        assertArrayEquals(pictures.get(0), pictures.get(1), "DIRECT and PBO uploads give the same pictures");
    }

    /** Concatenates readbacks. */
    private static final class ByteArrayCollector {
        private final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();

        void add(byte[] b) {
            out.writeBytes(b);
        }

        byte[] joined() {
            return out.toByteArray();
        }
    }

    @Test
    void everyFrameHandedOverIsClosedAndCounted() {
        StreamLayer visible;
        StreamLayer hidden;
        StreamLayer removed;
        try (Compositor c = manual(100, 100)) {
            visible = c.addStream("visible");
            hidden = c.addStream("hidden");
            removed = c.addStream("removed");
            visible.place(Placement.of(new Rect(0, 0, 50, 50)));
            for (int i = 0; i < 3; i++) {
                visible.submit(frames.packed(PixelFormat.RGBA, 50, 50, (x, y) -> 0x112233));
            }
            for (int i = 0; i < 5; i++) {
                hidden.submit(frames.packed(PixelFormat.RGBA, 50, 50, (x, y) -> 0x445566));
            }
            assertEquals(4, hidden.stats().dropped(), "a newer frame displaces and closes the waiting one");
            assertEquals(2, frames.open(), "visible's newest and hidden's newest wait");
            c.refresh();
            assertEquals(1, visible.stats().presented());
            assertEquals(2, visible.stats().dropped());
            assertEquals(0, visible.stats().pending());
            assertEquals(1, hidden.stats().pending(), "a hidden stream keeps its newest frame waiting");
            assertEquals(0, hidden.stats().presented());
            assertEquals(1, frames.open(), "the presented frame was closed after its upload");

            removed.place(Placement.of(new Rect(50, 50, 50, 50)));
            removed.submit(frames.packed(PixelFormat.RGBA, 50, 50, (x, y) -> 0x778899));
            removed.close();
            removed.close();
            assertEquals(1, removed.stats().dropped(), "closing a stream drops its waiting frame");
            removed.submit(frames.packed(PixelFormat.RGBA, 50, 50, (x, y) -> 0x778899));
            assertEquals(2, removed.stats().dropped(), "a closed stream closes what it is given");
            c.refresh();
            assertEquals(TRANSPARENT, c.readPixels(new Rect(60, 60, 1, 1)).rgba(0, 0), "a removed stream is gone");
            assertEquals(2, c.stats().streams());

            visible.submit(frames.packed(PixelFormat.RGBA, 50, 50, (x, y) -> 0x112233));
        }
        // Closing the compositor closed the frames still waiting.
        assertEquals(0, frames.open());
        for (StreamLayer s : List.of(visible, hidden, removed)) {
            StreamStats st = s.stats();
            assertEquals(st.submitted(), st.presented() + st.dropped(), s + ": every frame presented or dropped");
            assertEquals(0, st.pending());
        }
        visible.submit(frames.packed(PixelFormat.RGBA, 50, 50, (x, y) -> 0));
        assertEquals(0, frames.open(), "a stream of a closed compositor closes what it is given");
    }

    @Test
    void countersAddUpWhenFramesComeFasterThanRefreshesAndWhenNoneCome() throws Exception {
        CompositorOptions options = CompositorOptions.defaults().withRefreshHz(50);
        try (Compositor c = Compositor.offscreen(160, 90, options)) {
            StreamLayer s = c.addStream("counted");
            s.place(Placement.of(new Rect(0, 0, 160, 90)));
            // About 1000 frames a second for 0.4 s: far more than 50 ticks a second, and at most 100
            // refreshes a second for arriving frames, can show.
            long end = System.nanoTime() + 400_000_000L;
            int submitted = 0;
            while (System.nanoTime() < end) {
                s.submit(frames.packed(PixelFormat.RGBA, 160, 90, (x, y) -> 0x336699));
                submitted++;
                Thread.sleep(1);
            }
            Thread.sleep(100);
            StreamStats flood = s.stats();
            assertEquals(submitted, flood.submitted());
            assertEquals(flood.submitted(), flood.presented() + flood.dropped() + flood.pending());
            assertTrue(flood.presented() > 0, flood.toString());
            assertTrue(flood.dropped() > flood.presented(), "more frames dropped than shown: " + flood);
            assertNotNull(flood.lastPresented());

            // No frames for 0.4 s: every refresh shows the last frame again, and draws nothing.
            long drawnBefore = c.stats().drawnRefreshes();
            Thread.sleep(400);
            StreamStats idle = s.stats();
            assertEquals(flood.presented(), idle.presented());
            assertTrue(idle.repeated() >= flood.repeated() + 5, "repeats while no frame comes: " + idle);
            assertEquals(drawnBefore, c.stats().drawnRefreshes(), "an unchanged picture is not drawn again");

            // Hidden: no longer repeated (nothing is shown).
            s.place(Placement.HIDDEN);
            Thread.sleep(100);
            long repeatedWhenHidden = s.stats().repeated();
            Thread.sleep(200);
            assertEquals(repeatedWhenHidden, s.stats().repeated());
        }
    }

    @Test
    void listenerHearsOfEveryRefreshOnTheRenderThread() {
        List<RefreshReport> reports = new CopyOnWriteArrayList<>();
        AtomicReference<String> thread = new AtomicReference<>();
        AtomicReference<Throwable> refusal = new AtomicReference<>();
        AtomicReference<Compositor> self = new AtomicReference<>();
        CompositorOptions options = CompositorOptions.defaults()
                .withRefreshMode(RefreshMode.MANUAL)
                .withListener(r -> {
                    reports.add(r);
                    thread.set(Thread.currentThread().getName());
                    try {
                        self.get().readPixels(new Rect(0, 0, 1, 1));
                    } catch (IllegalStateException e) {
                        refusal.set(e);
                    }
                });
        try (Compositor c = Compositor.offscreen(64, 64, options)) {
            self.set(c);
            StreamLayer s = c.addStream("heard");
            s.place(Placement.of(new Rect(0, 0, 64, 64)));
            s.submit(frames.packed(PixelFormat.RGBA, 64, 64, (x, y) -> 0x010203));
            RefreshReport first = c.refresh();
            RefreshReport second = c.refresh();
            assertEquals(List.of(first, second), reports);
            assertTrue(thread.get().startsWith("spice-overlay-render-"), thread.get());
            assertTrue(refusal.get() != null, "blocking calls are refused on the render thread");
            PresentedFrame f = first.frameOf(s.id());
            assertEquals(0, f.sequence());
            assertTrue(f.latencyNanos() >= f.renderLatencyNanos() && f.renderLatencyNanos() > 0, f.toString());
            assertTrue(f.presentedNanos() >= f.submittedNanos());
            assertEquals(f, s.stats().lastPresented());
            assertNull(second.frameOf(s.id()), "no new frame in the second refresh");
            assertEquals(1, second.repeated());
        }
    }

    @Test
    void aTimedCompositorPresentsAFrameWhenItArrivesNotAtItsNextTick() throws Exception {
        // Ticks 5 s apart (the first when the loop starts), arriving frames at most 2.5 s after the
        // previous refresh: a frame handed over at 2.7 s and shown within 1.5 s came before the tick at 5 s.
        BlockingQueue<PresentedFrame> shown = new LinkedBlockingQueue<>();
        CompositorOptions options =
                CompositorOptions.defaults().withRefreshHz(0.2).withListener(r -> shown.addAll(r.presented()));
        Rect rect = new Rect(0, 0, 160, 90);
        try (Compositor c = Compositor.offscreen(160, 90, options)) {
            StreamLayer s = c.addStream("arriving");
            s.place(Placement.of(rect));
            Thread.sleep(2700);
            long submitted = System.nanoTime();
            s.submit(frames.numbered(PixelFormat.RGBA, 160, 90, 7, (x, y) -> 0x202020));
            PresentedFrame f = shown.poll(1500, TimeUnit.MILLISECONDS);
            assertNotNull(f, "the frame was not presented within 1.5 s of its arrival (the next tick is at 5 s)");
            assertEquals(0, f.sequence());
            assertTrue(f.presentedNanos() >= submitted);
            assertEquals(OptionalInt.of(7), numberAt(c.readPixels(rect), rect));
        }
    }

    @Test
    void misuseIsRefusedWithAReason() {
        Compositor timed = Compositor.offscreen(32, 32, CompositorOptions.defaults());
        try {
            assertThrows(IllegalStateException.class, timed::refresh);
            assertThrows(IllegalArgumentException.class, () -> timed.readPixels(new Rect(0, 0, 33, 1)));
            assertThrows(IllegalArgumentException.class, () -> timed.readPixels(new Rect(0, 0, 0, 1)));
        } finally {
            timed.close();
        }
        timed.close();
        assertThrows(IllegalStateException.class, () -> timed.addStream("late"));
        RenderException closed = assertThrows(RenderException.class, () -> timed.readPixels(new Rect(0, 0, 1, 1)));
        assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Compositor.offscreen(0, 10, CompositorOptions.defaults()));
        assertThrows(IllegalArgumentException.class, () -> CompositorOptions.defaults()
                .withRefreshHz(0));
    }

    @Test
    void softwareRendererPrefersRgbaFrames() {
        try (Compositor c = manual(16, 16)) {
            RendererInfo info = c.rendererInfo();
            assertEquals(info.isSoftware() ? PixelFormat.RGBA : PixelFormat.I420, c.preferredFormat(), info.toString());
        }
        assertEquals(
                PixelFormat.RGBA,
                new RendererInfo("Mesa", "llvmpipe (LLVM 15.0.6, 256 bits)", "4.5").preferredFormat());
        assertEquals(
                PixelFormat.I420,
                new RendererInfo("NVIDIA Corporation", "NVIDIA GeForce RTX 3060/PCIe/SSE2", "4.6.0").preferredFormat());
    }
}
