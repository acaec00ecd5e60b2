package org.spiceoverlay.render;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.spiceoverlay.api.VideoFrame;

/**
 * One video stream in a {@link Compositor}: the client hands it decoded frames and tells it where
 * on the screen the stream's video window is. Made by {@link Compositor#addStream(String)}.
 *
 * <p>Frames are latest-wins: the stream holds at most one frame that no refresh has taken yet, and
 * a newer frame displaces it (closing it, counted as dropped). Each refresh takes the newest frame,
 * uploads it, closes it and shows it; without a newer one the refresh shows the previous picture
 * again (counted as repeated). A hidden stream keeps its newest frame waiting, so it is the one
 * shown when the stream becomes visible. Pace frames by the stream's clock before submitting them
 * (the engine's clock-paced delivery does): the compositor shows what it has at each refresh.
 *
 * <p>Threads: every method may be called from any thread, and never blocks. {@link #submit} is
 * meant for the decoder's thread; placements and {@link #close()} usually come from the client's
 * control thread.
 */
public final class StreamLayer implements AutoCloseable {

    private final RenderLoop loop;
    private final int id;
    private final String name;
    private final AtomicReference<SubmittedFrame> mailbox = new AtomicReference<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Placement placement = Placement.HIDDEN;

    private final AtomicLong submitted = new AtomicLong();
    private final AtomicLong presented = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong repeated = new AtomicLong();
    private final AtomicLong textureAllocations = new AtomicLong();
    private final AtomicLong uploadNanos = new AtomicLong();
    private volatile PresentedFrame lastPresented;
    private final LatencyInterval presentLatency = new LatencyInterval();

    StreamLayer(RenderLoop loop, int id, String name) {
        this.loop = loop;
        this.id = id;
        this.name = name;
    }

    /** A number unique within the compositor, from 1. */
    public int id() {
        return id;
    }

    /** The name given at creation, for logs. */
    public String name() {
        return name;
    }

    /**
     * Hands over a frame to be shown at once (a refresh starts for it; in manual mode, at the next
     * refresh). The stream now owns it and closes it
     * (after uploading it, when it is displaced by a newer frame, or at once when the stream is
     * closed).
     */
    public void submit(VideoFrame frame) {
        Objects.requireNonNull(frame, "frame");
        long sequence = submitted.getAndIncrement();
        if (closed.get()) {
            dropFrame(frame);
            return;
        }
        SubmittedFrame displaced = mailbox.getAndSet(new SubmittedFrame(frame, sequence, System.nanoTime()));
        if (displaced != null) {
            dropFrame(displaced.frame());
        }
        // close() may have drained the mailbox between the check and the swap: leave no frame behind.
        if (closed.get()) {
            drain();
            return;
        }
        loop.frameArrived();
    }

    /**
     * Drops the frame waiting to be shown (closed, counted as dropped): the stream was flushed (a
     * seek), and nothing from before it may reach the screen after it. The picture shown now stays
     * until the next frame. Any thread.
     */
    public void flush() {
        drain();
    }

    /**
     * Moves, resizes, clips or hides the stream; takes effect at the next refresh. Streams start
     * {@link Placement#HIDDEN}.
     */
    public void place(Placement newPlacement) {
        placement = Objects.requireNonNull(newPlacement, "placement");
        loop.wake();
    }

    /** The placement most recently set. */
    public Placement placement() {
        return placement;
    }

    /** A snapshot of the counters. */
    public StreamStats stats() {
        long s = submitted.get();
        long p = presented.get();
        long d = dropped.get();
        return new StreamStats(
                s,
                p,
                d,
                Math.max(0, s - p - d),
                repeated.get(),
                textureAllocations.get(),
                uploadNanos.get(),
                lastPresented);
    }

    /**
     * Received-to-presented latency of the frames this stream presented since the previous call
     * (the first call: since the stream was added), then starts a new interval. Frames that did
     * not say when they were received are left out. Meant for one reader (the client's periodic
     * QoS report): each call takes what the previous one left.
     */
    public PresentLatency takePresentLatency() {
        return presentLatency.take();
    }

    public boolean isClosed() {
        return closed.get();
    }

    /**
     * Removes the stream from the compositor: its waiting frame is closed now, its textures are
     * deleted on the render thread, and it disappears from the screen at the next refresh. Frames
     * submitted afterwards are closed at once. Idempotent.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            drain();
            loop.removeStream(this);
        }
    }

    // ---- render thread side ----

    /** Takes the waiting frame (now owned by the caller), or null. */
    SubmittedFrame take() {
        return mailbox.getAndSet(null);
    }

    /** The compositor is closing: take no more frames, drop the waiting one. */
    void detach() {
        closed.set(true);
        drain();
    }

    /** Closes the waiting frame, if any, as dropped. */
    void drain() {
        SubmittedFrame left = mailbox.getAndSet(null);
        if (left != null) {
            dropFrame(left.frame());
        }
    }

    /** A frame that will never be shown: closed and counted. */
    void dropFrame(VideoFrame frame) {
        frame.close();
        dropped.incrementAndGet();
    }

    void countPresented(PresentedFrame frame) {
        uploadNanos.addAndGet(frame.uploadNanos());
        lastPresented = frame;
        long latency = frame.latencyNanos();
        if (latency != VideoFrame.NO_TIME && latency >= 0) {
            presentLatency.record(latency);
        }
        presented.incrementAndGet();
    }

    void countRepeated() {
        repeated.incrementAndGet();
    }

    void countTextureAllocation() {
        textureAllocations.incrementAndGet();
    }

    @Override
    public String toString() {
        return "StreamLayer[" + id + " \"" + name + "\", " + placement + (closed.get() ? ", closed" : "") + "]";
    }
}
