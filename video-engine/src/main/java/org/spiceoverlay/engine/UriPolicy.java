package org.spiceoverlay.engine;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which URIs a guest may ask the client to fetch. Off by default: a guest is not trusted to make
 * the client machine open arbitrary addresses, and local files are never allowed whatever the
 * configuration says (a guest must not read the client's disk).
 *
 * <p>Immutable; safe to share between threads.
 */
public final class UriPolicy {

    /** Schemes that can never be allowed: they read the client machine itself. */
    private static final Set<String> NEVER =
            Set.of("file", "fd", "appsrc", "dvb", "v4l2", "pulse", "alsa", "dvd", "cdda", "data", "jar");

    private static final int MAX_URI_LENGTH = 4096;

    private final Set<String> schemes;
    private final Set<String> hosts;

    private UriPolicy(Set<String> schemes, Set<String> hosts) {
        this.schemes = schemes;
        this.hosts = hosts;
    }

    /** Refuses every URI (the default). */
    public static UriPolicy denyAll() {
        return new UriPolicy(Set.of(), Set.of());
    }

    /**
     * Allows URIs whose scheme and host are both listed. A host entry {@code "*.example.com"}
     * allows subdomains of example.com (not example.com itself).
     *
     * @throws IllegalArgumentException if a never-allowed scheme (file, ...) is listed
     */
    public static UriPolicy allow(Set<String> schemes, Set<String> hosts) {
        Set<String> s = schemes.stream().map(x -> x.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        for (String scheme : s) {
            if (NEVER.contains(scheme)) {
                throw new IllegalArgumentException(
                        "schemes: \"" + scheme + "\" reads the client machine and can never be allowed");
            }
        }
        Set<String> h = hosts.stream().map(x -> x.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        return new UriPolicy(s, h);
    }

    public boolean allowsAny() {
        return !schemes.isEmpty() && !hosts.isEmpty();
    }

    /**
     * Checks a URI a guest sent.
     *
     * @return the parsed URI
     * @throws EngineException URI_NOT_ALLOWED saying why (never echoing more than the scheme and host)
     */
    public URI check(String uri) throws EngineException {
        Objects.requireNonNull(uri, "uri");
        if (uri.length() > MAX_URI_LENGTH) {
            throw new EngineException(
                    EngineErrorCode.INVALID_ARGUMENT, "uri is longer than " + MAX_URI_LENGTH + " characters");
        }
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (URISyntaxException e) {
            throw new EngineException(EngineErrorCode.INVALID_ARGUMENT, "uri is not a valid URI: " + e.getReason());
        }
        String scheme = parsed.getScheme() == null ? "" : parsed.getScheme().toLowerCase(Locale.ROOT);
        if (NEVER.contains(scheme) || scheme.isEmpty()) {
            throw new EngineException(
                    EngineErrorCode.URI_NOT_ALLOWED,
                    "uri scheme \"" + scheme
                            + "\" is never allowed: the client does not open local resources for a guest");
        }
        if (!allowsAny()) {
            throw new EngineException(
                    EngineErrorCode.URI_NOT_ALLOWED,
                    "URI sources are disabled on this client; send the stream as samples or bytes instead");
        }
        if (!schemes.contains(scheme)) {
            throw new EngineException(
                    EngineErrorCode.URI_NOT_ALLOWED, "uri scheme \"" + scheme + "\" is not on the allow-list");
        }
        if (parsed.getUserInfo() != null) {
            throw new EngineException(EngineErrorCode.URI_NOT_ALLOWED, "uri must not carry user credentials");
        }
        String host = parsed.getHost() == null ? "" : parsed.getHost().toLowerCase(Locale.ROOT);
        if (!hostAllowed(host)) {
            throw new EngineException(
                    EngineErrorCode.URI_NOT_ALLOWED, "uri host \"" + host + "\" is not on the allow-list");
        }
        return parsed;
    }

    private boolean hostAllowed(String host) {
        if (host.isEmpty()) {
            return false;
        }
        if (hosts.contains(host)) {
            return true;
        }
        for (String h : hosts) {
            if (h.startsWith("*.") && host.endsWith(h.substring(1)) && host.length() > h.length() - 1) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return allowsAny() ? "UriPolicy[schemes=" + schemes + ", hosts=" + hosts + "]" : "UriPolicy[deny all]";
    }
}
