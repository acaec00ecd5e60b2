package org.spiceoverlay.engine;

/** Where a decode session's compressed media comes from. */
public enum SourceType {
    /** Elementary samples with caps and timestamps, pushed by the caller (the guest demuxed them). */
    SAMPLES,
    /** Container bytes (MP4, WebM/Matroska, MPEG-TS) pushed by the caller; the engine demuxes. */
    BYTES,
    /** A URI the engine fetches itself, only when the {@link UriPolicy} allows it. */
    URI
}
