package org.spiceoverlay.samples.bench;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The ways of showing a guest's video that the benchmark compares, each run on its own fresh
 * scene: {@code redirect} (the product), {@code hairpin} (the video decoded in the guest and sent by
 * the Spice server as screen updates, as today), {@code local} (played on the client's own display).
 *
 * <p>Immutable; any thread.
 */
public enum BenchMode {

    /** The sample player sends the compressed clip; the client presents it on its clock. */
    REDIRECT_BUFFERED("redirect-buffered", "redirect", "BUFFERED", null, null, null),
    /** The same, each frame shown as soon as it is decoded. */
    REDIRECT_LIVE("redirect-live", "redirect", "LIVE", null, null, null),
    /** A plain player in the guest; the Spice server's default streaming setting (filter). */
    HAIRPIN_FILTER("hairpin-filter", "hairpin", null, "filter", null, "ximagesink"),
    /** A plain player in the guest; the server made to stream every video region as MJPEG. */
    HAIRPIN_MJPEG("hairpin-mjpeg", "hairpin", null, "all", "spice:mjpeg", "ximagesink"),
    /** As hairpin-mjpeg, with the server's GStreamer H.264 encoder (opt-in: {@code --modes hairpin-h264}). */
    HAIRPIN_H264("hairpin-h264", "hairpin-gstreamer", null, "all", "gstreamer:h264", "ximagesink"),
    /** As hairpin-mjpeg, with the server's GStreamer VP8 encoder (opt-in: {@code --modes hairpin-vp8}). */
    HAIRPIN_VP8("hairpin-vp8", "hairpin-gstreamer", null, "all", "gstreamer:vp8", "ximagesink"),
    /** A plain player on the client display drawing through X images. */
    LOCAL_XIMAGE("local-ximagesink", "local", null, null, null, "ximagesink"),
    /** A plain player on the client display drawing through OpenGL (software GL without a GPU). */
    LOCAL_GL("local-glimagesink", "local", null, null, null, "glimagesink");

    private final String label;
    private final String group;
    private final String timing;
    private final String streamingVideo;
    private final String videoCodecs;
    private final String sink;

    BenchMode(String label, String group, String timing, String streamingVideo, String videoCodecs, String sink) {
        this.label = label;
        this.group = group;
        this.timing = timing;
        this.streamingVideo = streamingVideo;
        this.videoCodecs = videoCodecs;
        this.sink = sink;
    }

    public String label() {
        return label;
    }

    /** redirect, hairpin, hairpin-gstreamer or local. */
    public String group() {
        return group;
    }

    public boolean redirect() {
        return group.equals("redirect");
    }

    public boolean hairpin() {
        return group.startsWith("hairpin");
    }

    public boolean local() {
        return group.equals("local");
    }

    /** The redirect player's timing mode; null for the others. */
    public String timing() {
        return timing;
    }

    /** The Spice server's SpiceStreamingVideo for hairpin modes; null for the others. */
    public String streamingVideo() {
        return streamingVideo;
    }

    /** The Spice server's SpiceVideoCodecs for hairpin modes (null: the server's own list). */
    public String videoCodecs() {
        return videoCodecs;
    }

    /** The plain player's video sink; null for redirect. */
    public String sink() {
        return sink;
    }

    /**
     * The modes a {@code --modes} list names: groups ({@code redirect}, {@code hairpin},
     * {@code local}) or single modes by label, in the enum's order.
     *
     * @throws IllegalArgumentException naming an unknown entry and what is known
     */
    public static List<BenchMode> parse(List<String> names) {
        Set<BenchMode> chosen = new LinkedHashSet<>();
        for (String raw : names) {
            String name = raw.trim().toLowerCase(Locale.ROOT);
            boolean matched = false;
            for (BenchMode m : values()) {
                if (m.label.equals(name) || m.group.equals(name)) {
                    chosen.add(m);
                    matched = true;
                }
            }
            if (!matched) {
                List<String> known = new ArrayList<>(List.of("redirect", "hairpin", "local"));
                for (BenchMode m : values()) {
                    known.add(m.label);
                }
                throw new IllegalArgumentException("unknown mode '" + raw + "'; known: " + String.join(", ", known));
            }
        }
        List<BenchMode> out = new ArrayList<>();
        for (BenchMode m : values()) {
            if (chosen.contains(m)) {
                out.add(m);
            }
        }
        return out;
    }
}
