package org.spiceoverlay.guest;

import java.util.Objects;

/**
 * What a new stream is: for {@link OverlayGuest#createSamplesStream} the video caps (and optional
 * audio caps) of the elementary tracks the player demuxed; for {@link OverlayGuest#createBytesStream}
 * the container caps, if known. Both: where the video starts on screen, timing, audio on the client
 * or not, start paused, a title for logs. Built with {@link #samples(String, GuestGeometry)} or
 * {@link #bytes(String, GuestGeometry)}.
 *
 * <p>Immutable; safe to share between threads.
 */
public final class StreamOptions {

    /** The longest lead a client takes (10 s), as the protocol says. */
    public static final long MAX_LEAD_NS = 10_000_000_000L;

    private final String videoCaps;
    private final String audioCaps;
    private final String containerCaps;
    private final GuestGeometry geometry;
    private final GuestTiming timing;
    private final long startTimeNs;
    private final long leadNs;
    private final long durationNs;
    private final boolean audio;
    private final boolean startPaused;
    private final String title;

    private StreamOptions(Builder b) {
        this.videoCaps = b.videoCaps;
        this.audioCaps = b.audioCaps;
        this.containerCaps = b.containerCaps;
        this.geometry = b.geometry;
        this.timing = b.timing;
        this.startTimeNs = b.startTimeNs;
        this.leadNs = b.leadNs;
        this.durationNs = b.durationNs;
        this.audio = b.audio;
        this.startPaused = b.startPaused;
        this.title = b.title;
    }

    /** A PUSH_SAMPLES stream with this video track (full GStreamer caps, e.g. with codec_data). */
    public static Builder samples(String videoCaps, GuestGeometry geometry) {
        if (videoCaps == null || videoCaps.isBlank()) {
            throw new IllegalArgumentException("videoCaps must be non-empty caps, e.g. \"video/x-h264, ...\"");
        }
        Builder b = new Builder(geometry);
        b.videoCaps = videoCaps;
        return b;
    }

    /** A PUSH_BYTES stream; {@code containerCaps} may be null (the client detects the container). */
    public static Builder bytes(String containerCaps, GuestGeometry geometry) {
        Builder b = new Builder(geometry);
        b.containerCaps = containerCaps;
        return b;
    }

    /** The video track's caps, or null for a bytes stream. */
    public String videoCaps() {
        return videoCaps;
    }

    /** The audio track's caps, or null when the stream has no audio track. */
    public String audioCaps() {
        return audioCaps;
    }

    /** The container's caps for a bytes stream, or null. */
    public String containerCaps() {
        return containerCaps;
    }

    public GuestGeometry geometry() {
        return geometry;
    }

    public GuestTiming timing() {
        return timing;
    }

    /** The pts of the media's first frame (media time = pts - startTimeNs). */
    public long startTimeNs() {
        return startTimeNs;
    }

    /** BUFFERED: how far ahead of its time each sample is sent, or 0 when not said. */
    public long leadNs() {
        return leadNs;
    }

    /** Total duration, or -1 when unknown. */
    public long durationNs() {
        return durationNs;
    }

    /** Whether the client plays the audio (false: the player plays it itself). */
    public boolean audio() {
        return audio;
    }

    public boolean startPaused() {
        return startPaused;
    }

    /** Free text for the client's logs, or null. */
    public String title() {
        return title;
    }

    @Override
    public String toString() {
        return "StreamOptions["
                + (videoCaps != null
                        ? "video " + videoCaps + (audioCaps != null ? ", audio " + audioCaps : "")
                        : "container " + containerCaps)
                + ", " + timing + ", " + geometry
                + (startPaused ? ", paused" : "") + (title != null ? ", \"" + title + "\"" : "") + "]";
    }

    /** Builds {@link StreamOptions}. Not thread-safe. */
    public static final class Builder {
        private String videoCaps;
        private String audioCaps;
        private String containerCaps;
        private final GuestGeometry geometry;
        private GuestTiming timing = GuestTiming.BUFFERED;
        private long startTimeNs;
        private long leadNs;
        private long durationNs = -1;
        private boolean audio = true;
        private boolean startPaused;
        private String title;

        private Builder(GuestGeometry geometry) {
            this.geometry = Objects.requireNonNull(geometry, "geometry");
        }

        /** Adds an audio track (samples streams only). */
        public Builder audioCaps(String caps) {
            if (videoCaps == null) {
                throw new IllegalStateException(
                        "audioCaps is for samples streams; a bytes stream's audio is in its container");
            }
            if (caps != null && caps.isBlank()) {
                throw new IllegalArgumentException("audioCaps must be null (no audio track) or non-empty caps");
            }
            this.audioCaps = caps;
            return this;
        }

        public Builder timing(GuestTiming mode) {
            this.timing = Objects.requireNonNull(mode, "timing");
            return this;
        }

        public Builder startTimeNs(long ns) {
            if (ns < 0) {
                throw new IllegalArgumentException("startTimeNs must be >= 0, got " + ns);
            }
            this.startTimeNs = ns;
            return this;
        }

        /**
         * BUFFERED: how far ahead of its time the player sends each sample. Told to the client, which
         * then shows the media's time 0 this long after the first sample arrived, and every frame on
         * that clock (the picture stays this far behind the player's own clock). 0 (the default):
         * not said; the client starts as soon as it can.
         */
        public Builder leadNs(long ns) {
            if (ns < 0 || ns > MAX_LEAD_NS) {
                throw new IllegalArgumentException("leadNs must be in [0, " + MAX_LEAD_NS + "], got " + ns);
            }
            this.leadNs = ns;
            return this;
        }

        public Builder durationNs(long ns) {
            if (ns < -1) {
                throw new IllegalArgumentException("durationNs must be >= 0, or -1 for unknown, got " + ns);
            }
            this.durationNs = ns;
            return this;
        }

        public Builder audio(boolean onClient) {
            this.audio = onClient;
            return this;
        }

        public Builder startPaused(boolean paused) {
            this.startPaused = paused;
            return this;
        }

        public Builder title(String text) {
            this.title = text;
            return this;
        }

        public StreamOptions build() {
            return new StreamOptions(this);
        }
    }
}
