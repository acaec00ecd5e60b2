package org.spiceoverlay.guest;

/**
 * Why the client refused a call or reported an error (the protocol's error codes, README.md "The
 * protocol in one paragraph"). A player plays locally on {@link #UNSUPPORTED_CODEC},
 * {@link #VERSION_MISMATCH} and {@link #AUTH_FAILED}.
 */
public enum GuestErrorCode {
    /** Protocol majors differ; the message names both versions. */
    VERSION_MISMATCH,
    /** The client requires an auth token and the one given is missing or wrong. */
    AUTH_FAILED,
    /** A call came before hello on its connection. */
    HELLO_REQUIRED,
    /** The stream id is not (or no longer) known in the session. */
    UNKNOWN_STREAM,
    /** The client cannot decode this codec or container; the message names the caps. */
    UNSUPPORTED_CODEC,
    /** A field has an invalid value; the message names it. */
    INVALID_ARGUMENT,
    /** A client limit would be exceeded; the message names it and its value. */
    LIMIT_EXCEEDED,
    /** More bytes than the client granted were sent. */
    CREDIT_EXCEEDED,
    /** A chunk number skipped ahead ({@link OverlayException#expectedSeq()} says which comes next). */
    OUT_OF_SEQUENCE,
    /** URI sources are off, or the URI is not on the client's allow-list. */
    URI_NOT_ALLOWED,
    /** The decoder failed on the data. */
    DECODE_ERROR,
    /** The client lacks a resource it needs (decoder, texture, audio device). */
    RESOURCE_UNAVAILABLE,
    /** The stream was closed. */
    STREAM_CLOSED,
    /** The display id was not announced. */
    UNKNOWN_DISPLAY,
    /** Not valid for this stream's kind or state. */
    INVALID_STATE,
    /** A fault inside the client; the session stays usable. */
    INTERNAL
}
