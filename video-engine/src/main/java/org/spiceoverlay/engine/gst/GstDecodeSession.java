package org.spiceoverlay.engine.gst;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.freedesktop.gstreamer.Buffer;
import org.freedesktop.gstreamer.BufferFlags;
import org.freedesktop.gstreamer.Bus;
import org.freedesktop.gstreamer.Caps;
import org.freedesktop.gstreamer.Element;
import org.freedesktop.gstreamer.ElementFactory;
import org.freedesktop.gstreamer.FlowReturn;
import org.freedesktop.gstreamer.Format;
import org.freedesktop.gstreamer.GstObject;
import org.freedesktop.gstreamer.Pad;
import org.freedesktop.gstreamer.PadProbeReturn;
import org.freedesktop.gstreamer.Pipeline;
import org.freedesktop.gstreamer.Sample;
import org.freedesktop.gstreamer.State;
import org.freedesktop.gstreamer.Structure;
import org.freedesktop.gstreamer.elements.AppSink;
import org.freedesktop.gstreamer.elements.AppSrc;
import org.freedesktop.gstreamer.event.SeekFlags;
import org.freedesktop.gstreamer.event.SeekType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spiceoverlay.api.VideoFrame;
import org.spiceoverlay.api.thrift.ErrorCode;
import org.spiceoverlay.engine.DecodeSession;
import org.spiceoverlay.engine.EncodedSample;
import org.spiceoverlay.engine.EngineError;
import org.spiceoverlay.engine.EngineException;
import org.spiceoverlay.engine.FrameSink;
import org.spiceoverlay.engine.LatencyRecorder;
import org.spiceoverlay.engine.Pacing;
import org.spiceoverlay.engine.SeekMode;
import org.spiceoverlay.engine.SessionListener;
import org.spiceoverlay.engine.SessionSpec;
import org.spiceoverlay.engine.SessionState;
import org.spiceoverlay.engine.SessionStats;
import org.spiceoverlay.engine.SourceType;

/**
 * A GStreamer decode session. The pipeline, by source type:
 * <pre>
 *  SAMPLES  appsrc(video caps) ! decodebin ─┐                       (audio: appsrc ! decodebin ! audio chain)
 *  BYTES    appsrc(container)  ! decodebin ─┤ videoconvert ! appsink(format, size limit)
 *  URI      uridecodebin ───────────────────┘        audio chain: audioconvert ! audioresample ! scaletempo ! volume ! sink
 * </pre>
 * Elements are created one by one (never from a launch string), so nothing a guest sends is parsed
 * as pipeline syntax. SAMPLES appsrcs run in time format and are seekable: a flushing seek empties
 * them and the caller pushes again from the new position, with the segment (start, rate) doing
 * accurate clipping and rate on the clock.
 *
 * <p>Threads: GStreamer callbacks (new-sample, pad-added, bus) do their minimum and hand events to
 * the session's single event thread, where the listener is called. See {@link DecodeSession} for
 * the callers' side.
 */
final class GstDecodeSession implements DecodeSession {

    private static final Logger LOG = LoggerFactory.getLogger(GstDecodeSession.class);

    /** Pts → arrival time entries kept for decode-latency matching (bounded, oldest evicted). */
    private static final int TIMING_ENTRIES = 1024;
    private static final long POSITION_PERIOD_MS = 500;
    /** appsrc's own limit sits above ours: ours refuses with a typed error first. */
    private static final long APPSRC_SLACK = 4L << 20;

    private final SessionSpec spec;
    private final FrameSink sink;
    private final SessionListener listener;
    private final ScheduledExecutorService events;
    private final ScheduledFuture<?> positionTask;
    private volatile Thread eventThread;

    private final Pipeline pipeline;
    private final Bus bus;
    private final AppSrc videoSrc;
    private final AppSrc audioSrc;
    private final AppSrc bytesSrc;
    private final AppSink appSink;
    private final Element videoConvert;
    private final Element audioHead;
    private final Element volume;

    // Strong references: GStreamer holds only native pointers to these callbacks.
    private final Element.PAD_ADDED padAdded;
    private final AppSink.NEW_SAMPLE newSample;
    private final Pad.DATA_PROBE decodedProbe;
    private final Pad.EVENT_PROBE flushDone;
    private final AppSrc.SEEK_DATA seekData;
    private final Bus.ERROR busError;
    private final Bus.WARNING busWarning;
    private final Bus.EOS busEos;
    private final Bus.STATE_CHANGED busState;
    private final Bus.BUFFERING busBuffering;

