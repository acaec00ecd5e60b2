package org.spiceoverlay.engine.gst;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.freedesktop.gstreamer.Buffer;
import org.freedesktop.gstreamer.Caps;
import org.freedesktop.gstreamer.FlowReturn;
import org.freedesktop.gstreamer.Pad;
import org.freedesktop.gstreamer.PadProbeReturn;
import org.freedesktop.gstreamer.Sample;
import org.freedesktop.gstreamer.elements.AppSink;
import org.spiceoverlay.api.VideoFrame;
import org.spiceoverlay.engine.EngineError;
import org.spiceoverlay.engine.EngineErrorCode;
import org.spiceoverlay.engine.FrameSink;
import org.spiceoverlay.engine.LatencyRecorder;

/**
 * The appsink end of a decode session: takes each decoded sample, wraps it as a {@link VideoFrame}
 * (the mapped buffer, no copy) with its timing (when its compressed sample arrived, when it was
 * decoded) and hands it to the {@link FrameSink}; drops frames during a flush and, after an
 * accurate seek, those before the target; counts frames and decode latency.
 *
 * <p>Threads: {@link #onNewSample} and the probes run on streaming threads; {@link #received} on
 * pushing threads; the rest on the session's control path. A flush ({@link #flush}) waits out a
 * delivery in progress.
 */
final class FrameDelivery {

    /** Pts → arrival time entries kept for decode-latency matching (bounded, oldest evicted). */
    private static final int TIMING_ENTRIES = 1024;

    private final FrameSink sink;
    private final Consumer<EngineError> report;
    /** Held from the flushing check to the hand-off, so a flush can wait out a delivery in progress. */
    private final Object delivery = new Object();

    private volatile boolean closed;
    private volatile boolean flushing;
    /** After an accurate seek: frames presented before this pts are decoded but not delivered. */
    private volatile long showFromPts = -1;
    /** The caps {@link #cachedCaps} was parsed from; only the streaming thread touches it. */
    private Caps cachedCapsKey;

    private volatile SampleFrames.RawVideoCaps cachedCaps;
    private final Map<Long, Long> receivedByPts = boundedMap();
    private final Map<Long, Long> decodedByPts = boundedMap();
    final AtomicLong framesDecoded = new AtomicLong();
    final AtomicLong framesDelivered = new AtomicLong();
    final AtomicLong framesOpen = new AtomicLong();
    final LatencyRecorder decodeLatency = new LatencyRecorder(2048);
    // Strong references: GStreamer holds only native pointers to these callbacks.
    private final Pad.DATA_PROBE decodedProbe = this::onDecoded;
    private final Pad.EVENT_PROBE flushDone;
    private final AppSink.NEW_SAMPLE newSample = this::onNewSample;

    /** {@code report} takes non-fatal errors (on a streaming thread: it must hand them off). */
    FrameDelivery(FrameSink sink, Consumer<EngineError> report) {
        this.sink = sink;
        this.report = report;
        this.flushDone = (pad, event) -> {
            if (SegmentReader.readAndRelease(event) != null && flushing) {
                // The segment for the new position: frames after it belong there.
                flushing = false;
            }
            return PadProbeReturn.OK;
        };
    }

    /** Connects to the pipeline's appsink. */
    void attach(SessionPipeline p) {
        Pad sinkPad = p.probe(p.appSink.getStaticPad("sink"));
        sinkPad.addDataProbe(decodedProbe);
        sinkPad.addEventProbe(flushDone);
        p.appSink.connect(newSample);
    }

    private PadProbeReturn onDecoded(Pad pad, Buffer buffer) {
        framesDecoded.incrementAndGet();
        long pts = buffer.getPresentationTimestamp();
        buffer.dispose();
        if (pts >= 0) {
            synchronized (decodedByPts) {
                decodedByPts.put(pts, System.nanoTime());
            }
        }
        return PadProbeReturn.OK;
    }

    /** A compressed video sample with this pts arrived at {@code nanos}. */
    void received(long pts, long nanos) {
        synchronized (receivedByPts) {
            receivedByPts.put(pts, nanos);
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
        if (closed || flushing) {
            sample.dispose();
            return FlowReturn.OK;
        }
        SampleFrames.RawVideoCaps caps;
        try {
            caps = capsOf(sample);
        } catch (RuntimeException e) {
            sample.dispose();
            report.accept(new EngineError(
                    EngineErrorCode.DECODE_ERROR,
                    "decoded frames have caps this client cannot show: " + e.getMessage(),
                    false));
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
        VideoFrame frame;
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
            report.accept(new EngineError(
                    EngineErrorCode.DECODE_ERROR, "could not read a decoded frame: " + e.getMessage(), false));
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

    /**
     * A flushing seek begins: nothing decoded before it is delivered, and after it only frames from
     * {@code showFromPts} on (-1: all). Empties the sink with no delivery left in flight.
     */
    void beginFlush(long showFrom) {
        flushing = true;
        flush();
        synchronized (receivedByPts) {
            receivedByPts.clear();
        }
        synchronized (decodedByPts) {
            decodedByPts.clear();
        }
        showFromPts = showFrom;
    }

    /** The seek is done (or failed): deliver again. */
    void endFlush() {
        flushing = false;
    }

    /**
     * Empties the sink with no delivery left in flight: the first flush releases a delivery blocked
     * in the sink, taking the lock waits for it to finish, the second flush drops what it handed
     * over meanwhile. Callers have set {@code flushing} or {@code closed} first, so nothing new
     * gets through.
     */
    void flush() {
        sink.flush();
        synchronized (delivery) {
            sink.flush();
        }
    }

    /** Delivers nothing more; empties the sink. */
    void close() {
        closed = true;
        flush();
    }

    /** Releases the cached caps; after the streaming threads are gone. */
    void dispose() {
        sink.flush();
        if (cachedCapsKey != null) {
            cachedCapsKey.dispose();
            cachedCapsKey = null;
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
}
