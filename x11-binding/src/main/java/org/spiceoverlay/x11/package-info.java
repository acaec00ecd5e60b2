/**
 * The project's one binding to Xlib (JNA): {@link org.spiceoverlay.x11.XConnection}, an X display
 * connection owned by one thread; {@link org.spiceoverlay.x11.XErrorHandlers}, the process-wide
 * error handlers, which route each error to the connection it happened on and chain every other to
 * the handler installed before; {@link org.spiceoverlay.x11.XWindows} for window reads and
 * {@link org.spiceoverlay.x11.XScreenGrab} for screen grabs. The client's window tracker and the
 * guest's window geometry helper both use it, so they work side by side in one process.
 */
package org.spiceoverlay.x11;
