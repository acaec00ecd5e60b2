package org.spiceoverlay.engine;

import java.util.Objects;
import org.spiceoverlay.api.PixelFormat;

/**
 * Everything a decode session is opened with: the source and its caps, the frame format the
 * consumer wants, pacing, audio and limits. Built with {@link #builder(SourceType)}.
 *
 * <p>Immutable; safe to share between threads.
 */
public final class SessionSpec {

    /** Default largest decoded picture. */
    public static final int DEFAULT_MAX_DIMENSION = 4096;
    /** Default bound on compressed bytes queued inside the session. */
    public static final long DEFAULT_MAX_QUEUED_BYTES = 8L << 20;

    /** The longest sender's lead a session anchors on (10 s). */
    public static final long MAX_LEAD_NS = 10_000_000_000L;

    private final String name;
    private final SourceType source;
    private final String videoCaps;
    private final String audioCaps;
    private final String containerCaps;
    private final String uri;
    private final PixelFormat outputFormat;
    private final Pacing pacing;
    private final boolean audio;
    private final boolean startPaused;
    private final int maxWidth;
    private final int maxHeight;
    private final long maxQueuedBytes;
    private final long startTimeNs;
    private final long leadNs;
    private final boolean lowLatency;

    private SessionSpec(Builder b) {
        this.name = b.name;
        this.source = b.source;
        this.videoCaps = b.videoCaps;
        this.audioCaps = b.audioCaps;
        this.containerCaps = b.containerCaps;
        this.uri = b.uri;
        this.outputFormat = b.outputFormat;
        this.pacing = b.pacing;
        this.audio = b.audio;
        this.startPaused = b.startPaused;
        this.maxWidth = b.maxWidth;
        this.maxHeight = b.maxHeight;
        this.maxQueuedBytes = b.maxQueuedBytes;
        this.startTimeNs = b.startTimeNs;
        this.leadNs = b.leadNs;
        this.lowLatency = b.lowLatency;
    }

    public static Builder builder(SourceType source) {
        return new Builder(source);
    }

    /** For logs: e.g. "guest 3 stream 7". */
    public String name() {
        return name;
    }

    public SourceType source() {
        return source;
    }

    /** SAMPLES: the video track's caps. */
    public String videoCaps() {
        return videoCaps;
    }

    /** SAMPLES: the audio track's caps, or null when the stream has no audio track. */
    public String audioCaps() {
        return audioCaps;
    }

    /** BYTES: the container's caps, or null to detect the type. */
    public String containerCaps() {
        return containerCaps;
    }

    /** URI: what to play. */
    public String uri() {
        return uri;
    }

    /** The format frames are delivered in (converted if the decoder outputs another). */
    public PixelFormat outputFormat() {
        return outputFormat;
    }

    public Pacing pacing() {
        return pacing;
    }

    /** Whether the stream's audio is played on this machine. */
    public boolean audio() {
        return audio;
    }

    public boolean startPaused() {
        return startPaused;
    }

    public int maxWidth() {
        return maxWidth;
    }

    public int maxHeight() {
        return maxHeight;
    }

    public long maxQueuedBytes() {
        return maxQueuedBytes;
    }

    /**
     * SAMPLES: the pts of the media's first frame. Positions and seeks are in media time, which is
     * pts minus this.
     */
    public long startTimeNs() {
        return startTimeNs;
    }

    /**
     * CLOCK pacing: the sender's lead, or 0. When positive (and the session does not start paused),
     * the session anchors its clock: media time 0 is shown this long after the first sample
     * arrived ({@link EncodedSample#receivedNanos()}), every frame at its media time on that clock.
     * 0: playback starts as soon as the pipeline has prerolled.
     */
    public long leadNs() {
        return leadNs;
    }

    /**
     * Decode for the lowest delay rather than the highest throughput (calls, cameras): decoders
     * that would hold frames back for frame threading use slice threading instead.
     */
    public boolean lowLatency() {
        return lowLatency;
    }

