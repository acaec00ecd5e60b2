package org.spiceoverlay.guest.x11;

import org.spiceoverlay.guest.GuestGeometry;
import org.spiceoverlay.x11.X11Exception;

/**
 * Hears what an {@link X11GeometryTracker} measures. Every method runs on the tracker's event thread,
 * one call at a time; a listener should return soon (a {@code GuestStream.setGeometry} call is fine).
 * It may close the tracker from inside a call ({@code close()} then returns without waiting for the
 * thread).
 */
public interface X11GeometryListener {

    /**
     * The window's geometry changed (position, size, visible region, hidden, display size): the full
     * new state, ready for {@code GuestStream.setGeometry}. Bursts (a drag, a resize) are coalesced;
     * an unchanged geometry is never repeated.
     */
    void onGeometry(GuestGeometry geometry);

    /**
     * The window was destroyed. A hidden geometry was delivered just before; the tracker stops
     * following and may be closed.
     */
    default void onWindowGone(long window) {}

    /** The connection to the X display broke; the tracker stops. */
    default void onDisplayLost(X11Exception error) {}
}
