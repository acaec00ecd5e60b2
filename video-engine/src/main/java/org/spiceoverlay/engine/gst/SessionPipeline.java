package org.spiceoverlay.engine.gst;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.freedesktop.gstreamer.Bin;
import org.freedesktop.gstreamer.Caps;
import org.freedesktop.gstreamer.Element;
import org.freedesktop.gstreamer.ElementFactory;
import org.freedesktop.gstreamer.Pad;
import org.freedesktop.gstreamer.PadProbeReturn;
import org.freedesktop.gstreamer.PadProbeType;
import org.freedesktop.gstreamer.Pipeline;
import org.freedesktop.gstreamer.elements.AppSink;
import org.freedesktop.gstreamer.elements.AppSrc;
import org.freedesktop.gstreamer.glib.NativeObject;
import org.freedesktop.gstreamer.query.LatencyQuery;
import org.spiceoverlay.engine.EngineErrorCode;
import org.spiceoverlay.engine.EngineException;
import org.spiceoverlay.engine.Pacing;
import org.spiceoverlay.engine.SessionSpec;
import org.spiceoverlay.engine.SourceType;

/**
 * A decode session's pipeline, assembled element by element (never from a launch string, so
 * nothing a guest sends is parsed as pipeline syntax), by source type:
 * <pre>
 *  SAMPLES  appsrc(video caps) ! decodebin ─┐                       (audio: appsrc ! decodebin ! audio chain)
 *  BYTES    appsrc(container)  ! decodebin ─┤ videoconvert ! appsink(format, size limit)
 *  URI      uridecodebin ───────────────────┘        audio chain: audioconvert ! audioresample ! scaletempo ! volume ! sink
 * </pre>
 * It keeps every wrapper it made and every probed pad, and releases them all at once in
 * {@link #dispose()}.
 *
 * <p>Threads: built on the opening thread; {@link #discardSink()} from streaming threads;
 * {@link #dispose()} once, after the pipeline is stopped.
 */
final class SessionPipeline {

    /** Input queue indexes ({@link InputLevel}). */
    static final int Q_VIDEO = 0;

    static final int Q_AUDIO = 1;
    static final int Q_BYTES = 2;
    /** appsrc's own limit sits above ours: ours refuses with a typed error first. */
    private static final long APPSRC_SLACK = 4L << 20;

    final Pipeline pipeline;
    final AppSrc videoSrc;
    final AppSrc audioSrc;
    final AppSrc bytesSrc;
    final AppSink appSink;
    final Element videoConvert;
    /** The audio chain's first element, or null when the session plays no audio. */
    final Element audioHead;
    /** The audio chain's volume, or null. */
    final Element volume;

    private final SessionSpec spec;
    /**
     * Every element wrapper made here: each holds a native reference until it is disposed, which
     * would keep decoders and their buffer pools alive until garbage collection.
     */
    private final List<NativeObject> wrappers = Collections.synchronizedList(new ArrayList<>());
    /** Pads carrying probes: their wrappers own the native callbacks, so they must stay reachable. */
    private final List<Pad> probedPads = Collections.synchronizedList(new ArrayList<>());
    // Strong references: GStreamer holds only native pointers to these callbacks.
    private final AppSrc.SEEK_DATA seekData = (src, offset) -> true;
    private final Pad.PROBE audioProbe;
    private final Pad.PROBE[] leftProbes = new Pad.PROBE[3];
    private final Bin.DEEP_ELEMENT_ADDED lowLatencyDecoders;

