package org.spiceoverlay.samples.bench;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.spiceoverlay.api.PixelFormat;
import org.spiceoverlay.api.VideoFrame;
import org.spiceoverlay.engine.DecodeSession;
import org.spiceoverlay.engine.EngineError;
import org.spiceoverlay.engine.FrameQueue;
import org.spiceoverlay.engine.LatencyRecorder;
import org.spiceoverlay.engine.SessionState;

/**
 * The consumer end of a headless decode: takes every frame from a session's {@link FrameQueue}
 * until end of stream, reads its frame number into a {@link FrameNumberCheck}, notes how long it
 * took from being pushed to being taken here, and closes it. Gives up when the session closes on
 * an error or no frame comes for the stall time, saying which.
 *
 * <p>Runs on the calling thread (the one consumer of the queue); one drain per session.
 */
public final class FrameDrain {

    /** Frames a session may hold decoded before its streaming thread waits for the consumer. */
    public static final int QUEUE_FRAMES = 8;

    /** How often the loop looks at the session's state while waiting for a frame. */
    private static final long POLL_MS = 100;
    /** Enough room for the pushed-to-taken time of every frame of a long clip. */
    private static final int LATENCY_SAMPLES = 1 << 16;

    /**
     * What the drain saw.
     *
     * @param frames          frames taken
     * @param format          format of the first frame, or null when none came
     * @param width           width of the first frame (0 when none)
     * @param height          height of the first frame (0 when none)
     * @param pushedToTaken   per frame, from {@link VideoFrame#receivedNanos()} (set when the sample was
     *                        pushed) to when this loop took the frame
     * @param numberReadNanos wall time spent reading frame numbers
     * @param stopReason      null when the stream ended normally, else why the drain gave up
     */
    public record Outcome(
            int frames,
            PixelFormat format,
            int width,
            int height,
            LatencyRecorder pushedToTaken,
            long numberReadNanos,
            String stopReason) {}

    private FrameDrain() {}

    public static Outcome drain(
            FrameQueue queue, DecodeSession session, SessionEventLog events, FrameNumberCheck check, Duration stall)
            throws InterruptedException {
        LatencyRecorder pushedToTaken = new LatencyRecorder(LATENCY_SAMPLES);
        int frames = 0;
        PixelFormat format = null;
        int width = 0;
        int height = 0;
        long readNanos = 0;
        long lastProgress = System.nanoTime();
        while (true) {
            VideoFrame f;
            try {
                f = queue.take(POLL_MS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (events.failed() || session.state() == SessionState.CLOSED) {
                    return new Outcome(
                            frames,
                            format,
                            width,
                            height,
                            pushedToTaken,
                            readNanos,
                            "the session closed: " + firstFatal(events));
                }
                if (System.nanoTime() - lastProgress > stall.toNanos()) {
                    return new Outcome(
                            frames,
                            format,
                            width,
                            height,
                            pushedToTaken,
                            readNanos,
                            "no frame for " + stall.toSeconds() + " s after " + frames
                                    + " frame(s): the decode stalled");
                }
                continue;
            }
            if (f == FrameQueue.END) {
                // A session that fails also ends its sink's stream: tell that apart from a clean end.
                return new Outcome(
                        frames,
                        format,
                        width,
                        height,
                        pushedToTaken,
                        readNanos,
                        events.failed() ? "the session closed on an error after " + frames + " frame(s)" : null);
            }
            long taken = System.nanoTime();
            lastProgress = taken;
            try {
                if (f.receivedNanos() != VideoFrame.NO_TIME) {
                    pushedToTaken.record(taken - f.receivedNanos());
                }
                if (format == null) {
                    format = f.format();
                    width = f.width();
                    height = f.height();
                }
                long reading = System.nanoTime();
                check.accept(f);
                readNanos += System.nanoTime() - reading;
                frames++;
            } finally {
                f.close();
            }
        }
    }

    private static String firstFatal(SessionEventLog events) {
        for (EngineError e : events.errors()) {
            if (e.fatal()) {
                return e.toString();
            }
        }
        return "closed without a fatal error reported";
    }
}
