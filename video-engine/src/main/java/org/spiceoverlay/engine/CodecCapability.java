package org.spiceoverlay.engine;

import java.util.Objects;

/**
 * One compressed format this machine can decode (or demux), as announced to guests in hello.
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param kind    what the caps describe
 * @param caps    the caps media type with the fields that matter, e.g. {@code "video/x-h264"}
 * @param element the decoder or demuxer that handles it, e.g. {@code "avdec_h264"}
 */
public record CodecCapability(Kind kind, String caps, String element) {

    /** What kind of media the caps describe. */
    public enum Kind {
        VIDEO,
        AUDIO,
        CONTAINER
    }

    public CodecCapability {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(caps, "caps");
        Objects.requireNonNull(element, "element");
        if (caps.isBlank()) {
            throw new IllegalArgumentException("caps must not be blank");
        }
    }

    /** The media type alone: {@code "video/x-h264"} of {@code "video/x-h264, stream-format=avc"}. */
    public String mediaType() {
        int comma = caps.indexOf(',');
        return (comma < 0 ? caps : caps.substring(0, comma)).trim();
    }

    @Override
    public String toString() {
        return kind + " " + caps + " (" + element + ")";
    }
}
