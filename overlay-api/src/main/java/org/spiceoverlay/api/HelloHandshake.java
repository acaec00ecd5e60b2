package org.spiceoverlay.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Objects;
import org.spiceoverlay.api.thrift.ErrorCode;
import org.spiceoverlay.api.thrift.HelloRequest;
import org.spiceoverlay.api.thrift.OverlayError;
import org.spiceoverlay.api.thrift.OverlayProtocolConstants;
import org.spiceoverlay.api.thrift.ProtocolVersion;

/**
 * The client's side of {@code hello}: version negotiation, the auth-token check and validation of
 * the guest's display layout. Any failure is an {@link OverlayError} with a message a person can act
 * on; nothing here touches the network.
 *
 * <p>Immutable; safe to share between threads.
 */
public final class HelloHandshake {

    /** Most displays a guest may announce (Spice supports up to 16 heads). */
    public static final int MAX_DISPLAYS = 16;

    private final byte[] requiredToken;

    /**
     * @param requiredToken the shared secret guests must present, or {@code null} to accept any
     *                      guest (the default for loopback-only listeners)
     */
    public HelloHandshake(String requiredToken) {
        if (requiredToken != null && requiredToken.isEmpty()) {
            throw new IllegalArgumentException("requiredToken must be null (no auth) or non-empty");
        }
        this.requiredToken = requiredToken == null ? null : requiredToken.getBytes(StandardCharsets.UTF_8);
    }

    /** What a successful hello established. */
    public record Accepted(ProtocolVersion version, List<GuestDisplay> displays, String guestName) {
        public Accepted {
            Objects.requireNonNull(version, "version");
            displays = List.copyOf(displays);
            guestName = guestName == null ? "" : guestName;
        }
    }

    /** The protocol version this build speaks. A new object each call (Thrift structs are mutable). */
    public static ProtocolVersion currentVersion() {
        return new ProtocolVersion(
                OverlayProtocolConstants.PROTOCOL_VERSION_MAJOR, OverlayProtocolConstants.PROTOCOL_VERSION_MINOR);
    }

    /**
     * The version two peers use: same major required, the smaller minor.
     *
     * @throws OverlayError VERSION_MISMATCH naming both versions
     */
    public static ProtocolVersion negotiate(ProtocolVersion peer) throws OverlayError {
        ProtocolVersion ours = currentVersion();
        if (peer == null) {
            throw new OverlayError(ErrorCode.INVALID_ARGUMENT, "version is missing");
        }
        if (peer.getMajor() != ours.getMajor()) {
            throw new OverlayError(
                    ErrorCode.VERSION_MISMATCH,
                    "protocol version mismatch: the guest speaks " + format(peer) + ", this client speaks "
                            + format(ours) + " (majors must match); play the video locally or update "
                            + (peer.getMajor() < ours.getMajor() ? "the guest's overlay proxy" : "the client"));
        }
        return new ProtocolVersion(ours.getMajor(), Math.min(ours.getMinor(), peer.getMinor()));
    }

    /**
     * Checks a hello and returns what it establishes.
     *
     * @throws OverlayError VERSION_MISMATCH, AUTH_FAILED, INVALID_ARGUMENT or LIMIT_EXCEEDED
     */
    public Accepted accept(HelloRequest request) throws OverlayError {
        if (request == null) {
            throw new OverlayError(ErrorCode.INVALID_ARGUMENT, "request is missing");
        }
        ProtocolVersion version = negotiate(request.getVersion());
        checkToken(request.getAuthToken());
        List<GuestDisplay> displays = WireTypes.toDisplays(request.getDisplays(), "displays", MAX_DISPLAYS);
        return new Accepted(version, displays, request.getGuestName());
    }

    /**
     * Checks a token presented by a guest (in hello or attach).
     *
     * @throws OverlayError AUTH_FAILED when a token is required and this one is missing or wrong
     */
    public void checkToken(String presented) throws OverlayError {
        if (requiredToken == null) {
            return;
        }
        if (presented == null || presented.isEmpty()) {
            throw new OverlayError(
                    ErrorCode.AUTH_FAILED,
                    "this client requires an auth token; configure the guest proxy with the client's token");
        }
        // Constant-time comparison: the token is a secret.
        if (!MessageDigest.isEqual(requiredToken, presented.getBytes(StandardCharsets.UTF_8))) {
            throw new OverlayError(ErrorCode.AUTH_FAILED, "the auth token does not match the client's token");
        }
    }

    public static String format(ProtocolVersion v) {
        return v.getMajor() + "." + v.getMinor();
    }

    @Override
    public String toString() {
        return "HelloHandshake[" + (requiredToken == null ? "no auth" : "token required") + ", protocol "
                + format(currentVersion()) + "]";
    }
}
