package org.spiceoverlay.bridge.service;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spiceoverlay.api.GuestDisplay;
import org.spiceoverlay.api.thrift.CreateStreamRequest;
import org.spiceoverlay.api.thrift.ErrorCode;
import org.spiceoverlay.api.thrift.Event;
import org.spiceoverlay.api.thrift.EventKind;
import org.spiceoverlay.api.thrift.MediaKind;
import org.spiceoverlay.api.thrift.OverlayError;
import org.spiceoverlay.api.thrift.TimingMode;
import org.spiceoverlay.api.thrift.TrackInfo;
import org.spiceoverlay.engine.DecodeSession;
import org.spiceoverlay.engine.EngineException;
import org.spiceoverlay.engine.Pacing;
import org.spiceoverlay.engine.SessionSpec;
import org.spiceoverlay.engine.SourceType;

/**
 * One connected guest app: its displays, its streams and its event log. Created by hello on a
 * connection and closed when that connection ends (its streams and windows go with it).
 *
 * <p>Thread-safe: calls come from the session's connections, events from engine threads.
 */
final class GuestSession implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GuestSession.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final long id;
    private final String token;
    private final String guestName;
    private final ClientService service;
    private final ServiceLimits limits;
    private final EventLog events;
    private final Map<Long, StreamChannel> streams = new ConcurrentHashMap<>();
    private final AtomicLong nextStreamId = new AtomicLong(1);
    private volatile List<GuestDisplay> displays;
    private volatile boolean closed;

    GuestSession(long id, String guestName, List<GuestDisplay> displays, ClientService service) {
        this.id = id;
        this.guestName = guestName;
        this.displays = List.copyOf(displays);
        this.service = service;
        this.limits = service.limits();
        this.events = new EventLog(limits.eventLogCapacity());
        byte[] secret = new byte[24];
        RANDOM.nextBytes(secret);
        this.token = HexFormat.of().formatHex(secret);
    }

    long id() {
        return id;
    }

    String token() {
        return token;
    }

    EventLog events() {
        return events;
    }

    boolean trustGuestClock() {
        return service.trustGuestClock();
    }

    void wireLatency(long nanos) {
        service.wireLatency(nanos);
    }

    void updateDisplays(List<GuestDisplay> newDisplays) {
        displays = List.copyOf(newDisplays);
    }

    void requireDisplay(int displayId) throws OverlayError {
        for (GuestDisplay d : displays) {
            if (d.displayId() == displayId) {
                return;
            }
        }
        throw new OverlayError(
                ErrorCode.UNKNOWN_DISPLAY,
                "displayId " + displayId + " was not announced in hello " + "or updateDisplays (known: " + displays
                        + ")");
    }

    StreamChannel stream(long streamId) throws OverlayError {
        StreamChannel s = streams.get(streamId);
        if (s == null) {
            OverlayError e =
                    new OverlayError(ErrorCode.UNKNOWN_STREAM, "stream " + streamId + " is not open in this session");
            e.setStreamId(streamId);
            throw e;
        }
        return s;
    }

    StreamChannel createStream(CreateStreamRequest r) throws OverlayError {
        if (closed) {
            throw new OverlayError(ErrorCode.STREAM_CLOSED, "the session is closing");
        }
        if (r == null || r.getSource() == null) {
            throw new OverlayError(ErrorCode.INVALID_ARGUMENT, "request.source is missing");
        }
        if (streams.size() >= limits.maxStreams()) {
            throw new OverlayError(
                    ErrorCode.LIMIT_EXCEEDED,
                    "this session already has " + streams.size() + " streams open; maxStreams is "
                            + limits.maxStreams());
        }
        SessionSpec.Builder spec = SessionSpec.builder(
                switch (r.getSource()) {
                    case PUSH_SAMPLES -> SourceType.SAMPLES;
                    case PUSH_BYTES -> SourceType.BYTES;
                    case URI -> SourceType.URI;
                });
        long streamId = nextStreamId.getAndIncrement();
        spec.name("s" + id + "-" + streamId)
                .outputFormat(service.outputFormat())
                .pacing(r.getTiming() == TimingMode.LIVE ? Pacing.IMMEDIATE : Pacing.CLOCK)
                .lowLatency(r.getTiming() == TimingMode.LIVE)
                .audio(r.isAudio())
                .startPaused(r.isStartPaused())
                .maxSize(limits.maxFrameWidth(), limits.maxFrameHeight())
                .maxQueuedBytes(limits.maxBufferedBytesPerStream());
        if (r.isSetStartTimeNs()) {
            if (r.getStartTimeNs() < 0) {
                throw new OverlayError(
                        ErrorCode.INVALID_ARGUMENT, "request.startTimeNs must be >= 0, got " + r.getStartTimeNs());
            }
            spec.startTimeNs(r.getStartTimeNs());
        }
        if (r.isSetLeadNs()) {
            if (r.getLeadNs() < 0 || r.getLeadNs() > SessionSpec.MAX_LEAD_NS) {
                throw new OverlayError(
                        ErrorCode.INVALID_ARGUMENT,
                        "request.leadNs must be in [0, " + SessionSpec.MAX_LEAD_NS + "], got " + r.getLeadNs());
            }
            spec.leadNs(r.getTiming() == TimingMode.LIVE ? 0 : r.getLeadNs());
        }
        switch (r.getSource()) {
            case PUSH_SAMPLES -> {
                String video = null;
                String audio = null;
                if (r.getTracks() == null || r.getTracks().isEmpty()) {
                    throw new OverlayError(ErrorCode.INVALID_ARGUMENT, "request.tracks must list the video track");
                }
                java.util.Set<Integer> ids = new java.util.HashSet<>();
                for (TrackInfo t : r.getTracks()) {
                    if (!ids.add(t.getTrackId())) {
                        throw new OverlayError(
                                ErrorCode.INVALID_ARGUMENT,
                                "request.tracks: trackId " + t.getTrackId() + " is used twice");
                    }
                    if (t.getKind() == MediaKind.VIDEO && video == null) {
                        video = t.getCaps();
                    } else if (t.getKind() == MediaKind.AUDIO && audio == null) {
                        audio = t.getCaps();
                    } else {
                        throw new OverlayError(
                                ErrorCode.INVALID_ARGUMENT,
                                "request.tracks: at most one video and one " + "audio track, got another "
                                        + t.getKind());
                    }
                }
                if (video == null) {
                    throw new OverlayError(ErrorCode.INVALID_ARGUMENT, "request.tracks has no VIDEO track");
                }
                spec.videoCaps(video).audioCaps(audio);
            }
            case PUSH_BYTES -> spec.containerCaps(r.getContainerCaps());
            case URI -> spec.uri(r.getUri());
        }
        StreamChannel channel = new StreamChannel(streamId, this, r.getSource(), r.getTracks(), limits);
        // Validate the first geometry before anything native exists.
        GuestPlacement placement = channel.placementOf(r.getGeometry());
        VideoOutput.StreamView view = service.output().open(spec.build().name());
        DecodeSession decoder;
        try {
            decoder = service.engine().open(spec.build(), view.frames(), channel.events());
        } catch (EngineException e) {
            view.close();
            throw new OverlayError(WireErrors.of(e.code()), e.getMessage());
        } catch (IllegalArgumentException e) {
            view.close();
            throw new OverlayError(ErrorCode.INVALID_ARGUMENT, "request: " + e.getMessage());
        }
        channel.start(decoder, view);
        view.place(placement);
        streams.put(streamId, channel);
        LOG.info("session {} ({}): stream {} opened: {}", id, guestName, streamId, spec.build());
        return channel;
    }

    void closeStream(long streamId) {
        StreamChannel s = streams.remove(streamId);
        if (s != null) {
            s.close();
        }
    }

    /** Periodic work: credit grants and QoS reports. */
    void tick(boolean withQos) {
        for (StreamChannel s : streams.values()) {
            try {
                s.announceCredit();
                if (withQos) {
                    events.append(
                            new Event(0, EventKind.QOS).setStreamId(s.id()).setQos(s.qos()));
                }
            } catch (RuntimeException e) {
                LOG.warn("session {}: stream {} report failed: {}", id, s.id(), e.toString());
            }
        }
    }

    List<StreamChannel> streams() {
        return new ArrayList<>(streams.values());
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Long streamId : new ArrayList<>(streams.keySet())) {
            closeStream(streamId);
        }
        events.close();
        LOG.info("session {} ({}) closed", id, guestName);
    }

    @Override
    public String toString() {
        return "GuestSession[" + id + " " + guestName + ", " + streams.size() + " streams]";
    }
}