    private final Object control = new Object();
    /** Held from the flushing check to the hand-off, so a flush can wait out a delivery in progress. */
    private final Object delivery = new Object();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean flushing;
    /** After an accurate seek: frames presented before this pts are decoded but not delivered. */
    private volatile long showFromPts = -1;
    private volatile boolean targetPlaying;
    private volatile SessionState state = SessionState.PREROLLING;
    private volatile boolean videoLinked;
    private volatile boolean audioLinked;
    /** The caps {@link #cachedCaps} was parsed from; only the streaming thread touches it. */
    private Caps cachedCapsKey;
    private volatile SampleFrames.RawVideoCaps cachedCaps;

    private final AtomicLong samplesReceived = new AtomicLong();
    private final AtomicLong bytesReceived = new AtomicLong();
    private final AtomicLong framesDecoded = new AtomicLong();
    private final AtomicLong framesDelivered = new AtomicLong();
    private final AtomicLong framesOpen = new AtomicLong();
    private final AtomicLong audioBuffers = new AtomicLong();
    private final Pad.PROBE audioProbe;
    private final org.freedesktop.gstreamer.Bin.DEEP_ELEMENT_ADDED lowLatencyDecoders;
    private final LatencyRecorder decodeLatency = new LatencyRecorder(2048);
    /** Queue indexes into {@link #level}. */
    private static final int Q_VIDEO = 0;
    private static final int Q_AUDIO = 1;
    private static final int Q_BYTES = 2;
    private final InputLevel level = new InputLevel(3);
    private final Pad.PROBE[] leftProbes = new Pad.PROBE[3];
    /**
     * Every element wrapper this session made: each holds a native reference until it is
     * disposed, which would keep decoders and their buffer pools alive until garbage collection.
     */
    private final java.util.List<org.freedesktop.gstreamer.glib.NativeObject> wrappers =
            java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    /** Pads carrying our probes: their wrappers own the native callbacks, so they must stay reachable. */
    private final java.util.List<Pad> probedPads = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    private final Map<Long, Long> receivedByPts = boundedMap();
    private final Map<Long, Long> decodedByPts = boundedMap();

