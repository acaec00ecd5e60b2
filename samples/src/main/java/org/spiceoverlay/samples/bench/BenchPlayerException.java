package org.spiceoverlay.samples.bench;

/**
 * Why the benchmark's plain player could not play: what is missing, or what GStreamer said.
 *
 * <p>Immutable.
 */
public final class BenchPlayerException extends Exception {

    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Reason {
        /** A GStreamer element is not installed; the message names the Debian package. */
        MISSING_ELEMENT,
        /** GStreamer posted an error (the message has its source and text). */
        PIPELINE_ERROR,
        /** The pipeline did not start playing in time. */
        NOT_STARTED
    }

    private final Reason reason;

    public BenchPlayerException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
