package org.spiceoverlay.render;

import java.util.Objects;
import org.spiceoverlay.api.PixelFormat;
import org.spiceoverlay.api.VideoFrame;

/**
 * One frame shown for the first time: which stream and frame it was, its timestamps along the
 * path (all on the {@link System#nanoTime()} clock) and what its refresh cost.
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param streamId       the {@link StreamLayer#id()}
 * @param sequence       the frame's number in its stream, counting every submitted frame from 0
 *                       (a gap means frames were dropped)
 * @param format         the frame's pixel format
 * @param width          the frame's width
 * @param height         the frame's height
 * @param ptsNs          the frame's presentation time on the stream timeline, or
 *                       {@link VideoFrame#NO_TIME}
 * @param receivedNanos  when the compressed frame reached this machine, or {@link VideoFrame#NO_TIME}
 * @param decodedNanos   when it left the decoder, or {@link VideoFrame#NO_TIME}
 * @param submittedNanos when it was handed to {@link StreamLayer#submit}
 * @param presentedNanos when the refresh that showed it had swapped (offscreen: finished)
 * @param uploadNanos    time spent uploading this frame's pixels
 * @param drawNanos      time spent drawing the refresh that showed it (all streams)
 * @param presentNanos   time spent presenting that refresh (swap, or {@code glFinish} offscreen)
 */
public record PresentedFrame(
        int streamId,
        long sequence,
        PixelFormat format,
        int width,
        int height,
        long ptsNs,
        long receivedNanos,
        long decodedNanos,
        long submittedNanos,
        long presentedNanos,
        long uploadNanos,
        long drawNanos,
        long presentNanos) {

    public PresentedFrame {
        Objects.requireNonNull(format, "format");
    }

    /**
     * Received to presented: the client's share of the end-to-end latency, or
     * {@link VideoFrame#NO_TIME} when the frame did not say when it was received.
     */
    public long latencyNanos() {
        return receivedNanos == VideoFrame.NO_TIME ? VideoFrame.NO_TIME : presentedNanos - receivedNanos;
    }

    /** Handed to the compositor to presented: the renderer's own share of the latency. */
    public long renderLatencyNanos() {
        return presentedNanos - submittedNanos;
    }

    @Override
    public String toString() {
        return String.format(
                "PresentedFrame[stream %d #%d %s %dx%d, render latency %.2f ms]",
                streamId, sequence, format, width, height, renderLatencyNanos() / 1e6);
    }
}
