package org.spiceoverlay.engine;

/**
 * What a decode session reports. All methods are called on the session's own event thread (never on
 * a GStreamer thread), one at a time and in order; they should return promptly. Every method has an
 * empty default, so a listener overrides only what it needs.
 */
public interface SessionListener {

    default void onStateChanged(SessionState state) {}

    /** Every frame of the stream has been delivered (after {@link DecodeSession#endOfStream()}). */
    default void onEndOfStream() {}

    /** Something went wrong; {@link EngineError#fatal()} says whether the session closed. */
    default void onError(EngineError error) {}

    /** About twice a second while playing, and after a seek. Duration is -1 when unknown. */
    default void onPosition(long positionNs, long durationNs) {}

    /** Network buffering progress for URI sources, 0..100. */
    default void onBuffering(int percent) {}

    /** A seek (or rate change) finished; playback continues from {@code positionNs}. */
    default void onSeekDone(long positionNs) {}

    /** A listener that ignores everything. */
    SessionListener NONE = new SessionListener() {};
}
