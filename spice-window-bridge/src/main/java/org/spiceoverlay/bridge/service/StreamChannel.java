package org.spiceoverlay.bridge.service;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spiceoverlay.api.Rect;
import org.spiceoverlay.api.Region;
import org.spiceoverlay.api.WireTypes;
import org.spiceoverlay.api.thrift.ControlCommand;
import org.spiceoverlay.api.thrift.Credit;
import org.spiceoverlay.api.thrift.DataChunk;
import org.spiceoverlay.api.thrift.ErrorCode;
import org.spiceoverlay.api.thrift.ErrorInfo;
import org.spiceoverlay.api.thrift.Event;
import org.spiceoverlay.api.thrift.EventKind;
import org.spiceoverlay.api.thrift.Geometry;
import org.spiceoverlay.api.thrift.MediaKind;
import org.spiceoverlay.api.thrift.OverlayError;
import org.spiceoverlay.api.thrift.OverlayProtocolConstants;
import org.spiceoverlay.api.thrift.PlaybackState;
import org.spiceoverlay.api.thrift.PushResult;
import org.spiceoverlay.api.thrift.QosReport;
import org.spiceoverlay.api.thrift.Sample;
import org.spiceoverlay.api.thrift.SeekMode;
import org.spiceoverlay.api.thrift.SourceKind;
import org.spiceoverlay.api.thrift.TrackInfo;
import org.spiceoverlay.engine.DecodeSession;
import org.spiceoverlay.engine.EncodedSample;
import org.spiceoverlay.engine.EngineError;
import org.spiceoverlay.engine.EngineException;
import org.spiceoverlay.engine.SessionListener;
import org.spiceoverlay.engine.SessionState;
import org.spiceoverlay.engine.SessionStats;

/**
 * One guest stream on the client: its decode session, its view, the chunk sequence, the credit
 * it has granted and its geometry. Guest calls arrive on connection threads, engine events on the
 * session's event thread; both are serialised on this object where they touch shared state.
 *
 * <p>Credit: the guest may have sent up to {@code consumed + window} payload bytes in total, where
 * {@code consumed} is what the decoder has taken from its input queue (plus what was discarded
 * here), and the window is the decoder's own queue limit, so data within credit always fits.
 */
