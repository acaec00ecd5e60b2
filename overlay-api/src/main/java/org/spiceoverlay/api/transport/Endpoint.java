package org.spiceoverlay.api.transport;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the overlay service listens or a guest connects: {@code tcp:HOST:PORT} or
 * {@code unix:PATH}. Parsed and validated from the text form used on command lines.
 *
 * <p>Immutable; safe to share between threads.
 */
public record Endpoint(Kind kind, String host, int port, Path path) {

    /** The transports. */
    public enum Kind { TCP, UNIX }

    /** The client's default: TCP on loopback only. */
    public static final int DEFAULT_PORT = 7390;

    public Endpoint {
        Objects.requireNonNull(kind, "kind");
        if (kind == Kind.TCP) {
            Objects.requireNonNull(host, "host");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be in [0, 65535], got " + port);
            }
        } else {
            Objects.requireNonNull(path, "path");
        }
    }

    public static Endpoint tcp(String host, int port) {
        return new Endpoint(Kind.TCP, host, port, null);
    }

    public static Endpoint unix(Path path) {
        return new Endpoint(Kind.UNIX, null, 0, path);
    }

    /**
     * Parses {@code tcp:HOST:PORT}, {@code HOST:PORT} or {@code unix:PATH}.
     *
     * @throws IllegalArgumentException saying what is wrong with the text
     */
    public static Endpoint parse(String text) {
        Objects.requireNonNull(text, "text");
        if (text.startsWith("unix:")) {
            String p = text.substring(5);
            if (p.isEmpty()) {
                throw new IllegalArgumentException("endpoint \"" + text + "\": unix: needs a socket path");
            }
            return unix(Path.of(p));
        }
        String rest = text.startsWith("tcp:") ? text.substring(4) : text;
        int colon = rest.lastIndexOf(':');
        if (colon <= 0 || colon == rest.length() - 1) {
            throw new IllegalArgumentException("endpoint \"" + text + "\" is not tcp:HOST:PORT or unix:PATH");
        }
        String host = rest.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(rest.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("endpoint \"" + text + "\": port is not a number");
        }
        return tcp(host, port);
    }

    /** Whether a TCP endpoint only accepts connections from this machine. */
    public boolean isLoopback() {
        if (kind == Kind.UNIX) {
            return true;
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return kind == Kind.TCP ? "tcp:" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port : "unix:" + path;
    }
}
