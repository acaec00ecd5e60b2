package org.spiceoverlay.guest.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spiceoverlay.api.thrift.CreateStreamRequest;
import org.spiceoverlay.api.thrift.CreateStreamResponse;
import org.spiceoverlay.api.thrift.MediaKind;
import org.spiceoverlay.api.thrift.SourceKind;
import org.spiceoverlay.api.thrift.TrackInfo;
import org.spiceoverlay.guest.OverlayException;
import org.spiceoverlay.guest.StreamOptions;

/**
 * Opening a stream: the create request from the player's options (tracks, caps, geometry,
 * timing), the call, and the stream registered before any of its events can be dispatched.
 *
 * <p>Threads: any (the call is serialised on the data connection).
 */
final class StreamCreation {

    private static final Logger LOG = LoggerFactory.getLogger(StreamCreation.class);

    private final SessionCore session;

    StreamCreation(SessionCore session) {
        this.session = session;
    }

    /**
     * Opens a PUSH_SAMPLES stream (video track {@link StreamCore#VIDEO_TRACK}, audio track, when
     * {@link StreamOptions#audioCaps()} is set, {@link StreamCore#AUDIO_TRACK}); {@code eventsFor}
     * makes the stream's events receiver before any event can arrive.
     */
    StreamCore createSamplesStream(StreamOptions options, Function<StreamCore, StreamEvents> eventsFor)
            throws OverlayException {
        Objects.requireNonNull(options, "options");
        if (options.videoCaps() == null) {
            throw new IllegalArgumentException("createSamplesStream needs StreamOptions.samples(videoCaps, ...)");
        }
        List<TrackInfo> tracks = new ArrayList<>();
        tracks.add(new TrackInfo(StreamCore.VIDEO_TRACK, MediaKind.VIDEO, options.videoCaps()));
        if (options.audioCaps() != null) {
            tracks.add(new TrackInfo(StreamCore.AUDIO_TRACK, MediaKind.AUDIO, options.audioCaps()));
        }
        CreateStreamRequest request =
                baseRequest(SourceKind.PUSH_SAMPLES, options).setTracks(tracks).setStartTimeNs(options.startTimeNs());
        return create(request, options, eventsFor);
    }

    /** Opens a PUSH_BYTES stream: container bytes the client demuxes. */
    StreamCore createBytesStream(StreamOptions options, Function<StreamCore, StreamEvents> eventsFor)
            throws OverlayException {
        Objects.requireNonNull(options, "options");
        if (options.videoCaps() != null) {
            throw new IllegalArgumentException("createBytesStream needs StreamOptions.bytes(containerCaps, ...)");
        }
        CreateStreamRequest request = baseRequest(SourceKind.PUSH_BYTES, options);
        if (options.containerCaps() != null) {
            request.setContainerCaps(options.containerCaps());
        }
        return create(request, options, eventsFor);
    }

    private static CreateStreamRequest baseRequest(SourceKind source, StreamOptions o) {
        CreateStreamRequest r = new CreateStreamRequest(
                        source, Wire.geometry(o.geometry(), StreamCore.FIRST_GEOMETRY_SEQ))
                .setAudio(o.audio())
                .setTiming(Wire.timing(o.timing()))
                .setStartPaused(o.startPaused());
        if (o.durationNs() >= 0) {
            r.setDurationNs(o.durationNs());
        }
        if (o.leadNs() > 0) {
            r.setLeadNs(o.leadNs());
        }
        if (o.title() != null) {
            r.setTitle(o.title());
        }
        return r;
    }

    StreamCore create(CreateStreamRequest request, StreamOptions options, Function<StreamCore, StreamEvents> eventsFor)
            throws OverlayException {
        synchronized (session.streamsLock) {
            session.creating++;
        }
        try {
            // call() holds the data lock through this, so a reconnect publishing a new connection
            // (under the same lock) sees the stream in the list it replays.
            return session.call("createStream", client -> {
                CreateStreamResponse r = client.createStream(request);
                StreamCore s = new StreamCore(
                        session,
                        r.getStreamId(),
                        session.conn.generation,
                        request.deepCopy(),
                        options,
                        eventsFor,
                        r.getCredit());
                synchronized (session.streamsLock) {
                    session.open.add(s);
                    session.byId.put(s.id(), s);
                }
                LOG.debug("stream {} created: {}", s.id(), options);
                return s;
            });
        } finally {
            synchronized (session.streamsLock) {
                session.creating--;
                session.streamsLock.notifyAll();
            }
        }
    }
}
