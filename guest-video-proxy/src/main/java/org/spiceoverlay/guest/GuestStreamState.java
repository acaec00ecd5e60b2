package org.spiceoverlay.guest;

/** A stream's playback state as the client reports it. */
public enum GuestStreamState {
    /** Created, waiting for enough data to show the first frame. */
    PREROLLING,
    PAUSED,
    PLAYING,
    /** Playing but starved: waiting for data. */
    BUFFERING,
    /** Released; nothing more comes for the stream. */
    CLOSED
}
