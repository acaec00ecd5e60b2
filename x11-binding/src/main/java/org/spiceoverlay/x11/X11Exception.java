package org.spiceoverlay.x11;

import java.util.Objects;

/**
 * Why an X11 operation cannot be done, as a {@link Reason} a program can act on and a message a
 * person can.
 *
 * <p>Immutable; thrown on the caller's thread or handed to a handler on a connection's thread.
 */
public final class X11Exception extends Exception {

    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Reason {
        /** JNA ({@code net.java.dev.jna:jna}) or libX11 is not there, or the machine is not LP64. */
        NATIVE_LIBRARY_MISSING,
        /** The X display could not be opened (wrong name, server down, no authorisation). */
        DISPLAY_UNREACHABLE,
        /** The connection to the X server broke (the server ended, say), or was closed. */
        DISPLAY_LOST,
        /** The window does not exist (any more). */
        NO_SUCH_WINDOW
    }

    private final Reason reason;

    public X11Exception(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public X11Exception(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }

    @Override
    public String toString() {
        return "X11Exception[" + reason + ": " + getMessage() + "]";
    }
}
