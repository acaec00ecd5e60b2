package org.spiceoverlay.guest.internal;

import org.spiceoverlay.guest.GuestConnectionException;
import org.spiceoverlay.guest.GuestQos;
import org.spiceoverlay.guest.GuestStreamError;
import org.spiceoverlay.guest.GuestStreamState;

/**
 * What a stream tells its player: the public stream's listener, through the adapter the public
 * {@code GuestStream} makes. Called on the guest's event thread.
 */
public interface StreamEvents {
    void onState(GuestStreamState state);

    void onEndOfStream();

    void onError(GuestStreamError error);

    void onPosition(long positionNs, long durationNs);

    void onSeekDone(long positionNs);

    void onQos(GuestQos qos);

    void onVisibility(boolean visible);

    void onClosed();

    void onConnectionLost(GuestConnectionException cause);

    void onReconnected();

    boolean onResumeNeeded(long positionNs);

    /** The public stream these events are for. */
    Object handle();
}
