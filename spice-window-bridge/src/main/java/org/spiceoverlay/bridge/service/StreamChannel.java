package org.spiceoverlay.bridge.service;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.spiceoverlay.api.Rect;
import org.spiceoverlay.api.Region;
import org.spiceoverlay.api.WireTypes;
import org.spiceoverlay.api.thrift.ControlAction;
import org.spiceoverlay.api.thrift.ControlCommand;
import org.spiceoverlay.api.thrift.Credit;
import org.spiceoverlay.api.thrift.DataChunk;
import org.spiceoverlay.api.thrift.ErrorCode;
import org.spiceoverlay.api.thrift.Event;
import org.spiceoverlay.api.thrift.EventKind;
import org.spiceoverlay.api.thrift.Geometry;
import org.spiceoverlay.api.thrift.MediaKind;
import org.spiceoverlay.api.thrift.OverlayError;
import org.spiceoverlay.api.thrift.PushResult;
import org.spiceoverlay.api.thrift.QosReport;
import org.spiceoverlay.api.thrift.Sample;
import org.spiceoverlay.api.thrift.SeekMode;
import org.spiceoverlay.api.thrift.SourceKind;
import org.spiceoverlay.api.thrift.TrackInfo;
import org.spiceoverlay.engine.DecodeSession;
import org.spiceoverlay.engine.EncodedSample;
import org.spiceoverlay.engine.EngineException;
import org.spiceoverlay.engine.SessionListener;
import org.spiceoverlay.engine.SessionStats;

/**
 * One guest stream on the client: its decode session, its view, the chunk sequence, the credit
 * it has granted and its geometry. Guest calls arrive on connection threads, engine events on the
 * session's event thread, credit and QoS on the service's ticker.
 *
 * <p>Locks: this object's monitor guards the stream's state (sequence, bytes, credit, geometry) and
 * is only ever held for that bookkeeping, never across a call into the decoder that can wait (a
 * seek, a state change), so the ticker and the engine's events never wait behind a guest's
 * command. {@code decoderOrder} keeps data and commands reaching the decoder in the order the guest
 * issued them (a push is not overtaken by a seek issued after it, nor the reverse); it is taken
 * before the monitor, and closing takes neither while it waits for the decoder.
 *
 * <p>Credit: the guest may have sent up to {@code consumed + window} payload bytes in total, where
 * {@code consumed} is what the decoder has taken from its input queue (plus what was discarded
 * here), and the window is the decoder's own queue limit, so data within credit always fits.
 */
final class StreamChannel implements AutoCloseable {

    private final long id;
    private final GuestSession owner;
    private final SourceKind source;
    private final Map<Integer, EncodedSample.Track> tracks = new HashMap<>();
    private final long window;
    private final int maxChunkBytes;
    private final int maxRegionRects;
    private final ReentrantLock decoderOrder = new ReentrantLock();
    private final StreamEventRelay eventRelay;
    private DecodeSession decoder;
    private VideoOutput.StreamView view;

    private long lastSeq;
    private long resumeSeq = 1;
    private long bytesSent;
    private long discardedBytes;
    private long grantedAnnounced;
    private long geometrySeq;
    private boolean closed;

    StreamChannel(long id, GuestSession owner, SourceKind source, List<TrackInfo> trackInfos, ServiceLimits limits) {
        this.id = id;
        this.owner = owner;
        this.source = source;
        this.window = limits.maxBufferedBytesPerStream();
        this.maxChunkBytes = limits.maxChunkBytes();
        this.maxRegionRects = limits.maxRegionRects();
        this.eventRelay = new StreamEventRelay(id, owner.events());
        if (trackInfos != null) {
            for (TrackInfo t : trackInfos) {
                tracks.put(
                        t.getTrackId(),
                        t.getKind() == MediaKind.AUDIO ? EncodedSample.Track.AUDIO : EncodedSample.Track.VIDEO);
            }
        }
    }

    /** Attaches the decoder and view once both exist (they call back into this object). */
    synchronized void start(DecodeSession decoder, VideoOutput.StreamView view) {
        this.decoder = decoder;
        this.view = view;
        view.watchVisibility(eventRelay::onVisibility);
    }

    long id() {
        return id;
    }

    synchronized Credit credit() {
        return new Credit(id, grantedLimit());
    }

    private long grantedLimit() {
        SessionStats s = decoder.stats();
        return s.bytesConsumed() + discardedBytes + window;
    }

    /** Emits a CREDIT event when the grant grew by a quarter window since the last one. */
    synchronized void announceCredit() {
        if (closed || decoder == null) {
            return;
        }
        long limit = grantedLimit();
        if (limit - grantedAnnounced >= window / 4) {
            grantedAnnounced = limit;
            owner.events().append(new Event(0, EventKind.CREDIT).setStreamId(id).setCredit(new Credit(id, limit)));
        }
    }

