package org.spiceoverlay.api.transport;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the overlay service listens or a guest connects. Text forms, as on command lines:
 * <ul>
 * <li>{@code tcp:HOST:PORT} (or {@code HOST:PORT}) and {@code unix:PATH}: one socket connection per
 * guest connection;</li>
 * <li>{@code serial:PATH}: a byte-stream device such as a virtio-serial port in the guest
 * ({@code /dev/virtio-ports/org.spiceoverlay.0}) or a raw PTY; always multiplexed
 * ({@link ByteStreamMux}), since a byte stream has no connections of its own;</li>
 * <li>{@code mux+unix:PATH} and {@code mux+tcp:HOST:PORT}: one socket carrying the multiplexed byte
 * stream, as QEMU's socket chardev presents a virtio-serial port on the host.</li>
 * </ul>
 *
 * <p>Immutable; safe to share between threads.
 */
public record Endpoint(Kind kind, String host, int port, Path path, boolean muxed) {

    /** The transports underneath. */
    public enum Kind {
        TCP,
        UNIX,
        SERIAL
    }

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
        if (kind == Kind.SERIAL && !muxed) {
            throw new IllegalArgumentException("a serial endpoint is always multiplexed");
        }
    }

    public static Endpoint tcp(String host, int port) {
        return new Endpoint(Kind.TCP, host, port, null, false);
    }

    public static Endpoint unix(Path path) {
        return new Endpoint(Kind.UNIX, null, 0, path, false);
    }

    /** A byte-stream device (virtio-serial port, raw PTY), multiplexed. */
    public static Endpoint serial(Path path) {
        return new Endpoint(Kind.SERIAL, null, 0, path, true);
    }

    /** The same socket endpoint carrying a multiplexed byte stream. */
    public Endpoint multiplexed() {
        return new Endpoint(kind, host, port, path, true);
    }

    /**
     * Parses the text forms listed on the class.
     *
     * @throws IllegalArgumentException saying what is wrong with the text
     */
    public static Endpoint parse(String text) {
        Objects.requireNonNull(text, "text");
        if (text.startsWith("mux+")) {
            String inner = text.substring(4);
            if (!inner.startsWith("unix:") && !inner.startsWith("tcp:")) {
                throw new IllegalArgumentException(
                        "endpoint \"" + text + "\": mux+ goes with unix:PATH or tcp:HOST:PORT");
            }
            return parse(inner).multiplexed();
        }
        if (text.startsWith("serial:")) {
            return serial(pathOf(text, "serial:", "a device path"));
        }
        if (text.startsWith("unix:")) {
            return unix(pathOf(text, "unix:", "a socket path"));
        }
        String rest = text.startsWith("tcp:") ? text.substring(4) : text;
        int colon = rest.lastIndexOf(':');
        if (colon <= 0 || colon == rest.length() - 1) {
            throw new IllegalArgumentException("endpoint \"" + text
                    + "\" is not tcp:HOST:PORT, unix:PATH, serial:PATH, mux+unix:PATH or mux+tcp:HOST:PORT");
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

    private static Path pathOf(String text, String prefix, String what) {
        String p = text.substring(prefix.length());
        if (p.isEmpty()) {
            throw new IllegalArgumentException("endpoint \"" + text + "\": " + prefix + " needs " + what);
        }
        return Path.of(p);
    }

    /** Whether only this machine can reach the endpoint (TCP on loopback, a Unix socket, a device). */
    public boolean isLoopback() {
        if (kind != Kind.TCP) {
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
        String base =
                switch (kind) {
                    case TCP -> "tcp:" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
                    case UNIX -> "unix:" + path;
                    case SERIAL -> "serial:" + path;
                };
        return muxed && kind != Kind.SERIAL ? "mux+" + base : base;
    }
}
