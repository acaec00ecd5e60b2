package org.spiceoverlay.bridge.service;

import org.spiceoverlay.api.thrift.ErrorCode;
import org.spiceoverlay.engine.EngineErrorCode;

/**
 * The engine's error codes as the protocol's: the one place they meet, so the engine never depends
 * on the wire types. Each engine code has a protocol code of the same meaning and name.
 *
 * <p>Stateless; any thread.
 */
final class WireErrors {

    private WireErrors() {}

    static ErrorCode of(EngineErrorCode code) {
        return switch (code) {
            case INVALID_ARGUMENT -> ErrorCode.INVALID_ARGUMENT;
            case INVALID_STATE -> ErrorCode.INVALID_STATE;
            case LIMIT_EXCEEDED -> ErrorCode.LIMIT_EXCEEDED;
            case RESOURCE_UNAVAILABLE -> ErrorCode.RESOURCE_UNAVAILABLE;
            case STREAM_CLOSED -> ErrorCode.STREAM_CLOSED;
            case UNSUPPORTED_CODEC -> ErrorCode.UNSUPPORTED_CODEC;
            case DECODE_ERROR -> ErrorCode.DECODE_ERROR;
            case URI_NOT_ALLOWED -> ErrorCode.URI_NOT_ALLOWED;
            case INTERNAL -> ErrorCode.INTERNAL;
        };
    }
}
