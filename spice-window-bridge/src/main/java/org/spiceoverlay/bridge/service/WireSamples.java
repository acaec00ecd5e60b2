package org.spiceoverlay.bridge.service;

import java.util.Map;
import org.spiceoverlay.api.thrift.DataChunk;
import org.spiceoverlay.api.thrift.ErrorCode;
import org.spiceoverlay.api.thrift.OverlayError;
import org.spiceoverlay.api.thrift.OverlayProtocolConstants;
import org.spiceoverlay.api.thrift.Sample;
import org.spiceoverlay.engine.EncodedSample;

/**
 * A data chunk's samples as the engine takes them, checked: a known track, some bytes, times and
 * flags as the protocol defines them.
 *
 * <p>Stateless; any thread.
 */
final class WireSamples {

    /** Makes the stream's typed error (with its stream id) for a refused sample. */
    @FunctionalInterface
    interface Errors {
        OverlayError of(ErrorCode code, String message);
    }

    private WireSamples() {}

    /** The sample for the engine, timed from {@code originNanos} for latency. */
    static EncodedSample toEngine(Sample s, long originNanos, Map<Integer, EncodedSample.Track> tracks, Errors errors)
            throws OverlayError {
        EncodedSample.Track track = tracks.get(s.getTrackId());
        if (track == null) {
            throw errors.of(
                    ErrorCode.INVALID_ARGUMENT, "sample trackId " + s.getTrackId() + " is not a track of the stream");
        }
        // bufferForData is a view of the received frame; getData would copy it to an array first.
        if (s.bufferForData() == null || !s.bufferForData().hasRemaining()) {
            throw errors.of(ErrorCode.INVALID_ARGUMENT, "sample data is empty");
        }
        int flags = s.getFlags();
        try {
            return new EncodedSample(
                    track,
                    s.bufferForData(),
                    s.isSetPtsNs() ? s.getPtsNs() : EncodedSample.NO_TIME,
                    s.isSetDtsNs() ? s.getDtsNs() : EncodedSample.NO_TIME,
                    s.isSetDurationNs() ? s.getDurationNs() : EncodedSample.NO_TIME,
                    (flags & OverlayProtocolConstants.SAMPLE_FLAG_KEYFRAME) != 0,
                    (flags & OverlayProtocolConstants.SAMPLE_FLAG_DISCONT) != 0,
                    originNanos);
        } catch (IllegalArgumentException e) {
            throw errors.of(ErrorCode.INVALID_ARGUMENT, "sample " + e.getMessage());
        }
    }

    /**
     * The compressed bytes a chunk carries (what credit counts), from the buffers' lengths: the
     * byte arrays' getters would copy each buffer to its own right-sized array first.
     */
    static long payloadBytes(DataChunk chunk) {
        long n = chunk.isSetBytes() ? chunk.bufferForBytes().remaining() : 0;
        if (chunk.isSetSamples()) {
            for (Sample s : chunk.getSamples()) {
                n += s.bufferForData() == null ? 0 : s.bufferForData().remaining();
            }
        }
        return n;
    }
}