    /**
     * Builds the pipeline for {@code spec}.
     *
     * @param padAdded where decodebin's new pads go (the session links them)
     * @param level counts the bytes that leave each appsrc
     * @param audioBuffers counts the audio buffers played
     */
    SessionPipeline(
            SessionSpec spec,
            Supplier<AudioOutput> audioOutput,
            URI uri,
            Element.PAD_ADDED padAdded,
            InputLevel level,
            AtomicLong audioBuffers)
            throws EngineException {
        this.spec = spec;
        pipeline = new Pipeline("session-" + spec.name());
        boolean clock = spec.pacing() == Pacing.CLOCK;

        // Video output: videoconvert ! appsink; the caps bound the size a bitstream can make us allocate.
        videoConvert = make("videoconvert", "vconvert");
        appSink = (AppSink) make("appsink", "vsink");
        appSink.setCaps(Caps.fromString(
                "video/x-raw, format=(string)" + spec.outputFormat().gstName() + ", width=(int)[1," + spec.maxWidth()
                        + "], height=(int)[1," + spec.maxHeight() + "]"));
        appSink.set("sync", clock);
        appSink.set("emit-signals", true);
        appSink.set("enable-last-sample", false);
        appSink.set("max-buffers", 2);
        appSink.set("drop", false);
        // No QoS feedback: decoders would skip frames before they are decoded, uncounted (at start-up
        // too, while frame-threaded decoders fill up). The sink itself drops a frame only when it is
        // over 40 ms late, and that shows in framesLate.
        appSink.set("qos", false);
        appSink.set("max-lateness", clock ? 40_000_000L : -1L);
        pipeline.addMany(videoConvert, appSink);
        link(videoConvert, appSink);

        // Audio output chain, when this session plays audio.
        if (spec.audio() && (spec.source() != SourceType.SAMPLES || spec.audioCaps() != null)) {
            Element convert = make("audioconvert", "aconvert");
            Element resample = make("audioresample", "aresample");
            Element tempo = make("scaletempo", "atempo");
            volume = make("volume", "avolume");
            Element out = audioOutput.get().create(clock);
            wrappers.add(out);
            pipeline.addMany(convert, resample, tempo, volume, out);
            link(convert, resample);
            link(resample, tempo);
            link(tempo, volume);
            link(volume, out);
            audioHead = convert;
            audioProbe = (pad, info) -> {
                audioBuffers.incrementAndGet();
                return PadProbeReturn.OK;
            };
            probe(volume.getStaticPad("src")).addProbe(PadProbeType.BUFFER, audioProbe);
        } else {
            volume = null;
            audioHead = null;
            audioProbe = null;
        }

        boolean anchored = spec.leadNs() > 0 && clock;
        if (spec.lowLatency() || anchored) {
            lowLatencyDecoders = (bin, subBin, element) -> {
                org.freedesktop.gstreamer.ElementFactory f = element.getFactory();
                List<String> properties = element.listPropertyNames();
                if (spec.lowLatency()
                        && f != null
                        && f.getName().startsWith("avdec_")
                        && properties.contains("thread-type")) {
                    // libav decoders default to frame threading, which holds a frame per thread before
                    // the first output (~100 ms at 30 fps here); slice threading outputs each frame when done.
                    element.setAsString("thread-type", "slice");
                }
                if (anchored && properties.contains("provide-clock")) {
                    // An anchored start (StartAnchor) is timed on the monotonic system clock; a sound
                    // server's clock stands still until its buffer has filled, which put the picture
                    // hundreds of ms behind the anchor. The audio sink follows the system clock instead.
                    element.set("provide-clock", false);
                }
            };
            pipeline.connect(lowLatencyDecoders);
        } else {
            lowLatencyDecoders = null;
        }
        AppSrc vsrc = null;
        AppSrc asrc = null;
        AppSrc bsrc = null;
        switch (spec.source()) {
            case SAMPLES -> {
                vsrc = timedSource("vsrc", spec.videoCaps());
                decodeFrom(vsrc, "vdecode", padAdded);
                if (audioHead != null) {
                    asrc = timedSource("asrc", spec.audioCaps());
                    decodeFrom(asrc, "adecode", padAdded);
                }
            }
            case BYTES -> {
                bsrc = (AppSrc) make("appsrc", "bsrc");
                bsrc.setAsString("format", "bytes");
                bsrc.setStreamType(AppSrc.StreamType.STREAM);
                bsrc.setMaxBytes(spec.maxQueuedBytes() + APPSRC_SLACK);
                bsrc.set("block", false);
                if (spec.containerCaps() != null) {
                    bsrc.setCaps(parseCaps(spec.containerCaps(), "containerCaps"));
                }
                decodeFrom(bsrc, "decode", padAdded);
            }
            case URI -> {
                Element dec = make("uridecodebin", "uridecode");
                dec.set("uri", uri.toString());
                pipeline.add(dec);
                dec.connect(padAdded);
            }
            default -> throw new EngineException(EngineErrorCode.INVALID_ARGUMENT, "source " + spec.source());
        }
        videoSrc = vsrc;
        audioSrc = asrc;
        bytesSrc = bsrc;
        AppSrc[] sources = {vsrc, asrc, bsrc};
        for (int q = 0; q < sources.length; q++) {
            if (sources[q] != null) {
                int queue = q;
                leftProbes[q] = (pad, info) -> {
                    level.left(queue);
                    return PadProbeReturn.OK;
                };
                probe(sources[q].getStaticPad("src")).addProbe(PadProbeType.BUFFER, leftProbes[q]);
            }
        }
    }

