package org.spiceoverlay.engine;

/**
 * Why an engine call or a session failed. The client service maps each to the protocol's error
 * code of the same name (one place: the bridge's {@code WireErrors}), so the engine does not depend
 * on the wire types and a protocol change does not reach it.
 */
public enum EngineErrorCode {
    /** A value the caller gave is out of range or malformed (caps, a position, a rate). */
    INVALID_ARGUMENT,
    /** The call does not fit the session's state or kind (samples to a byte stream, data after end of stream). */
    INVALID_STATE,
    /** A limit was reached: queued bytes, picture size. */
    LIMIT_EXCEEDED,
    /** Something the stream needs is missing or cannot be reached: a GStreamer element, a file, the network. */
    RESOURCE_UNAVAILABLE,
    /** The session is closed. */
    STREAM_CLOSED,
    /** Nothing here decodes the stream's format (the guest may play it locally instead). */
    UNSUPPORTED_CODEC,
    /** The stream's data cannot be decoded or demuxed. */
    DECODE_ERROR,
    /** The URI policy refuses the source. */
    URI_NOT_ALLOWED,
    /** A fault in the engine itself. */
    INTERNAL
}
