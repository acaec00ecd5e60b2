/**
 * Optional X11 support for guest players: {@link org.spiceoverlay.guest.x11.X11GeometryTracker}
 * follows a player's window on the guest's X display and hands its
 * {@link org.spiceoverlay.guest.GuestGeometry} (position, size, the part other windows leave
 * visible, hidden or not) to a listener on every change, ready for
 * {@link org.spiceoverlay.guest.GuestStream#setGeometry}; {@link org.spiceoverlay.guest.x11.PlayerWindow}
 * opens a plain top-level window to play in.
 *
 * <p>Needs JNA ({@code net.java.dev.jna:jna}, an optional dependency of the guest library: declare it
 * to use this package) and libX11. The rest of the guest library never touches this package.
 */
package org.spiceoverlay.guest.x11;