    private void decodeFrom(AppSrc src, String name, Element.PAD_ADDED padAdded) throws EngineException {
        Element dec = make("decodebin", name);
        pipeline.addMany(src, dec);
        link(src, dec);
        dec.connect(padAdded);
    }

    private AppSrc timedSource(String name, String caps) throws EngineException {
        AppSrc src = (AppSrc) make("appsrc", name);
        src.setCaps(parseCaps(caps, name.equals("vsrc") ? "videoCaps" : "audioCaps"));
        src.setAsString("format", "time");
        // Seekable so that a flushing seek reaches it; the data for the new position is pushed by the caller.
        src.setStreamType(AppSrc.StreamType.SEEKABLE);
        src.setMaxBytes(spec.maxQueuedBytes() + APPSRC_SLACK);
        src.set("block", false);
        src.connect(seekData);
        return src;
    }

    /**
     * How the moment now stands to the first sample's arrival ({@code firstArrivalNanos}, 0 when
     * none yet) and the pipeline's latency, for the log. Hold the pipeline alive while calling.
     */
    String timing(long firstArrivalNanos) {
        LatencyQuery q = new LatencyQuery();
        try {
            boolean ok = pipeline.query(q);
            return String.format(
                    Locale.ROOT,
                    "%.0f ms after the first sample arrived; pipeline latency %s",
                    firstArrivalNanos == 0 ? Double.NaN : (System.nanoTime() - firstArrivalNanos) / 1e6,
                    ok ? String.format(Locale.ROOT, "%.0f ms", q.getMinimumLatency() / 1e6) : "unknown");
        } finally {
            q.dispose();
        }
    }

    /** What the session decodes, for messages. */
    static String describe(SessionSpec spec) {
        return switch (spec.source()) {
            case SAMPLES -> "caps " + spec.videoCaps() + (spec.audioCaps() != null ? " / " + spec.audioCaps() : "");
            case BYTES -> spec.containerCaps() != null ? "container " + spec.containerCaps() : "container bytes";
            case URI -> "URI source";
        };
    }

    /** One fixed media type, or INVALID_ARGUMENT naming {@code field}. */
    static Caps parseCaps(String caps, String field) throws EngineException {
        Caps c;
        try {
            c = Caps.fromString(caps);
        } catch (RuntimeException e) {
            c = null;
        }
        if (c == null || c.isEmpty() || c.isAny() || c.size() != 1) {
            throw new EngineException(
                    EngineErrorCode.INVALID_ARGUMENT, field + " \"" + caps + "\" is not one fixed media type");
        }
        return c;
    }

    private Element make(String factory, String name) throws EngineException {
        Element e = ElementFactory.make(factory, name);
        if (e == null) {
            throw new EngineException(
                    EngineErrorCode.RESOURCE_UNAVAILABLE,
                    "GStreamer element \"" + factory
                            + "\" is missing; install the GStreamer plugins (./overlay setup)");
        }
        wrappers.add(e);
        return e;
    }

    private static void link(Element a, Element b) throws EngineException {
        if (!a.link(b)) {
            throw new EngineException(EngineErrorCode.INTERNAL, "could not link " + a.getName() + " to " + b.getName());
        }
    }

    /** Keeps {@code pad} (which will carry a probe) reachable until {@link #dispose()}; returns it. */
    Pad probe(Pad pad) {
        probedPads.add(pad);
        return pad;
    }

    /**
     * A sink that takes a stream this session does not show (a second video, audio when muted at the
     * source): it still has to flow, or the demuxer stops with not-linked. Streaming threads.
     */
    Element discardSink() {
        Element discard = ElementFactory.make("fakesink", null);
        wrappers.add(discard);
        discard.set("sync", false);
        discard.set("async", false);
        pipeline.add(discard);
        discard.syncStateWithParent();
        return discard;
    }

    /** Drops every native reference, so the pipeline and everything in it is freed at once. */
    void dispose() {
        synchronized (probedPads) {
            probedPads.forEach(NativeObject::dispose);
        }
        synchronized (wrappers) {
            wrappers.forEach(NativeObject::dispose);
            wrappers.clear();
        }
        pipeline.dispose();
    }
}
