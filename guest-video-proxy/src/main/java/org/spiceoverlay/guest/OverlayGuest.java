package org.spiceoverlay.guest;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.spiceoverlay.api.transport.Endpoint;
import org.spiceoverlay.guest.internal.SessionCore;
import org.spiceoverlay.guest.internal.StreamCore;

/**
 * A player's session with the Spice client's overlay service: the entry point of the guest
 * library. {@link #connect} opens the data connection and says hello, then joins a second
 * connection to the session on which an event thread long-polls the client's events and hands
 * them to each stream's {@link GuestStreamListener}, so a long poll never holds up data calls.
 *
 * <p>Errors: calls throw {@link OverlayException} when the client refuses them (a typed code and a
 * message). A failed channel throws the unchecked {@link GuestConnectionException} once the guest
 * has given up on it (at once when {@link GuestOptions#reconnect()} is off), after which the guest
 * is unusable (every stream's listener hears {@code onConnectionLost}, then {@code onClosed}).
 *
 * <p>Reconnection ({@link GuestOptions#reconnect()}, on by default): when the data or the events
 * connection fails, the event thread reconnects with backoff (connect, hello, attach: a new session
 * on the client), then re-creates every open stream with its latest geometry and pause state,
 * restores rate, volume and mute, and tells each stream's listener {@code onConnectionLost} (at the
 * drop), {@code onReconnected} and {@code onResumeNeeded} (after the replay; a player that returns
 * true from {@code onResumeNeeded} resends from the keyframe at or before the last position). The
 * {@link GuestStream} objects stay the same; their {@link GuestStream#id()} changes. Meanwhile sends
 * wait (without the credit timeout) and continue on the re-created stream; geometry and controls
 * given during the outage are kept and applied by the replay; {@link #createSamplesStream} waits for
 * the new session. What the client had buffered and not shown is lost: the player resends it when it
 * implements {@code onResumeNeeded}. After {@link GuestOptions#reconnectGiveUpMs()} without success
 * the guest gives up: waiting and later calls throw {@link GuestConnectionException} ("gave up
 * reconnecting to ENDPOINT after N s"). A client refusing the new hello (token, version) ends the
 * guest at once. A client that shuts down cleanly first reports its streams closed and then drops
 * the channel: such a close is held until the next poll answers, and replayed when the channel
 * drops instead.
 *
 * <p>Thread-safe: any thread may call any method. Listeners and the reconnection run on the one
 * event thread.
 */
public final class OverlayGuest implements AutoCloseable {

    private final SessionCore core;

    private OverlayGuest(SessionCore core) {
        this.core = core;
    }

    /**
     * Connects to the client at {@code endpoint}, says hello and starts the event thread. While the
     * client cannot be reached, the first connection is tried again for up to
     * {@link GuestOptions#connectWaitMs()} (default 0: not at all); reconnection after a drop starts
     * once a session existed.
     *
     * @throws OverlayException         the client refused hello: VERSION_MISMATCH, AUTH_FAILED,
     *                                  INVALID_ARGUMENT (play locally)
     * @throws GuestConnectionException the client cannot be reached or does not speak the protocol
     */
    public static OverlayGuest connect(Endpoint endpoint, GuestOptions options) throws OverlayException {
        return new OverlayGuest(SessionCore.connect(endpoint, options));
    }

    /** What the client said in hello: name, protocol version, limits, decoders, sources (after a reconnect, the newest). */
    public ClientInfo client() {
        return core.client();
    }

    /** Whether the client takes {@code kind} as a source (URI only when its policy allows). */
    public boolean accepts(GuestSource kind) {
        return core.accepts(kind);
    }

    /**
     * Whether the client has a decoder (or demuxer) for these caps, judged by their media type (the
     * part before the first comma, e.g. {@code video/x-h264}). A stream may still be refused for
     * its details (profile, size); createStream then says why.
     */
    public boolean canDecode(String caps) {
        return core.canDecode(caps);
    }

    public Endpoint endpoint() {
        return core.endpoint();
    }

    public GuestOptions options() {
        return core.options();
    }

    /** The newest event seq the event thread has read in the current session (0 after a reconnect). */
    public long lastEventSeq() {
        return core.lastEventSeq();
    }

    /** Whether {@link #close()} was called or the connection was lost for good (false while reconnecting). */
    public boolean isClosed() {
        return core.isClosed();
    }

    /** Whether the channel dropped and the guest is reconnecting now. */
    public boolean isReconnecting() {
        return core.isReconnecting();
    }

    /** Streams open now (also those waiting to be re-created after a drop). */
    public List<GuestStream> streams() {
        List<GuestStream> out = new ArrayList<>();
        for (StreamCore s : core.streams()) {
            if (s.handle() instanceof GuestStream g) {
                out.add(g);
            }
        }
        return List.copyOf(out);
    }

    /** {@link #createSamplesStream(StreamOptions, GuestStreamListener)} without a listener. */
    public GuestStream createSamplesStream(StreamOptions options) throws OverlayException {
        return createSamplesStream(options, null);
    }

    /**
     * Opens a PUSH_SAMPLES stream: the video track is {@link GuestStream#VIDEO_TRACK}, the audio
     * track (when {@link StreamOptions#audioCaps()} is set) {@link GuestStream#AUDIO_TRACK}.
     *
     * @param listener hears the stream's events from the first one on (null: none)
     * @throws OverlayException UNSUPPORTED_CODEC (the message names the caps: play locally),
     *                          LIMIT_EXCEEDED, INVALID_ARGUMENT, UNKNOWN_DISPLAY
     */
    public GuestStream createSamplesStream(StreamOptions options, GuestStreamListener listener)
            throws OverlayException {
        Objects.requireNonNull(options, "options");
        return handle(core.createSamplesStream(options, c -> GuestStream.wrap(c, listener)));
    }

    /** {@link #createBytesStream(StreamOptions, GuestStreamListener)} without a listener. */
    public GuestStream createBytesStream(StreamOptions options) throws OverlayException {
        return createBytesStream(options, null);
    }

    /**
     * Opens a PUSH_BYTES stream: container bytes the client demuxes (for players that cannot demux).
     *
     * @throws OverlayException UNSUPPORTED_CODEC, LIMIT_EXCEEDED, INVALID_ARGUMENT, UNKNOWN_DISPLAY
     */
    public GuestStream createBytesStream(StreamOptions options, GuestStreamListener listener) throws OverlayException {
        Objects.requireNonNull(options, "options");
        return handle(core.createBytesStream(options, c -> GuestStream.wrap(c, listener)));
    }

    private static GuestStream handle(StreamCore c) {
        return (GuestStream) c.handle();
    }

    /**
     * Ends the session: the client closes every stream of it (their listeners hear
     * {@code onClosed}), both connections close, a reconnect in progress stops and the event thread
     * ends. Idempotent; callable from a listener.
     */
    @Override
    public void close() {
        core.close();
    }

    @Override
    public String toString() {
        return core.toString();
    }
}
