package org.spiceoverlay.guest;

import org.spiceoverlay.api.thrift.ErrorInfo;
import org.spiceoverlay.api.thrift.PlaybackState;
import org.spiceoverlay.api.thrift.QosReport;

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
    default void onState(GuestStream stream, PlaybackState state) {
    }

    /** Every frame sent (up to {@link GuestStream#endOfStream()}) has been presented. */
    default void onEndOfStream(GuestStream stream) {
    }

    /** The client reported an error; {@code error.isFatal()} says whether it closed the stream. */
    default void onError(GuestStream stream, ErrorInfo error) {
    }

    /** Playback position in media time; {@code durationNs} is -1 when unknown. */
    default void onPosition(GuestStream stream, long positionNs, long durationNs) {
    }

    /** A seek finished: playback is now at {@code positionNs}. */
    default void onSeekDone(GuestStream stream, long positionNs) {
    }

    /** Frame and latency counters, about once a second while playing. */
    default void onQos(GuestStream stream, QosReport qos) {
    }

    /** The client stopped (false) or resumed (true) showing the video for a reason of its own. */
    default void onVisibility(GuestStream stream, boolean visible) {
    }

    /** The stream is gone (closed by the player, the client, a fatal error or the guest's close). */
    default void onClosed(GuestStream stream) {
    }

    /** The channel to the client dropped; the stream is unusable. Followed by {@link #onClosed}. */
    default void onConnectionLost(GuestStream stream, GuestConnectionException cause) {
    }
}