    @Override
    public String toString() {
        return "SessionSpec[" + name + ", " + source
                + (videoCaps != null ? ", video=" + videoCaps : "")
                + (audioCaps != null ? ", audio=" + audioCaps : "")
                + (containerCaps != null ? ", container=" + containerCaps : "")
                + (uri != null ? ", uri" : "")
                + ", out=" + outputFormat + ", " + pacing + (leadNs > 0 ? " lead " + leadNs / 1_000_000 + " ms" : "")
                + (audio ? ", audio on" : ", audio off")
                + ", max " + maxWidth + "x" + maxHeight + ", queue " + maxQueuedBytes + " B]";
    }

    /** Builds a {@link SessionSpec}; {@link #build()} validates it. Not thread-safe. */
    public static final class Builder {
        private String name = "session";
        private final SourceType source;
        private String videoCaps;
        private String audioCaps;
        private String containerCaps;
        private String uri;
        private PixelFormat outputFormat = PixelFormat.I420;
        private Pacing pacing = Pacing.CLOCK;
        private boolean audio = true;
        private boolean startPaused;
        private int maxWidth = DEFAULT_MAX_DIMENSION;
        private int maxHeight = DEFAULT_MAX_DIMENSION;
        private long maxQueuedBytes = DEFAULT_MAX_QUEUED_BYTES;
        private long startTimeNs;
        private long leadNs;
        private boolean lowLatency;

        private Builder(SourceType source) {
            this.source = Objects.requireNonNull(source, "source");
        }

        public Builder name(String v) {
            this.name = Objects.requireNonNull(v, "name");
            return this;
        }

        public Builder videoCaps(String v) {
            this.videoCaps = v;
            return this;
        }

        public Builder audioCaps(String v) {
            this.audioCaps = v;
            return this;
        }

        public Builder containerCaps(String v) {
            this.containerCaps = v;
            return this;
        }

        public Builder uri(String v) {
            this.uri = v;
            return this;
        }

        public Builder outputFormat(PixelFormat v) {
            this.outputFormat = Objects.requireNonNull(v, "outputFormat");
            return this;
        }

        public Builder pacing(Pacing v) {
            this.pacing = Objects.requireNonNull(v, "pacing");
            return this;
        }

        public Builder audio(boolean v) {
            this.audio = v;
            return this;
        }

        public Builder startPaused(boolean v) {
            this.startPaused = v;
            return this;
        }

        public Builder maxSize(int width, int height) {
            this.maxWidth = width;
            this.maxHeight = height;
            return this;
        }

        public Builder maxQueuedBytes(long v) {
            this.maxQueuedBytes = v;
            return this;
        }

        public Builder lowLatency(boolean v) {
            this.lowLatency = v;
            return this;
        }

        public Builder startTimeNs(long v) {
            this.startTimeNs = v;
            return this;
        }

        public Builder leadNs(long v) {
            this.leadNs = v;
            return this;
        }

        /** @throws IllegalArgumentException naming the field that is missing or out of range */
        public SessionSpec build() {
            switch (source) {
                case SAMPLES -> {
                    if (videoCaps == null || videoCaps.isBlank()) {
                        throw new IllegalArgumentException("videoCaps is required for a SAMPLES session");
                    }
                }
                case URI -> {
                    if (uri == null || uri.isBlank()) {
                        throw new IllegalArgumentException("uri is required for a URI session");
                    }
                }
                case BYTES -> {}
                default -> throw new IllegalArgumentException("source " + source);
            }
            if (maxWidth <= 0 || maxWidth > 16384) {
                throw new IllegalArgumentException("maxWidth must be in [1, 16384], got " + maxWidth);
            }
            if (maxHeight <= 0 || maxHeight > 16384) {
                throw new IllegalArgumentException("maxHeight must be in [1, 16384], got " + maxHeight);
            }
            if (startTimeNs < 0) {
                throw new IllegalArgumentException("startTimeNs must be >= 0, got " + startTimeNs);
            }
            if (leadNs < 0 || leadNs > MAX_LEAD_NS) {
                throw new IllegalArgumentException("leadNs must be in [0, " + MAX_LEAD_NS + "], got " + leadNs);
            }
            if (maxQueuedBytes < 64 * 1024) {
                throw new IllegalArgumentException("maxQueuedBytes must be >= 65536, got " + maxQueuedBytes);
            }
            return new SessionSpec(this);
        }
    }
}