final class StreamChannel implements SessionListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StreamChannel.class);

    private final long id;
    private final GuestSession owner;
    private final SourceKind source;
    private final Map<Integer, EncodedSample.Track> tracks = new HashMap<>();
    private final long window;
    private final int maxChunkBytes;
    private final int maxRegionRects;
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
        if (trackInfos != null) {
            for (TrackInfo t : trackInfos) {
                tracks.put(t.getTrackId(), t.getKind() == MediaKind.AUDIO ? EncodedSample.Track.AUDIO
                        : EncodedSample.Track.VIDEO);
            }
        }
    }

    /** Attaches the decoder and view once both exist (they call back into this object). */
    synchronized void start(DecodeSession decoder, VideoOutput.StreamView view) {
        this.decoder = decoder;
        this.view = view;
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

    synchronized PushResult push(DataChunk chunk) throws OverlayError {
        ensureOpen();
        long seq = chunk.getSeq();
        if (seq <= lastSeq) {
            // A resend of a chunk already taken: acknowledge, do nothing.
            return new PushResult(lastSeq, credit());
        }
        if (seq != lastSeq + 1) {
            OverlayError e = error(ErrorCode.OUT_OF_SEQUENCE, "chunk seq " + seq + " skips ahead; expected "
                    + (lastSeq + 1));
            e.setExpectedSeq(lastSeq + 1);
            throw e;
        }
        // Check the chunk's shape before taking it: a refused chunk changes nothing.
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
        long payload = payloadBytes(chunk);
        if (payload > maxChunkBytes) {
            throw error(ErrorCode.LIMIT_EXCEEDED, "chunk carries " + payload + " bytes; maxChunkBytes is " + maxChunkBytes);
        }
        long limit = grantedLimit();
        if (bytesSent + payload > limit) {
            throw error(ErrorCode.CREDIT_EXCEEDED, "chunk " + seq + " would bring the stream to " + (bytesSent + payload)
                    + " bytes sent; the credit granted is " + limit + " (wait for a CREDIT event)");
        }
        // Convert (and so validate) every sample before taking the chunk: a refused chunk changes nothing.
        long now = System.nanoTime();
        List<EncodedSample> samples = new java.util.ArrayList<>();
        if (chunk.isSetSamples()) {
            for (Sample s : chunk.getSamples()) {
                // With a shared clock (guest and client on one machine) latency runs from when the
                // guest sent the sample; else from when it arrived here.
                long origin = owner.trustGuestClock() && s.isSetSentAtNs() && s.getSentAtNs() <= now
                        ? s.getSentAtNs() : now;
                samples.add(toEngine(s, origin));
            }
        }
        lastSeq = seq;
        bytesSent += payload;
        if (seq < resumeSeq) {
            // Sent before the guest's seek reached us: belongs to the old position.
            discardedBytes += payload;
            return new PushResult(lastSeq, credit());
        }
        try {
            switch (source) {
                case PUSH_SAMPLES -> {
                    for (EncodedSample s : samples) {
                        decoder.push(s);
                    }
                }
                case PUSH_BYTES -> {
                    if (chunk.isSetBytes()) {
                        byte[] b = chunk.getBytes();
                        decoder.pushBytes(b, 0, b.length);
                    }
                }
                default -> throw error(ErrorCode.INVALID_STATE, "a URI stream takes no data");
            }
            if (chunk.isEndOfStream()) {
                decoder.endOfStream();
            }
        } catch (EngineException e) {
            throw error(e.code(), e.getMessage());
        }
        return new PushResult(lastSeq, credit());
    }

    private EncodedSample toEngine(Sample s, long receivedNanos) throws OverlayError {
        EncodedSample.Track track = tracks.get(s.getTrackId());
        if (track == null) {
            throw error(ErrorCode.INVALID_ARGUMENT, "sample trackId " + s.getTrackId() + " is not a track of the stream");
        }
        if (s.getData() == null || s.getData().length == 0) {
            throw error(ErrorCode.INVALID_ARGUMENT, "sample data is empty");
        }
        int flags = s.getFlags();
        try {
            return new EncodedSample(track, s.getData(),
                    s.isSetPtsNs() ? s.getPtsNs() : EncodedSample.NO_TIME,
                    s.isSetDtsNs() ? s.getDtsNs() : EncodedSample.NO_TIME,
                    s.isSetDurationNs() ? s.getDurationNs() : EncodedSample.NO_TIME,
                    (flags & OverlayProtocolConstants.SAMPLE_FLAG_KEYFRAME) != 0,
                    (flags & OverlayProtocolConstants.SAMPLE_FLAG_DISCONT) != 0, receivedNanos);
        } catch (IllegalArgumentException e) {
            throw error(ErrorCode.INVALID_ARGUMENT, "sample " + e.getMessage());
        }
    }

    private static long payloadBytes(DataChunk chunk) {
        long n = chunk.isSetBytes() ? chunk.getBytes().length : 0;
        if (chunk.isSetSamples()) {
            for (Sample s : chunk.getSamples()) {
                n += s.getData() == null ? 0 : s.getData().length;
            }
        }
        return n;
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
            return new GuestPlacement(g.getDisplayId(), g.getDisplayWidth(), g.getDisplayHeight(), video, visible,
                    g.isHidden());
        } catch (IllegalArgumentException e) {
            throw error(ErrorCode.INVALID_ARGUMENT, "geometry." + e.getMessage());
        }
    }

    synchronized void control(ControlCommand c) throws OverlayError {
        ensureOpen();
        if (c == null || c.getAction() == null) {
            throw error(ErrorCode.INVALID_ARGUMENT, "command.action is missing");
        }
        try {
            switch (c.getAction()) {
                case PLAY -> decoder.play();
                case PAUSE -> decoder.pause();
                case SEEK -> {
                    if (!c.isSetPositionNs() || c.getPositionNs() < 0) {
                        throw error(ErrorCode.INVALID_ARGUMENT, "command.positionNs must be set and >= 0 for SEEK");
                    }
                    restartAt(c);
                    decoder.seek(c.getPositionNs(), c.getSeekMode() == SeekMode.KEY_UNIT
                            ? org.spiceoverlay.engine.SeekMode.KEY_UNIT : org.spiceoverlay.engine.SeekMode.ACCURATE,
                            c.isSetRate() ? c.getRate() : 1.0);
                }
                case SET_RATE -> {
                    if (!c.isSetRate()) {
                        throw error(ErrorCode.INVALID_ARGUMENT, "command.rate must be set for SET_RATE");
                    }
                    if (source == SourceKind.PUSH_SAMPLES && c.isSetPositionNs()) {
                        restartAt(c);
                        decoder.seek(c.getPositionNs(), org.spiceoverlay.engine.SeekMode.ACCURATE, c.getRate());
                    } else {
                        decoder.setRate(c.getRate());
                    }
                }
                case SET_VOLUME -> {
                    if (!c.isSetVolume() || !(c.getVolume() >= 0)) {
                        throw error(ErrorCode.INVALID_ARGUMENT, "command.volume must be set and >= 0");
                    }
                    decoder.setVolume(c.getVolume());
                }
                case SET_MUTE -> decoder.setMute(c.isMute());
                case CLOSE -> owner.closeStream(id);
                default -> throw error(ErrorCode.INVALID_ARGUMENT, "unknown action " + c.getAction());
            }
        } catch (EngineException e) {
            throw error(e.code(), e.getMessage());
        }
    }

    /** After a seek the guest sends from {@code resumeSeq}; chunks before it still in flight are dropped. */
    private void restartAt(ControlCommand c) throws OverlayError {
        if (source == SourceKind.PUSH_SAMPLES) {
            if (!c.isSetResumeSeq() || c.getResumeSeq() <= lastSeq) {
                throw error(ErrorCode.INVALID_ARGUMENT, "command.resumeSeq must be set and greater than the last chunk ("
                        + lastSeq + ") when a PUSH_SAMPLES stream restarts");
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
        QosReport q = new QosReport(s.samplesReceived(), s.framesDecoded(), view.framesPresented(),
                view.framesDropped() + s.framesLate());
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

    // ---- engine events (session event thread) -------------------------------------------------

    @Override
    public void onStateChanged(SessionState state) {
        PlaybackState ps = switch (state) {
            case PREROLLING -> PlaybackState.PREROLLING;
            case PAUSED -> PlaybackState.PAUSED;
            case PLAYING -> PlaybackState.PLAYING;
            case BUFFERING -> PlaybackState.BUFFERING;
            case CLOSED -> PlaybackState.CLOSED;
        };
        owner.events().append(new Event(0, EventKind.STATE_CHANGED).setStreamId(id).setState(ps));
    }

    @Override
    public void onEndOfStream() {
        owner.events().append(new Event(0, EventKind.END_OF_STREAM).setStreamId(id));
    }

    @Override
    public void onError(EngineError error) {
        LOG.info("stream {}: {}", id, error);
        owner.events().append(new Event(0, EventKind.ERROR).setStreamId(id)
                .setError(new ErrorInfo(error.code(), error.message()).setFatal(error.fatal())));
    }

    @Override
    public void onPosition(long positionNs, long durationNs) {
        Event e = new Event(0, EventKind.POSITION).setStreamId(id).setPositionNs(positionNs);
        if (durationNs >= 0) {
            e.setDurationNs(durationNs);
        }
        owner.events().append(e);
    }

    @Override
    public void onSeekDone(long positionNs) {
        owner.events().append(new Event(0, EventKind.SEEK_DONE).setStreamId(id).setPositionNs(positionNs));
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