    GstDecodeSession(SessionSpec spec, FrameSink sink, SessionListener listener,
            java.util.function.Supplier<AudioOutput> audioOutput, java.net.URI uri) throws EngineException {
        this.spec = spec;
        this.sink = sink;
        this.listener = listener;
        this.events = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "engine-events-" + spec.name());
            t.setDaemon(true);
            eventThread = t;
            return t;
        });

        pipeline = new Pipeline("session-" + spec.name());
        boolean wantAudio = spec.audio();

        // Video output: videoconvert ! appsink; the caps bound the size a bitstream can make us allocate.
        videoConvert = make("videoconvert", "vconvert");
        appSink = (AppSink) make("appsink", "vsink");
        appSink.setCaps(Caps.fromString("video/x-raw, format=(string)" + spec.outputFormat().gstName()
                + ", width=(int)[1," + spec.maxWidth() + "], height=(int)[1," + spec.maxHeight() + "]"));
        boolean clock = spec.pacing() == Pacing.CLOCK;
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
        if (wantAudio && (spec.source() != SourceType.SAMPLES || spec.audioCaps() != null)) {
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
            Pad played = volume.getStaticPad("src");
            probedPads.add(played);
            played.addProbe(org.freedesktop.gstreamer.PadProbeType.BUFFER, audioProbe);
        } else {
            volume = null;
            audioHead = null;
            audioProbe = null;
        }

        if (spec.lowLatency()) {
            // libav decoders default to frame threading, which holds a frame per thread before the
            // first output (~100 ms at 30 fps here); slice threading outputs each frame when done.
            lowLatencyDecoders = (bin, subBin, element) -> {
                org.freedesktop.gstreamer.ElementFactory f = element.getFactory();
                if (f != null && f.getName().startsWith("avdec_")
                        && element.listPropertyNames().contains("thread-type")) {
                    element.setAsString("thread-type", "slice");
                }
            };
            pipeline.connect(lowLatencyDecoders);
        } else {
            lowLatencyDecoders = null;
        }
        padAdded = this::onPadAdded;
        seekData = (src, offset) -> true;
        AppSrc vsrc = null;
        AppSrc asrc = null;
        AppSrc bsrc = null;
        switch (spec.source()) {
            case SAMPLES -> {
                vsrc = timedSource("vsrc", spec.videoCaps());
                Element vdec = make("decodebin", "vdecode");
                pipeline.addMany(vsrc, vdec);
                link(vsrc, vdec);
                vdec.connect(padAdded);
                if (audioHead != null) {
                    asrc = timedSource("asrc", spec.audioCaps());
                    Element adec = make("decodebin", "adecode");
                    pipeline.addMany(asrc, adec);
                    link(asrc, adec);
                    adec.connect(padAdded);
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
                Element dec = make("decodebin", "decode");
                pipeline.addMany(bsrc, dec);
                link(bsrc, dec);
                dec.connect(padAdded);
            }
            case URI -> {
                Element dec = make("uridecodebin", "uridecode");
                dec.set("uri", uri.toString());
                pipeline.add(dec);
                dec.connect(padAdded);
            }
            default -> throw new EngineException(ErrorCode.INVALID_ARGUMENT, "source " + spec.source());
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
                Pad srcPad = sources[q].getStaticPad("src");
                probedPads.add(srcPad);
                srcPad.addProbe(org.freedesktop.gstreamer.PadProbeType.BUFFER, leftProbes[q]);
            }
        }

        decodedProbe = (pad, buffer) -> {
            framesDecoded.incrementAndGet();
            long pts = buffer.getPresentationTimestamp();
            buffer.dispose();
            if (pts >= 0) {
                synchronized (decodedByPts) {
                    decodedByPts.put(pts, System.nanoTime());
                }
            }
            return PadProbeReturn.OK;
        };
        Pad sinkPad = appSink.getStaticPad("sink");
        probedPads.add(sinkPad);
        sinkPad.addDataProbe(decodedProbe);
        flushDone = (pad, event) -> {
            if (SegmentReader.readAndRelease(event) != null && flushing) {
                // The segment for the new position: frames after it belong there.
                flushing = false;
            }
            return PadProbeReturn.OK;
        };
        sinkPad.addEventProbe(flushDone);
        newSample = this::onNewSample;
        appSink.connect(newSample);

        bus = pipeline.getBus();
        // Bus messages may still be dispatched after close: every handler checks first, and reads
        // nothing from a disposed object.
        busError = (source, code, message) -> {
            if (!closed.get()) {
                String where = nameOf(source);
                boolean network = isNetworkSource(source);
                post(() -> onBusError(where, network, message));
            }
        };
        busWarning = (source, code, message) -> {
            if (!closed.get()) {
                LOG.warn("{}: {}: {}", spec.name(), nameOf(source), message);
            }
        };
        busEos = source -> post(this::onBusEos);
        busState = (source, old, current, pending) -> {
            if (!closed.get() && source == pipeline) {
                post(() -> onPipelineState(current));
            }
        };
        busBuffering = (source, percent) -> post(() -> listener.onBuffering(percent));
        bus.connect(busError);
        bus.connect(busWarning);
        bus.connect(busEos);
        bus.connect(busState);
        bus.connect(busBuffering);

        positionTask = events.scheduleAtFixedRate(this::reportPosition, POSITION_PERIOD_MS, POSITION_PERIOD_MS,
                TimeUnit.MILLISECONDS);
        LOG.debug("{}: opened {}", spec.name(), spec);
        if (spec.startPaused()) {
            pause();
        } else {
            play();
        }
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

    static Caps parseCaps(String caps, String field) throws EngineException {
        Caps c;
        try {
            c = Caps.fromString(caps);
        } catch (RuntimeException e) {
            c = null;
        }
        if (c == null || c.isEmpty() || c.isAny() || c.size() != 1) {
            throw new EngineException(ErrorCode.INVALID_ARGUMENT, field + " \"" + caps + "\" is not one fixed media type");
        }
        return c;
    }

    private Element make(String factory, String name) throws EngineException {
        Element e = ElementFactory.make(factory, name);
        if (e != null) {
            wrappers.add(e);
        }
        if (e == null) {
            throw new EngineException(ErrorCode.RESOURCE_UNAVAILABLE,
                    "GStreamer element \"" + factory + "\" is missing; install the GStreamer plugins (./overlay setup)");
        }
        return e;
    }

    private static void link(Element a, Element b) throws EngineException {
        if (!a.link(b)) {
            throw new EngineException(ErrorCode.INTERNAL, "could not link " + a.getName() + " to " + b.getName());
        }
    }

    private static Map<Long, Long> boundedMap() {
        return new LinkedHashMap<>(64, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Long> eldest) {
                return size() > TIMING_ENTRIES;
            }
        };
    }

    // ---- GStreamer callbacks: streaming threads; hand off, never throw ------------------------

    private void onPadAdded(Element element, Pad pad) {
        try {
            Caps caps = pad.getCurrentCaps();
            if (caps == null) {
                caps = pad.queryCaps(null);
            }
            Structure s = caps == null || caps.size() == 0 ? null : caps.getStructure(0);
            String media = s == null ? "" : s.getName();
            if (media.startsWith("video/") && !videoLinked) {
                if (s.hasIntField("width") && s.hasIntField("height")
                        && (s.getInteger("width") > spec.maxWidth() || s.getInteger("height") > spec.maxHeight())) {
                    String msg = "the stream decodes to " + s.getInteger("width") + "x" + s.getInteger("height")
                            + ", over this client's limit of " + spec.maxWidth() + "x" + spec.maxHeight();
                    post(() -> fail(ErrorCode.LIMIT_EXCEEDED, msg));
                    return;
                }
                pad.link(videoConvert.getStaticPad("sink"));
                videoLinked = true;
            } else if (media.startsWith("audio/") && audioHead != null && !audioLinked) {
                pad.link(audioHead.getStaticPad("sink"));
                audioLinked = true;
            } else {
                // Streams this session does not show (a second video, audio when muted at the source)
                // still have to flow, or the demuxer stops with not-linked.
                Element discard = ElementFactory.make("fakesink", null);
                wrappers.add(discard);
                discard.set("sync", false);
                discard.set("async", false);
                pipeline.add(discard);
                discard.syncStateWithParent();
                pad.link(discard.getStaticPad("sink"));
            }
        } catch (RuntimeException e) {
            String msg = "could not connect a decoded stream: " + e.getMessage();
            post(() -> fail(ErrorCode.INTERNAL, msg));
        }
    }

    private FlowReturn onNewSample(AppSink elem) {
        Sample sample = elem.pullSample();
        if (sample == null) {
            return FlowReturn.OK;
        }
        synchronized (delivery) {
            return deliver(sample);
        }
    }

    private FlowReturn deliver(Sample sample) {
        if (closed.get() || flushing) {
            sample.dispose();
            return FlowReturn.OK;
        }
        VideoFrame frame;
        SampleFrames.RawVideoCaps caps;
        try {
            caps = capsOf(sample);
        } catch (RuntimeException e) {
            sample.dispose();
            String msg = "decoded frames have caps this client cannot show: " + e.getMessage();
            post(() -> report(new EngineError(ErrorCode.DECODE_ERROR, msg, false)));
            return FlowReturn.OK;
        }
        Buffer buffer = sample.getBuffer();
        long clip = showFromPts;
        if (clip >= 0) {
            if (beforeSeekTarget(buffer, caps.frameDurationNs(), clip)) {
                buffer.dispose();
                sample.dispose();
                return FlowReturn.OK;
            }
            showFromPts = -1;
        }
        try {
            long pts = buffer.getPresentationTimestamp();
            long received = VideoFrame.NO_TIME;
            long decoded = VideoFrame.NO_TIME;
            if (pts >= 0) {
                synchronized (receivedByPts) {
                    Long r = receivedByPts.remove(pts);
                    received = r == null ? VideoFrame.NO_TIME : r;
                }
                synchronized (decodedByPts) {
                    Long d = decodedByPts.remove(pts);
                    decoded = d == null ? System.nanoTime() : d;
                }
            }
            if (received != VideoFrame.NO_TIME && decoded != VideoFrame.NO_TIME) {
                decodeLatency.record(decoded - received);
            }
            frame = SampleFrames.wrap(sample, buffer, caps, pts, received, decoded, framesOpen::decrementAndGet);
            framesOpen.incrementAndGet();
        } catch (RuntimeException e) {
            // wrap() released the sample before throwing
            String msg = "could not read a decoded frame: " + e.getMessage();
            post(() -> report(new EngineError(ErrorCode.DECODE_ERROR, msg, false)));
            return FlowReturn.OK;
        }
        framesDelivered.incrementAndGet();
        sink.onFrame(frame);
        return FlowReturn.OK;
    }

    /**
     * Whether a frame decoded after an accurate seek lies before the target. The segment clips
     * only frames whose duration is known, and clips a frame that overlaps the target to a sliver
     * starting exactly at it (WebM's millisecond timestamps do that); both are dropped here, so the
     * first frame shown is the one at the target.
     */
    private static boolean beforeSeekTarget(Buffer buffer, long nominalDuration, long target) {
        long pts = buffer.getPresentationTimestamp();
        if (pts < 0) {
            return false;
        }
        long duration = buffer.getDuration();
        long frame = nominalDuration > 0 ? nominalDuration : duration;
        if (frame <= 0) {
            return pts + 1_000_000L <= target;
        }
        if (pts + frame / 2 <= target) {
            return true;
        }
        return pts <= target + 1_000_000L && duration > 0 && duration < frame / 2;
    }

    private SampleFrames.RawVideoCaps capsOf(Sample sample) {
        Caps caps = sample.getCaps();
        SampleFrames.RawVideoCaps cached = cachedCaps;
        // The bindings hand back the same wrapper for the same native caps: compare identity first.
        if (cached != null && cachedCapsKey != null && (caps == cachedCapsKey || caps.isEqual(cachedCapsKey))) {
            if (caps != cachedCapsKey) {
                caps.dispose();
            }
            return cached;
        }
        SampleFrames.RawVideoCaps parsed = SampleFrames.parse(caps);
        if (cachedCapsKey != null) {
            cachedCapsKey.dispose();
        }
        cachedCapsKey = caps;
        cachedCaps = parsed;
        return parsed;
    }

    // ---- event thread ------------------------------------------------------------------------

    /** Runs a task on the event thread unless the session is closed. */
    private void post(Runnable task) {
        if (closed.get()) {
            return;
        }
        try {
            events.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed meanwhile: nothing to report any more
        }
    }

    private void onBusError(String element, boolean networkSource, String message) {
        String where = element + ": " + message;
        String lower = message.toLowerCase(java.util.Locale.ROOT);
        ErrorCode code;
        String what;
        if (lower.contains("not-negotiated") || lower.contains("not negotiated") || lower.contains("missing")
                || lower.contains("no suitable plugins") || lower.contains("no decoder") || lower.contains("not supported")
                || lower.contains("could not determine type")) {
            code = ErrorCode.UNSUPPORTED_CODEC;
            what = "cannot decode this stream";
        } else if (lower.contains("resource") || lower.contains("could not open") || lower.contains("not found")
                || networkSource) {
            code = ErrorCode.RESOURCE_UNAVAILABLE;
            what = "a resource the stream needs is unavailable";
        } else {
            code = ErrorCode.DECODE_ERROR;
            what = "the stream's data cannot be decoded";
        }
        fail(code, what + " (" + describeCaps() + "): " + where);
    }

    /** A source element that fetches (http, rtsp, ...): its failures are the network's, not the data's. */
    private static boolean isNetworkSource(GstObject source) {
        if (!(source instanceof Element e) || e.getFactory() == null) {
            return false;
        }
        String factory = e.getFactory().getName();
        return e.getFactory().getKlass().contains("Source") && !factory.equals("appsrc");
    }

    private String describeCaps() {
        return switch (spec.source()) {
            case SAMPLES -> "caps " + spec.videoCaps() + (spec.audioCaps() != null ? " / " + spec.audioCaps() : "");
            case BYTES -> spec.containerCaps() != null ? "container " + spec.containerCaps() : "container bytes";
            case URI -> "URI source";
        };
    }

    /** A fatal error: report it, then close. Runs on the event thread. */
    private void fail(ErrorCode code, String message) {
        if (closed.get()) {
            return;
        }
        LOG.warn("{}: {}: {}", spec.name(), code, message);
        report(new EngineError(code, message, true));
        shutdownPipeline();
        setState(SessionState.CLOSED);
        // Already on the event thread: queued events still run, then the thread ends.
        events.shutdown();
    }

    private void report(EngineError error) {
        try {
            listener.onError(error);
        } catch (RuntimeException e) {
            LOG.error("{}: listener threw on error {}", spec.name(), error, e);
        }
    }

    private void onBusEos() {
        if (closed.get()) {
            return;
        }
        if (framesDecoded.get() == 0 && samplesReceived.get() > 0) {
            report(new EngineError(ErrorCode.DECODE_ERROR, samplesReceived.get()
                    + " samples produced no picture: the data does not match " + describeCaps(), false));
        }
        sink.onEndOfStream();
        try {
            listener.onEndOfStream();
        } catch (RuntimeException e) {
            LOG.error("{}: listener threw on end of stream", spec.name(), e);
        }
    }

    private void onPipelineState(State current) {
        if (closed.get()) {
            return;
        }
        if (current == State.PLAYING) {
            setState(SessionState.PLAYING);
        } else if (current == State.PAUSED && !targetPlaying) {
            setState(SessionState.PAUSED);
        }
    }

    private void setState(SessionState s) {
        if (state == s) {
            return;
        }
        state = s;
        try {
            listener.onStateChanged(s);
        } catch (RuntimeException e) {
            LOG.error("{}: listener threw on state {}", spec.name(), s, e);
        }
    }

    private void reportPosition() {
        if (closed.get() || state != SessionState.PLAYING) {
            return;
        }
        long pos = positionNs();
        if (pos >= 0) {
            try {
                listener.onPosition(pos, pipeline.queryDuration(Format.TIME));
            } catch (RuntimeException e) {
                LOG.error("{}: listener threw on position", spec.name(), e);
            }
        }
    }

    private static String nameOf(GstObject o) {
        return o == null ? "pipeline" : o.getName();
    }

    // ---- DecodeSession -----------------------------------------------------------------------

    @Override
    public SessionSpec spec() {
        return spec;
    }

    @Override
    public void push(EncodedSample sample) throws EngineException {
        ensureOpen();
        if (spec.source() != SourceType.SAMPLES) {
            throw new EngineException(ErrorCode.INVALID_STATE, "samples pushed to a " + spec.source() + " stream");
        }
        AppSrc target;
        int queue;
        if (sample.track() == EncodedSample.Track.VIDEO) {
            target = videoSrc;
            queue = Q_VIDEO;
        } else if (spec.audioCaps() == null) {
            throw new EngineException(ErrorCode.INVALID_STATE, "audio sample pushed to a stream created without an audio track");
        } else if (audioSrc == null) {
            // Audio played by the guest itself: nothing to do with it here, but it was received
            // (and so is consumed at once, for whoever grants credit from these counters).
            samplesReceived.incrementAndGet();
            bytesReceived.addAndGet(sample.data().length);
            return;
        } else {
            target = audioSrc;
            queue = Q_AUDIO;
        }
        byte[] data = sample.data();
        reserve(data.length);
        Buffer buffer = new Buffer(data.length);
        buffer.map(true).put(data);
        buffer.unmap();
        if (sample.ptsNs() != EncodedSample.NO_TIME) {
            buffer.setPresentationTimestamp(sample.ptsNs());
        }
        if (sample.dtsNs() != EncodedSample.NO_TIME) {
            buffer.setDecodeTimestamp(sample.dtsNs());
        }
        if (sample.durationNs() != EncodedSample.NO_TIME) {
            buffer.setDuration(sample.durationNs());
        }
        EnumSet<BufferFlags> flags = EnumSet.noneOf(BufferFlags.class);
        if (!sample.keyframe()) {
            flags.add(BufferFlags.DELTA_UNIT);
        }
        if (sample.discontinuity()) {
            flags.add(BufferFlags.DISCONT);
        }
        if (!flags.isEmpty()) {
            buffer.setFlags(flags);
        }
        if (target == videoSrc && sample.ptsNs() != EncodedSample.NO_TIME) {
            long received = sample.receivedNanos() != EncodedSample.NO_TIME ? sample.receivedNanos() : System.nanoTime();
            synchronized (receivedByPts) {
                receivedByPts.put(sample.ptsNs(), received);
            }
        }
        level.pushed(queue, data.length);
        FlowReturn fr = target.pushBuffer(buffer);
        accept(fr, queue, data.length);
    }

    @Override
    public void pushBytes(byte[] data, int offset, int length) throws EngineException {
        ensureOpen();
        if (spec.source() != SourceType.BYTES) {
            throw new EngineException(ErrorCode.INVALID_STATE, "bytes pushed to a " + spec.source() + " stream");
        }
        java.util.Objects.checkFromIndexSize(offset, length, data.length);
        if (length == 0) {
            return;
        }
        reserve(length);
        Buffer buffer = new Buffer(length);
        buffer.map(true).put(data, offset, length);
        buffer.unmap();
        level.pushed(Q_BYTES, length);
        accept(bytesSrc.pushBuffer(buffer), Q_BYTES, length);
    }

    private void reserve(int length) throws EngineException {
        long queued = queuedBytes();
        if (queued + length > spec.maxQueuedBytes()) {
            throw new EngineException(ErrorCode.LIMIT_EXCEEDED, "the stream already holds " + queued
                    + " undecoded bytes; its limit is " + spec.maxQueuedBytes() + " (wait for credit)");
        }
    }

    private void accept(FlowReturn fr, int queue, int length) throws EngineException {
        if (fr != FlowReturn.OK) {
            level.refused(queue);
        }
        switch (fr) {
            case OK, FLUSHING -> {
                // FLUSHING: a seek is under way; data from before it is dropped, as the protocol says.
                samplesReceived.incrementAndGet();
                bytesReceived.addAndGet(length);
            }
            case EOS -> throw new EngineException(ErrorCode.INVALID_STATE, "data pushed after end of stream");
            default -> throw new EngineException(ErrorCode.DECODE_ERROR, "the pipeline refused data: " + fr);
        }
    }

    /**
     * Empties the sink with no delivery left in flight: the first flush releases a delivery blocked
     * in the sink, taking the lock waits for it to finish, the second flush drops what it handed
     * over meanwhile. Callers have set {@code flushing} or {@code closed} first, so nothing new
     * gets through.
     */
    private void flushSink() {
        sink.flush();
        synchronized (delivery) {
            sink.flush();
        }
    }

    private long queuedBytes() {
        return level.bytes();
    }

    @Override
    public boolean awaitRoom(int bytes, long timeout, TimeUnit unit) throws InterruptedException {
        return !closed.get() && level.awaitRoom(bytes, spec.maxQueuedBytes(), unit.toNanos(timeout)) && !closed.get();
    }

    @Override
    public void endOfStream() throws EngineException {
        ensureOpen();
        for (AppSrc src : new AppSrc[] {videoSrc, audioSrc, bytesSrc}) {
            if (src != null) {
                src.endOfStream();
            }
        }
    }

    @Override
    public void play() {
        synchronized (control) {
            if (closed.get()) {
                return;
            }
            targetPlaying = true;
            pipeline.play();
        }
    }

    @Override
    public void pause() {
        synchronized (control) {
            if (closed.get()) {
                return;
            }
            targetPlaying = false;
            pipeline.pause();
        }
    }

    @Override
    public void seek(long positionNs, SeekMode mode, double rate) throws EngineException {
        ensureOpen();
        if (positionNs < 0) {
            throw new EngineException(ErrorCode.INVALID_ARGUMENT, "positionNs must be >= 0, got " + positionNs);
        }
        if (!(rate > 0) || rate > 64 || Double.isNaN(rate)) {
            throw new EngineException(ErrorCode.INVALID_ARGUMENT, "rate must be in (0, 64], got " + rate);
        }
        java.util.Objects.requireNonNull(mode, "mode");
        synchronized (control) {
            EnumSet<SeekFlags> flags = EnumSet.of(SeekFlags.FLUSH);
            // SAMPLES: the caller already starts at a keyframe; the segment start clips to the position.
            if (spec.source() == SourceType.SAMPLES || mode == SeekMode.ACCURATE) {
                flags.add(SeekFlags.ACCURATE);
            } else {
                flags.add(SeekFlags.KEY_UNIT);
                flags.add(SeekFlags.SNAP_BEFORE);
            }
            flushing = true;
            try {
                flushSink();
                synchronized (receivedByPts) {
                    receivedByPts.clear();
                }
                synchronized (decodedByPts) {
                    decodedByPts.clear();
                }
                showFromPts = mode == SeekMode.ACCURATE || spec.source() == SourceType.SAMPLES
                        ? positionNs + startOffset() : -1;
                boolean seeked = pipeline.seek(rate, Format.TIME, flags, SeekType.SET,
                        positionNs + startOffset(), SeekType.NONE, -1);
                // The appsrc queues were flushed (or the seek failed with them flushed anyway).
                level.flushed();
                if (!seeked) {
                    throw new EngineException(ErrorCode.INVALID_STATE, "the stream cannot seek to "
                            + positionNs / 1e9 + " s (" + describeCaps() + ")");
                }
            } finally {
                flushing = false;
            }
        }
        post(() -> {
            try {
                listener.onSeekDone(positionNs);
            } catch (RuntimeException e) {
                LOG.error("{}: listener threw on seek done", spec.name(), e);
            }
        });
    }

    @Override
    public long setRate(double rate) throws EngineException {
        long pos = Math.max(0, positionNs());
        seek(pos, SeekMode.ACCURATE, rate);
        return pos;
    }

    @Override
    public void setVolume(double v) {
        if (volume != null) {
            volume.set("volume", Math.max(0.0, Math.min(1.0, v)));
        }
    }

    @Override
    public void setMute(boolean mute) {
        if (volume != null) {
            volume.set("mute", mute);
        }
    }

    @Override
    public long positionNs() {
        if (closed.get()) {
            return -1;
        }
        long pos = pipeline.queryPosition(Format.TIME);
        return pos < 0 ? -1 : Math.max(0, pos - startOffset());
    }

    /** Pts of media time 0 (SAMPLES sessions; BYTES and URI sessions demux to media time already). */
    private long startOffset() {
        return spec.source() == SourceType.SAMPLES ? spec.startTimeNs() : 0;
    }

    @Override
    public SessionState state() {
        return state;
    }

    @Override
    public SessionStats stats() {
        long received = bytesReceived.get();
        long consumed = closed.get() ? received : received - queuedBytes();
        long decoded = framesDecoded.get();
        long delivered = framesDelivered.get();
        return new SessionStats(samplesReceived.get(), received, consumed, decoded, delivered,
                Math.max(0, decoded - delivered), decodeLatency.percentile(50), decodeLatency.percentile(95),
                decodeLatency.percentile(99), framesOpen.get(), audioBuffers.get());
    }

    private void ensureOpen() throws EngineException {
        if (closed.get()) {
            throw new EngineException(ErrorCode.STREAM_CLOSED, "stream " + spec.name() + " is closed");
        }
    }

    private void shutdownPipeline() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        positionTask.cancel(false);
        level.wake();
        // Release a streaming thread that may be waiting in the sink before stopping the pipeline.
        flushSink();
        synchronized (control) {
            pipeline.setState(State.NULL);
            pipeline.getState(TimeUnit.SECONDS.toNanos(5));
        }
        bus.disconnect(busError);
        bus.disconnect(busWarning);
        bus.disconnect(busEos);
        bus.disconnect(busState);
        bus.disconnect(busBuffering);
        sink.flush();
        if (cachedCapsKey != null) {
            cachedCapsKey.dispose(); // the streaming thread is gone: nothing else touches it now
            cachedCapsKey = null;
        }
        // Drop our native references now, so the pipeline and everything in it is freed at once.
        synchronized (probedPads) {
            probedPads.forEach(org.freedesktop.gstreamer.glib.NativeObject::dispose);
        }
        synchronized (wrappers) {
            wrappers.forEach(org.freedesktop.gstreamer.glib.NativeObject::dispose);
            wrappers.clear();
        }
        bus.dispose();
        pipeline.dispose();
        // No more frames will come: release a consumer waiting for the next one.
        sink.onEndOfStream();
    }

    @Override
    public void close() {
        shutdownPipeline();
        if (!events.isShutdown()) {
            try {
                events.execute(() -> setState(SessionState.CLOSED));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // closed concurrently by a fatal error or another caller: CLOSED is reported there
            }
            events.shutdown();
        }
        // Every event, CLOSED last, has reached the listener when close returns (unless close was
        // called from the listener itself, which must not wait for its own thread).
        if (Thread.currentThread() != eventThread) {
            try {
                events.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        LOG.debug("{}: closed", spec.name());
    }

    @Override
    public String toString() {
        return "GstDecodeSession[" + spec.name() + ", " + state + "]";
    }
}
