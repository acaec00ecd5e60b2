package org.spiceoverlay.bridge.service;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.spiceoverlay.api.GuestDisplay;
import org.spiceoverlay.api.HelloHandshake;
import org.spiceoverlay.api.WireTypes;
import org.spiceoverlay.api.thrift.CodecSupport;
import org.spiceoverlay.api.thrift.ControlCommand;
import org.spiceoverlay.api.thrift.CreateStreamRequest;
import org.spiceoverlay.api.thrift.CreateStreamResponse;
import org.spiceoverlay.api.thrift.DataChunk;
import org.spiceoverlay.api.thrift.ErrorCode;
import org.spiceoverlay.api.thrift.EventBatch;
import org.spiceoverlay.api.thrift.Geometry;
import org.spiceoverlay.api.thrift.HelloRequest;
import org.spiceoverlay.api.thrift.HelloResponse;
import org.spiceoverlay.api.thrift.MediaKind;
import org.spiceoverlay.api.thrift.OverlayError;
import org.spiceoverlay.api.thrift.OverlayService;
import org.spiceoverlay.api.thrift.ProtocolVersion;
import org.spiceoverlay.api.thrift.PushResult;
import org.spiceoverlay.api.thrift.SourceKind;

/**
 * The service as one connection sees it: hello (or attach) binds the connection to a session,
 * every other call needs that first. Calls on one connection arrive one at a time on its thread.
 */
final class ConnectionHandler implements OverlayService.Iface {

    private final ClientService service;
    private final String peer;
    private GuestSession session;
    private boolean owner;

    ConnectionHandler(ClientService service, String peer) {
        this.service = service;
        this.peer = peer;
    }

    private GuestSession session() throws OverlayError {
        if (session == null) {
            throw new OverlayError(ErrorCode.HELLO_REQUIRED, "call hello (or attach) first on this connection");
        }
        return session;
    }

    @Override
    public HelloResponse hello(HelloRequest request) throws OverlayError {
        if (session != null) {
            throw new OverlayError(
                    ErrorCode.INVALID_STATE, "this connection already said hello (session " + session.id() + ")");
        }
        HelloHandshake.Accepted accepted = service.handshake().accept(request);
        GuestSession s = service.newSession(
                accepted.guestName().isEmpty() ? peer : accepted.guestName() + " via " + peer, accepted.displays());
        session = s;
        owner = true;
        List<CodecSupport> decoders = service.engine().capabilities().stream()
                .map(c -> new CodecSupport(
                                switch (c.kind()) {
                                    case VIDEO -> MediaKind.VIDEO;
                                    case AUDIO -> MediaKind.AUDIO;
                                    case CONTAINER -> MediaKind.CONTAINER;
                                },
                                c.caps())
                        .setElement(c.element()))
                .collect(Collectors.toList());
        Set<SourceKind> kinds = service.uriAllowed()
                ? Set.of(SourceKind.PUSH_SAMPLES, SourceKind.PUSH_BYTES, SourceKind.URI)
                : Set.of(SourceKind.PUSH_SAMPLES, SourceKind.PUSH_BYTES);
        return new HelloResponse(
                accepted.version(),
                "spice-overlay/" + ClientService.VERSION,
                s.id(),
                decoders,
                service.limits().toWire(),
                kinds,
                s.token());
    }

    @Override
    public void attach(String sessionToken, ProtocolVersion version) throws OverlayError {
        if (session != null) {
            throw new OverlayError(ErrorCode.INVALID_STATE, "this connection is already in session " + session.id());
        }
        HelloHandshake.negotiate(version);
        GuestSession s = service.sessionByToken(sessionToken);
        if (s == null) {
            throw new OverlayError(ErrorCode.AUTH_FAILED, "no open session has that token");
        }
        session = s;
        owner = false;
    }

    @Override
    public void updateDisplays(List<org.spiceoverlay.api.thrift.GuestDisplay> displays) throws OverlayError {
        List<GuestDisplay> d = WireTypes.toDisplays(displays, "displays", HelloHandshake.MAX_DISPLAYS);
        session().updateDisplays(d);
    }

    @Override
    public CreateStreamResponse createStream(CreateStreamRequest request) throws OverlayError {
        StreamChannel s = session().createStream(request);
        return new CreateStreamResponse(s.id(), s.credit());
    }

    @Override
    public PushResult pushData(DataChunk chunk) throws OverlayError {
        if (chunk == null) {
            throw new OverlayError(ErrorCode.INVALID_ARGUMENT, "chunk is missing");
        }
        return session().stream(chunk.getStreamId()).push(chunk);
    }

    @Override
    public boolean setGeometry(long streamId, Geometry geometry) throws OverlayError {
        return session().stream(streamId).setGeometry(geometry);
    }

    @Override
    public void control(long streamId, ControlCommand command) throws OverlayError {
        session().stream(streamId).control(command);
    }

    @Override
    public EventBatch pollEvents(long afterSeq, int timeoutMs, int maxEvents) throws OverlayError {
        if (maxEvents < 1) {
            throw new OverlayError(ErrorCode.INVALID_ARGUMENT, "maxEvents must be >= 1, got " + maxEvents);
        }
        int timeout = Math.max(0, Math.min(timeoutMs, service.limits().maxPollTimeoutMs()));
        try {
            return session().events().poll(afterSeq, timeout, Math.min(maxEvents, 1024));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OverlayError(ErrorCode.INTERNAL, "the client is shutting down");
        }
    }

    /** The connection ended: a session ends with the connection that said hello. */
    void disconnected() {
        if (session != null && owner) {
            service.endSession(session);
        }
        session = null;
    }
}
