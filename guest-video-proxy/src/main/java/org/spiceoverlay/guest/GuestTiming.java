package org.spiceoverlay.guest;

/** How the client times a stream's frames. */
public enum GuestTiming {
    /** Files: the guest sends ahead; each frame shows at its pts on the stream clock, video slaved to audio. */
    BUFFERED,
    /** Calls, cameras, screen shares: each frame shows as soon as it is decoded. */
    LIVE
}
