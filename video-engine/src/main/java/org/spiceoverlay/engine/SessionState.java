package org.spiceoverlay.engine;

/** The life of a decode session, as its listener sees it. */
public enum SessionState {
    /** Created; waiting for enough data to produce the first frame. */
    PREROLLING,
    PAUSED,
    PLAYING,
    /** Playing but starved of data. */
    BUFFERING,
    /** Closed by the owner or after a fatal error; no more frames or events. */
    CLOSED
}
