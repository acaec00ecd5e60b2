package org.spiceoverlay.guest;

/** What a stream carries to the client. */
public enum GuestSource {
    /** Elementary samples: the guest demuxes, the client decodes. Preferred. */
    PUSH_SAMPLES,
    /** Container bytes the client demuxes and decodes. */
    PUSH_BYTES,
    /** A URI the client fetches itself (only when its policy allows). */
    URI
}
