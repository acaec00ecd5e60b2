package org.spiceoverlay.guest;

/**
 * A stream's frame and latency counters as the client reports them, about once a second while
 * playing ({@link GuestStreamListener#onQos}). A figure the client did not measure is -1, never 0:
 * repeats and present latencies when it shows nothing on a screen, present latencies when no frame
 * was presented since the previous report.
 *
 * @param framesPresented shown for the first time
 * @param framesDropped decoded but never shown
 * @param framesRepeated refreshes that showed the same frame again, since the stream started
 * @param decodeLatencyP50Us received on the client to decoded, median, microseconds
 * @param presentLatencyP50Us received on the client to on screen, median over the frames presented
 *        since the previous report, microseconds
 */
public record GuestQos(
        long framesReceived,
        long framesDecoded,
        long framesPresented,
        long framesDropped,
        long framesRepeated,
        long decodeLatencyP50Us,
        long decodeLatencyP95Us,
        long presentLatencyP50Us,
        long presentLatencyP95Us,
        long bytesReceived) {}
