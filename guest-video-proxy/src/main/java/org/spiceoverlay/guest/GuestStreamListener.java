package org.spiceoverlay.guest;

/**
 * What the client reports about one stream. Every method has a no-op default, so a player
 * implements only what it uses.
 *
 * <p>Called on the guest's event thread, one event at a time, in the client's order. Return
 * quickly; calls on the stream's controls and {@link GuestStream#setGeometry} are fine from here, but
 * a {@link GuestStream#send} that has to wait for credit is refused (the credit would arrive on this
 * very thread).
 */
public interface GuestStreamListener {

    /** The stream's playback state changed. */
    default void onState(GuestStream stream, GuestStreamState state) {}

    /** Every frame sent (up to {@link GuestStream#endOfStream()}) has been presented. */
    default void onEndOfStream(GuestStream stream) {}

    /** The client reported an error; {@code error.fatal()} says whether it closed the stream. */
    default void onError(GuestStream stream, GuestStreamError error) {}

    /** Playback position in media time; {@code durationNs} is -1 when unknown. */
    default void onPosition(GuestStream stream, long positionNs, long durationNs) {}

    /** A seek finished: playback is now at {@code positionNs}. */
    default void onSeekDone(GuestStream stream, long positionNs) {}

    /** Frame and latency counters, about once a second while playing. */
    default void onQos(GuestStream stream, GuestQos qos) {}

    /** The client stopped (false) or resumed (true) showing the video for a reason of its own. */
    default void onVisibility(GuestStream stream, boolean visible) {}

    /** The stream is gone (closed by the player, the client, a fatal error or the guest's close). */
    default void onClosed(GuestStream stream) {}

    /**
     * The channel to the client dropped. With {@link GuestOptions#reconnect()} on (the default) the
     * guest is reconnecting: the stream stays usable (sends wait), and {@link #onReconnected} follows,
     * or, when the guest gives up, this again with a cause saying so and then {@link #onClosed}. With
     * reconnection off the stream is unusable and {@link #onClosed} follows.
     */
    default void onConnectionLost(GuestStream stream, GuestConnectionException cause) {}

    /**
     * The guest reconnected and re-created the stream on the client (a new {@link GuestStream#id()},
     * the same object): latest geometry, pause, rate, volume and mute as last set. Chunk numbers and
     * credit start afresh; a send that waited through the outage continues on the new stream.
     * {@link #onResumeNeeded} follows.
     */
    default void onReconnected(GuestStream stream) {}

    /**
     * After {@link #onReconnected}: what the client had buffered but not shown is gone, and the
     * re-created stream starts empty. To resume where playback was, point the demuxer at the keyframe
     * at or before {@code positionNs} and return true: a send that waited through the outage (and any
     * send still running) then returns false, like after a seek, and the demuxer thread sends from that
     * keyframe. Sends wait until this returns, so nothing stale reaches the new stream first. Return
     * false (the default) to go on as if nothing happened: a waiting send continues on the new stream
     * and the decoder starts at the next keyframe it gets. Do not call {@link GuestStream#seek} here:
     * the new stream has no data to seek in yet.
     *
     * @param positionNs the last position the client reported (media time), or, when it reported
     *                   none, the media time of the last video sample sent (0 when nothing was sent)
     * @return true when the player will send again from the keyframe at or before {@code positionNs}
     */
    default boolean onResumeNeeded(GuestStream stream, long positionNs) {
        return false;
    }
}
