package org.spiceoverlay.engine;

import java.util.List;

/**
 * The client's media engine, seen from the rest of the client: what it can decode, and decode
 * sessions. GStreamer is the implementation here ({@code org.spiceoverlay.engine.gst}); nothing
 * outside this package sees a GStreamer type, so another engine could stand beside it.
 *
 * <p>Thread-safe.
 */
public interface MediaEngine {

    /** A short description for logs and hello, e.g. "GStreamer 1.22.0". */
    String description();

    /** Every format this machine can decode or demux, probed once from the media framework. */
    List<CodecCapability> capabilities();

    /**
     * Whether a stream with these caps can be decoded here.
     *
     * @return null if it can, else a reason naming the caps (for UNSUPPORTED_CODEC)
     */
    String whyUndecodable(String caps);

    /**
     * Opens a decode session. Frames go to {@code sink}, events to {@code listener}.
     *
     * @throws EngineException UNSUPPORTED_CODEC (naming the caps), LIMIT_EXCEEDED (a caps size
     *                         over the limits), URI_NOT_ALLOWED, INVALID_ARGUMENT (unparsable caps),
     *                         RESOURCE_UNAVAILABLE
     */
    DecodeSession open(SessionSpec spec, FrameSink sink, SessionListener listener) throws EngineException;

    /**
     * Starts paying the first stream's start-up costs (plugins, probes) in the background, so a
     * guest's first stream starts sooner. Returns at once; by default does nothing.
     */
    default void warmUp() {}
}
