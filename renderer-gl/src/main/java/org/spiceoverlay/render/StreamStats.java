package org.spiceoverlay.render;

/**
 * A snapshot of one stream's counters. Every submitted frame ends up presented or dropped, so
 * {@code submitted == presented + dropped + pending} at any moment.
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param submitted        frames handed to {@link StreamLayer#submit}
 * @param presented        frames shown (each counted once, at the refresh that first showed it)
 * @param dropped          frames closed without being shown: displaced by a newer frame before a
 *                         refresh took them, or still waiting when the stream or compositor closed
 * @param pending          frames waiting for the next refresh (0 or 1)
 * @param repeated         refreshes in which the stream was visible and showed its previous frame
 *                         again because no newer one had come
 * @param textureAllocations times the stream's textures were (re)created: once, plus once per
 *                         change of format or size
 * @param uploadNanosTotal time spent uploading this stream's frames
 * @param lastPresented    the latest frame presented, or null before the first
 */
public record StreamStats(
        long submitted,
        long presented,
        long dropped,
        long pending,
        long repeated,
        long textureAllocations,
        long uploadNanosTotal,
        PresentedFrame lastPresented) {

    /** Mean upload time per presented frame, in nanoseconds (0 before the first). */
    public long meanUploadNanos() {
        return presented == 0 ? 0 : uploadNanosTotal / presented;
    }
}
