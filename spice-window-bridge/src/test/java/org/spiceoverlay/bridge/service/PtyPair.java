package org.spiceoverlay.bridge.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.spiceoverlay.api.transport.Endpoint;

/**
 * Two linked pseudo-terminals in raw mode (socat): a byte stream with a device node at each end and
 * no connection structure, which is what a virtio-serial port is to the guest (a character device)
 * and to the host (QEMU's chardev). Shared with other modules' tests (test-jar).
 */
public final class PtyPair implements AutoCloseable {

    private final Process socat;
    private final Path hostEnd;
    private final Path guestEnd;

    private PtyPair(Process socat, Path hostEnd, Path guestEnd) {
        this.socat = socat;
        this.hostEnd = hostEnd;
        this.guestEnd = guestEnd;
    }

    /** Starts socat with the two ends linked as {@code dir/host-end} and {@code dir/guest-end}. */
    public static PtyPair start(Path dir) throws IOException, InterruptedException {
        Path host = dir.resolve("host-end");
        Path guest = dir.resolve("guest-end");
        Path log = dir.resolve("socat.log");
        Process p = new ProcessBuilder(
                        "socat", "-d", "-d", "pty,raw,echo=0,link=" + host, "pty,raw,echo=0,link=" + guest)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!(Files.exists(host) && Files.exists(guest))) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new IOException("socat did not make the PTY pair: " + Files.readString(log));
            }
            Thread.sleep(10);
        }
        return new PtyPair(p, host, guest);
    }

    /** The end the client service opens ({@code serial:}). */
    public Endpoint hostEndpoint() {
        return Endpoint.serial(hostEnd);
    }

    /** The end the guest opens, as it would open its virtio-serial port. */
    public Endpoint guestEndpoint() {
        return Endpoint.serial(guestEnd);
    }

    @Override
    public void close() throws InterruptedException {
        socat.destroy();
        if (!socat.waitFor(5, TimeUnit.SECONDS)) {
            socat.destroyForcibly();
        }
    }
}
