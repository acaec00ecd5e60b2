package org.spiceoverlay.render;

import java.util.List;
import java.util.Objects;

/**
 * What one refresh did: the frames it showed for the first time, how many visible streams showed
 * the same frame again, and what it cost. Times are on the {@link System#nanoTime()} clock.
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param index          the refresh's number, from 0
 * @param startNanos     when the refresh began
 * @param presentedNanos when it had swapped (offscreen: finished); equal to the end of the
 *                       refresh when nothing needed drawing
 * @param presented      the frames shown for the first time, in stream order
 * @param repeated       visible streams whose previous frame was shown again (no newer frame)
 * @param drawn          whether anything was drawn and presented (false when nothing changed:
 *                       the previous picture stays on screen)
 * @param uploadNanos    time spent uploading, all streams
 * @param drawNanos      time spent drawing
 * @param presentNanos   time spent presenting (swap, or {@code glFinish} offscreen)
 */
public record RefreshReport(
        long index,
        long startNanos,
        long presentedNanos,
        List<PresentedFrame> presented,
        int repeated,
        boolean drawn,
        long uploadNanos,
        long drawNanos,
        long presentNanos) {

    public RefreshReport {
        presented = List.copyOf(Objects.requireNonNull(presented, "presented"));
    }

    /** The frame this refresh presented for {@code streamId}, or null when it showed none new. */
    public PresentedFrame frameOf(int streamId) {
        for (PresentedFrame f : presented) {
            if (f.streamId() == streamId) {
                return f;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return String.format(
                "RefreshReport[#%d, %d presented, %d repeated, %s, upload %.2f ms, draw %.2f ms, " + "present %.2f ms]",
                index,
                presented.size(),
                repeated,
                drawn ? "drawn" : "unchanged",
                uploadNanos / 1e6,
                drawNanos / 1e6,
                presentNanos / 1e6);
    }
}
