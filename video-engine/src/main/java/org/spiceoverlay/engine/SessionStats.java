package org.spiceoverlay.engine;

/**
 * A snapshot of a session's counters. Decode latency is measured from when a sample reached the
 * engine ({@link EncodedSample#receivedNanos()}) to when its frame left the decoder; -1 when unknown.
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param samplesReceived   encoded samples pushed (or container bytes chunks, for BYTES sessions)
 * @param bytesReceived     compressed bytes pushed
 * @param bytesConsumed     compressed bytes the pipeline has taken from the session's input queue
 * @param framesDecoded     frames that came out of the decoder
 * @param framesDelivered   frames handed to the {@link FrameSink}
 * @param framesLate        decoded frames the clock-synced sink did not deliver (late, or before
 *                          a seek target)
 * @param decodeP50Nanos    median decode latency over the recent frames
 * @param decodeP95Nanos    95th percentile
 * @param decodeP99Nanos    99th percentile
 * @param framesOutstanding frames handed to the sink and not closed yet (each holds a decoder
 *                          buffer; it should stay small, and reach 0 once the consumer is done)
 * @param audioBuffers      decoded audio buffers sent to the audio output (0 without audio)
 */
public record SessionStats(
        long samplesReceived,
        long bytesReceived,
        long bytesConsumed,
        long framesDecoded,
        long framesDelivered,
        long framesLate,
        long decodeP50Nanos,
        long decodeP95Nanos,
        long decodeP99Nanos,
        long framesOutstanding,
        long audioBuffers) {

    /** Compressed bytes waiting in the session's input queue. */
    public long bytesQueued() {
        return bytesReceived - bytesConsumed;
    }
}