    PushResult push(DataChunk chunk) throws OverlayError {
        decoderOrder.lock();
        try {
            List<EncodedSample> samples;
            DecodeSession d;
            synchronized (this) {
                samples = accept(chunk);
                if (samples == null) {
                    return new PushResult(lastSeq, credit());
                }
                d = decoder;
            }
            try {
                if (source == SourceKind.PUSH_SAMPLES) {
                    for (EncodedSample s : samples) {
                        d.push(s);
                    }
                } else if (chunk.isSetBytes()) {
                    d.pushBytes(chunk.bufferForBytes()); // a view of the received frame: no copy here
                }
                if (chunk.isEndOfStream()) {
                    d.endOfStream();
                }
            } catch (EngineException e) {
                throw error(WireErrors.of(e.code()), e.getMessage());
            }
            synchronized (this) {
                return new PushResult(lastSeq, credit());
            }
        } finally {
            decoderOrder.unlock();
        }
    }

    /**
     * Checks a chunk and takes it into the stream's bookkeeping: the samples to hand to the decoder,
     * or null when it needs none (a resend, or sent before the guest's seek reached us). A refused
     * chunk changes nothing.
     */
    private List<EncodedSample> accept(DataChunk chunk) throws OverlayError {
        ensureOpen();
        long seq = chunk.getSeq();
        if (seq <= lastSeq) {
            // A resend of a chunk already taken: acknowledge, do nothing.
            return null;
        }
        if (seq != lastSeq + 1) {
            OverlayError e =
                    error(ErrorCode.OUT_OF_SEQUENCE, "chunk seq " + seq + " skips ahead; expected " + (lastSeq + 1));
            e.setExpectedSeq(lastSeq + 1);
            throw e;
        }
        switch (source) {
            case PUSH_SAMPLES -> {
                if (chunk.isSetBytes()) {
                    throw error(ErrorCode.INVALID_STATE, "bytes pushed to a PUSH_SAMPLES stream");
                }
            }
            case PUSH_BYTES -> {
                if (chunk.isSetSamples()) {
                    throw error(ErrorCode.INVALID_STATE, "samples pushed to a PUSH_BYTES stream");
                }
            }
            default -> throw error(ErrorCode.INVALID_STATE, "a URI stream takes no data");
        }
        long payload = WireSamples.payloadBytes(chunk);
        if (payload > maxChunkBytes) {
            throw error(
                    ErrorCode.LIMIT_EXCEEDED, "chunk carries " + payload + " bytes; maxChunkBytes is " + maxChunkBytes);
        }
        long limit = grantedLimit();
        if (bytesSent + payload > limit) {
            throw error(
                    ErrorCode.CREDIT_EXCEEDED,
                    "chunk " + seq + " would bring the stream to " + (bytesSent + payload)
                            + " bytes sent; the credit granted is " + limit + " (wait for a CREDIT event)");
        }
        // Convert (and so validate) every sample before taking the chunk.
        long now = System.nanoTime();
        List<EncodedSample> samples = new java.util.ArrayList<>();
        if (chunk.isSetSamples()) {
            for (Sample s : chunk.getSamples()) {
                // With a shared clock (guest and client on one machine) latency runs from when the
                // guest sent the sample; else from when it arrived here.
                long origin =
                        owner.trustGuestClock() && s.isSetSentAtNs() && s.getSentAtNs() <= now ? s.getSentAtNs() : now;
                if (origin != now) {
                    owner.wireLatency(now - origin);
                }
                samples.add(WireSamples.toEngine(s, origin, tracks, this::error));
            }
        }
        lastSeq = seq;
        bytesSent += payload;
        if (seq < resumeSeq) {
            // Sent before the guest's seek reached us: belongs to the old position.
            discardedBytes += payload;
            return null;
        }
        return samples;
    }

    /** @return false when the update was stale */
    synchronized boolean setGeometry(Geometry g) throws OverlayError {
        ensureOpen();
        if (g == null) {
            throw error(ErrorCode.INVALID_ARGUMENT, "geometry is missing");
        }
        if (g.getSeq() <= geometrySeq) {
            return false;
        }
        GuestPlacement placement = placementOf(g);
        geometrySeq = g.getSeq();
        view.place(placement);
        return true;
    }

    GuestPlacement placementOf(Geometry g) throws OverlayError {
        owner.requireDisplay(g.getDisplayId());
        Rect video = WireTypes.toRect(g.getVideoRect(), "geometry.videoRect");
        Region visible = WireTypes.toRegion(g.getVisibleRegion(), "geometry.visibleRegion", maxRegionRects);
        try {
            return new GuestPlacement(
                    g.getDisplayId(), g.getDisplayWidth(), g.getDisplayHeight(), video, visible, g.isHidden());
        } catch (IllegalArgumentException e) {
            throw error(ErrorCode.INVALID_ARGUMENT, "geometry." + e.getMessage());
        }
    }

