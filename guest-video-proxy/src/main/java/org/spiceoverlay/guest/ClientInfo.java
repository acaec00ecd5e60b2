package org.spiceoverlay.guest;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What the client said about itself when the session began (after a reconnect, the newest
 * session's): its name, the protocol version both sides speak, its limits, what it can decode and
 * which sources it accepts.
 *
 * @param versionMajor the protocol major both sides speak
 * @param versionMinor the lower of both sides' minors
 */
public record ClientInfo(
        String clientName,
        long sessionId,
        int versionMajor,
        int versionMinor,
        Limits limits,
        List<Decoder> decoders,
        Set<GuestSource> sources) {

    public ClientInfo {
        Objects.requireNonNull(clientName, "clientName");
        Objects.requireNonNull(limits, "limits");
        decoders = List.copyOf(decoders);
        sources = Set.copyOf(sources);
    }

    /**
     * The client's limits.
     *
     * @param maxChunkBytes the largest chunk payload, so also the largest sample
     * @param maxBufferedBytesPerStream the credit window: most bytes a stream may have in flight
     */
    public record Limits(
            int maxStreams,
            int maxChunkBytes,
            int maxFrameWidth,
            int maxFrameHeight,
            int maxRegionRects,
            int maxPollTimeoutMs,
            int eventLogCapacity,
            long maxBufferedBytesPerStream) {}

    /**
     * A decoder (or demuxer) the client has.
     *
     * @param caps the media type and the fields that matter, e.g. {@code video/x-h264}
     * @param element the decoder's name, for logs; null when not told
     */
    public record Decoder(Kind kind, String caps, String element) {
        /** What it takes. */
        public enum Kind {
            VIDEO,
            AUDIO,
            CONTAINER
        }
    }

    /** The protocol version, "major.minor". */
    public String version() {
        return versionMajor + "." + versionMinor;
    }
}
