package org.spiceoverlay.render;

/**
 * The renderer could not do what was asked: no X display, no EGL or GL of the needed kind, a
 * shader that did not compile, the render thread gone. The message says what is missing and, where
 * a package provides it, which one to install.
 *
 * <p>Immutable; safe to share between threads.
 */
public class RenderException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public RenderException(String message) {
        super(message);
    }

    public RenderException(String message, Throwable cause) {
        super(message, cause);
    }
}
