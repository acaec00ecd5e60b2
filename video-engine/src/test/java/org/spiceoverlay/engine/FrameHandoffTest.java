package org.spiceoverlay.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.spiceoverlay.api.Colorimetry;
import org.spiceoverlay.api.FrameLayout;
import org.spiceoverlay.api.PixelFormat;
import org.spiceoverlay.api.VideoFrame;

/** The two frame hand-offs: latest-wins mailbox and lossless bounded queue. */
class FrameHandoffTest {

    private final AtomicInteger released = new AtomicInteger();

    private VideoFrame frame(long pts) {
        FrameLayout l = FrameLayout.gstreamerDefault(PixelFormat.RGBA, 4, 4);
        return new VideoFrame(
                l,
                Colorimetry.BT709_LIMITED,
                1,
                1,
                pts,
                0,
                ByteBuffer.allocateDirect(l.size()),
                released::incrementAndGet);
    }

    @Test
    void mailboxKeepsOnlyTheNewestAndClosesWhatItDisplaces() {
        FrameMailbox box = new FrameMailbox();
        assertNull(box.take());
        VideoFrame a = frame(1);
        VideoFrame b = frame(2);
        box.onFrame(a);
        box.onFrame(b);
        assertTrue(a.isClosed(), "displaced frame released at once");
        assertEquals(1, box.displacedCount());
        assertSame(b, box.take());
        assertFalse(b.isClosed(), "the taker owns it now");
        assertNull(box.take(), "taken frames are not shown twice");
        b.close();
        box.onFrame(frame(3));
        box.flush();
        assertFalse(box.hasFrame());
        box.close();
        VideoFrame late = frame(4);
        box.onFrame(late);
        assertTrue(late.isClosed(), "frames after close are released on arrival");
        assertEquals(4, released.get());
        assertEquals(3, box.offeredCount(), "three offered before close");
    }

    @Test
    void queueIsLosslessInOrderAndBlocksWhenFull() throws Exception {
        FrameQueue q = new FrameQueue(2);
        q.onFrame(frame(1));
        q.onFrame(frame(2));
        CountDownLatch third = new CountDownLatch(1);
        Thread producer = new Thread(() -> {
            q.onFrame(frame(3)); // waits: the queue is full
            third.countDown();
        });
        producer.start();
        assertFalse(third.await(200, TimeUnit.MILLISECONDS), "a full queue holds the producer back");
        VideoFrame f = q.take(1, TimeUnit.SECONDS);
        assertEquals(1, f.ptsNs());
        f.close();
        assertTrue(third.await(2, TimeUnit.SECONDS), "room made: the producer goes on");
        assertEquals(2, q.take(1, TimeUnit.SECONDS).ptsNs());
        assertEquals(3, q.take(1, TimeUnit.SECONDS).ptsNs());
        assertThrows(TimeoutException.class, () -> q.take(50, TimeUnit.MILLISECONDS));
        q.onEndOfStream();
        assertSame(FrameQueue.END, q.take(1, TimeUnit.SECONDS));
    }

    @Test
    void flushReleasesAWaitingProducerAndDropsItsFrame() throws Exception {
        FrameQueue q = new FrameQueue(1);
        q.onFrame(frame(1));
        VideoFrame stale = frame(2);
        Thread producer = new Thread(() -> q.onFrame(stale));
        producer.start();
        Thread.sleep(100);
        q.flush();
        producer.join(2000);
        assertFalse(producer.isAlive(), "flush released the producer");
        assertTrue(stale.isClosed(), "the frame it was holding was dropped");
        assertEquals(0, q.size());
        assertEquals(2, released.get());
        q.close();
        VideoFrame after = frame(3);
        q.onFrame(after);
        assertTrue(after.isClosed());
    }

    @Test
    void latencyPercentilesOverARecentWindow() {
        LatencyRecorder r = new LatencyRecorder(100);
        assertEquals(-1, r.percentile(50));
        for (int i = 1; i <= 1000; i++) {
            r.record(i);
        }
        // only the last 100 (901..1000) are kept
        assertEquals(950, r.percentile(50));
        assertEquals(1000, r.percentile(100));
        assertEquals(901, r.percentile(0));
        assertEquals(1000, r.count());
        assertThrows(IllegalArgumentException.class, () -> r.percentile(101));
    }

    @Test
    void specValidationNamesTheField() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> SessionSpec.builder(SourceType.SAMPLES)
                        .build());
        assertTrue(e.getMessage().contains("videoCaps"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SessionSpec.builder(SourceType.URI)
                .build());
        assertTrue(e.getMessage().contains("uri"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> SessionSpec.builder(SourceType.BYTES).maxSize(0, 100).build());
        assertTrue(e.getMessage().contains("maxWidth"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> SessionSpec.builder(SourceType.BYTES).maxQueuedBytes(10).build());
        assertTrue(e.getMessage().contains("maxQueuedBytes"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> new EncodedSample(
                        EncodedSample.Track.VIDEO, java.nio.ByteBuffer.allocate(0), 0, 0, 0, true, false, 0));
        assertTrue(e.getMessage().contains("data"), e.getMessage());
    }
}