    void control(ControlCommand c) throws OverlayError {
        if (c == null || c.getAction() == null) {
            throw error(ErrorCode.INVALID_ARGUMENT, "command.action is missing");
        }
        if (c.getAction() == ControlAction.CLOSE) {
            synchronized (this) {
                ensureOpen();
            }
            // Waits for the decoder to stop: under no lock of this stream.
            owner.closeStream(id);
            return;
        }
        decoderOrder.lock();
        try {
            DecodeSession d;
            synchronized (this) {
                ensureOpen();
                check(c);
                d = decoder;
            }
            // The decoder's calls may wait (a seek flushes the pipeline): outside the monitor.
            switch (c.getAction()) {
                case PLAY -> d.play();
                case PAUSE -> d.pause();
                case SEEK -> d.seek(
                        c.getPositionNs(),
                        c.getSeekMode() == SeekMode.KEY_UNIT
                                ? org.spiceoverlay.engine.SeekMode.KEY_UNIT
                                : org.spiceoverlay.engine.SeekMode.ACCURATE,
                        c.isSetRate() ? c.getRate() : 1.0);
                case SET_RATE -> {
                    if (source == SourceKind.PUSH_SAMPLES && c.isSetPositionNs()) {
                        d.seek(c.getPositionNs(), org.spiceoverlay.engine.SeekMode.ACCURATE, c.getRate());
                    } else {
                        d.setRate(c.getRate());
                    }
                }
                case SET_VOLUME -> d.setVolume(c.getVolume());
                case SET_MUTE -> d.setMute(c.isMute());
                default -> throw error(ErrorCode.INVALID_ARGUMENT, "unknown action " + c.getAction());
            }
        } catch (EngineException e) {
            throw error(WireErrors.of(e.code()), e.getMessage());
        } finally {
            decoderOrder.unlock();
        }
    }

    /** Checks a command's arguments and takes its effect on the sequence (a restart point); under the monitor. */
    private void check(ControlCommand c) throws OverlayError {
        switch (c.getAction()) {
            case SEEK -> {
                if (!c.isSetPositionNs() || c.getPositionNs() < 0) {
                    throw error(ErrorCode.INVALID_ARGUMENT, "command.positionNs must be set and >= 0 for SEEK");
                }
                restartAt(c);
            }
            case SET_RATE -> {
                if (!c.isSetRate()) {
                    throw error(ErrorCode.INVALID_ARGUMENT, "command.rate must be set for SET_RATE");
                }
                if (source == SourceKind.PUSH_SAMPLES && c.isSetPositionNs()) {
                    restartAt(c);
                }
            }
            case SET_VOLUME -> {
                if (!c.isSetVolume() || !(c.getVolume() >= 0)) {
                    throw error(ErrorCode.INVALID_ARGUMENT, "command.volume must be set and >= 0");
                }
            }
            default -> {}
        }
    }

    /** After a seek the guest sends from {@code resumeSeq}; chunks before it still in flight are dropped. */
    private void restartAt(ControlCommand c) throws OverlayError {
        if (source == SourceKind.PUSH_SAMPLES) {
            if (!c.isSetResumeSeq() || c.getResumeSeq() <= lastSeq) {
                throw error(
                        ErrorCode.INVALID_ARGUMENT,
                        "command.resumeSeq must be set and greater than the last chunk (" + lastSeq
                                + ") when a PUSH_SAMPLES stream restarts");
            }
            resumeSeq = c.getResumeSeq();
        }
    }

    /**
     * The stream's QoS report; its present latencies cover the frames presented since the previous
     * call. Called by the service's ticker thread only.
     */
    QosReport qos() {
        SessionStats s = decoder.stats();
        QosReport q = new QosReport(
                s.samplesReceived(), s.framesDecoded(), view.framesPresented(), view.framesDropped() + s.framesLate());
        q.setBytesReceived(s.bytesReceived());
        if (s.decodeP50Nanos() >= 0) {
            q.setDecodeLatencyP50Us(s.decodeP50Nanos() / 1000);
            q.setDecodeLatencyP95Us(s.decodeP95Nanos() / 1000);
        }
        // Only an output that draws on a screen has presents to measure: without one the fields stay unset.
        view.takePresentQos().ifPresent(p -> {
            q.setFramesRepeated(p.framesRepeated());
            if (p.latency().measured()) {
                q.setPresentLatencyP50Us(p.latency().p50Nanos() / 1000);
                q.setPresentLatencyP95Us(p.latency().p95Nanos() / 1000);
            }
        });
        return q;
    }

    private void ensureOpen() throws OverlayError {
        if (closed) {
            throw error(ErrorCode.STREAM_CLOSED, "stream " + id + " is closed");
        }
    }

    private OverlayError error(ErrorCode code, String message) {
        OverlayError e = new OverlayError(code, message);
        e.setStreamId(id);
        return e;
    }

    /** What the engine tells this stream, as protocol events (session event thread). */
    SessionListener events() {
        return eventRelay;
    }

    /** Stops decoding and showing; reports STREAM_CLOSED. Idempotent. */
    @Override
    public void close() {
        DecodeSession d;
        VideoOutput.StreamView v;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            d = decoder;
            v = view;
        }
        // Outside the lock: closing waits for the engine, whose event thread may call back in.
        if (d != null) {
            d.close();
        }
        if (v != null) {
            v.close();
        }
        owner.events().append(new Event(0, EventKind.STREAM_CLOSED).setStreamId(id));
    }
}
