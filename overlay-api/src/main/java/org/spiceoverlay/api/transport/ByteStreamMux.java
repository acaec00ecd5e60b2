package org.spiceoverlay.api.transport;

import static org.spiceoverlay.api.transport.MuxWire.FLAG_REPLY;
import static org.spiceoverlay.api.transport.MuxWire.HEADER_BYTES;
import static org.spiceoverlay.api.transport.MuxWire.HELLO;
import static org.spiceoverlay.api.transport.MuxWire.OPEN;
import static org.spiceoverlay.api.transport.MuxWire.PING;
import static org.spiceoverlay.api.transport.MuxWire.PONG;
import static org.spiceoverlay.api.transport.MuxWire.VERSION;
import static org.spiceoverlay.api.transport.MuxWire.WINDOW;
import static org.spiceoverlay.api.transport.MuxWire.text;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Many logical connections over one byte stream (a virtio-serial port, a PTY, one socket), each
 * with its own flow control, so that a byte stream with no connections of its own carries the
 * overlay protocol for many player apps at once.
 *
 * <p>The frames are {@link MuxWire}'s. After a framing error the reader resets every connection,
 * starts a new generation and looks for the other end's next valid HELLO ({@link MuxFrameReader}).
 *
 * <h2>Threads</h2> One reader thread demultiplexes and never blocks on writing: control frames go
 * through a writer thread. Data is written by the connection's own writer thread, one frame at a
 * time under a fair lock, so connections take turns. A timer thread announces and pings.
 * Thread-safe.
 */
public final class ByteStreamMux implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ByteStreamMux.class);

    /** Which end of the stream this is; decides the parity of the ids it opens. */
    public enum Side {
        GUEST,
        HOST
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final ByteStream stream;
    private final MuxOptions options;
    private final MuxChannelTable channels;
    private final long instance;
    private final MuxPeerState state = new MuxPeerState();
    private final AtomicLong resets = new AtomicLong();
    private final MuxFrameReader frames;
    private final Thread reader;
    private final MuxFrameWriter writer;
    private final ScheduledExecutorService timer;

    private ByteStreamMux(ByteStream stream, Side side, MuxOptions options, Consumer<MuxChannel> acceptor) {
        this.stream = stream;
        this.options = options;
        this.writer = new MuxFrameWriter(
                stream.output(),
                options.maxPayload(),
                stream.describe(),
                e -> die("writing to " + describe() + " failed: " + reason(e), true));
        this.frames = new MuxFrameReader(
                new DataInputStream(new BufferedInputStream(stream.input(), options.maxPayload() + HEADER_BYTES)),
                options.maxPayload(),
                stream.describe(),
                this::handle,
                this::lostSync,
                this::isAlive);
        long id;
        do {
            id = RANDOM.nextLong();
        } while (id == 0);
        this.instance = id;
        this.channels = new MuxChannelTable(this, side, options, acceptor, this::queueControl);
        String name = stream.describe();
        this.reader = new Thread(this::readLoop, "mux-read-" + name);
        reader.setDaemon(true);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mux-timer-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts multiplexing on a byte stream, which the mux owns from now on (closing the mux closes
     * it).
     *
     * @param acceptor called on the reader thread with each connection the other end opens; it must
     *                 return quickly (hand the connection to a thread of its own). Null: this end
     *                 refuses connections from the other end.
     */
    public static ByteStreamMux start(ByteStream stream, Side side, MuxOptions options, Consumer<MuxChannel> acceptor) {
        ByteStreamMux m = new ByteStreamMux(
                Objects.requireNonNull(stream, "stream"),
                Objects.requireNonNull(side, "side"),
                Objects.requireNonNull(options, "options"),
                acceptor);
        m.sendHello(FLAG_REPLY);
        m.reader.start();
        m.writer.start();
        m.timer.scheduleWithFixedDelay(m::tick, options.helloRetryMs(), options.helloRetryMs(), TimeUnit.MILLISECONDS);
        return m;
    }

    /** What the stream underneath is, for messages. */
    public String describe() {
        return stream.describe();
    }

    /** Whether the stream still works (not closed, no read or write failure). */
    public boolean isAlive() {
        return state.deadReason() == null;
    }

    /** Why the mux stopped, or null while it works. */
    public String deadReason() {
        return state.deadReason();
    }

    /** Whether the other end has answered (since the last reset). */
    public boolean isPeerConnected() {
        return state.connected();
    }

    /** How many times every connection was reset (other end restarted, lost sync, went silent). */
    public long resets() {
        return resets.get();
    }

    /** Logical connections open now. */
    public int channelCount() {
        return channels.size();
    }

    /**
     * Waits for the other end to answer.
     *
     * @return true once it has; false on timeout
     * @throws IOException when the stream has failed
     */
    public boolean awaitPeer(long timeout, TimeUnit unit) throws IOException, InterruptedException {
        return state.awaitPeer(timeout, unit);
    }

    /** Blocks until the mux has stopped (stream closed or failed). */
    public void awaitTermination() throws InterruptedException {
        reader.join();
    }

    /**
     * Opens a logical connection: waits for the other end (up to {@link MuxOptions#openTimeoutMs()})
     * and for it to accept.
     *
     * @param label shown at the other end (for its logs), at most 256 bytes of UTF-8
     * @throws IOException saying why: no answer from the other end, refused (and its reason), stream
     *                     failed
     */
    public MuxChannel open(String label) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.openTimeoutMs());
        MuxChannel ch;
        try {
            if (!awaitPeer(options.openTimeoutMs(), TimeUnit.MILLISECONDS)) {
                throw new IOException("no answer on " + describe() + " within " + options.openTimeoutMs()
                        + " ms: is the other end (client service or guest proxy) attached?");
            }
            ch = channels.openLocal(label, state.peerLimits());
            queueControl(OPEN, ch.id(), text(label));
            ch.awaitOpen(deadline);
            return ch;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while opening a connection on " + describe(), e);
        }
    }

    /** Closes every connection and the stream. Idempotent. */
    @Override
    public void close() {
        die("closed", false);
    }

    // ---- used by channels ----------------------------------------------------------------------

    void writeData(int id, byte[] b, int off, int len) throws IOException {
        writer.writeData(id, b, off, len);
    }

    void grantWindow(int id, int increment) {
        queueControl(WINDOW, id, MuxWire.windowIncrement(increment));
    }

    void closedLocally(MuxChannel ch) {
        channels.closedLocally(ch);
    }

    // ---- writing -------------------------------------------------------------------------------

    private void queueControl(int type, int id, byte[] payload) {
        queueControl(type, 0, id, payload);
    }

    private void queueControl(int type, int flags, int id, byte[] payload) {
        if (!isAlive()) {
            return;
        }
        if (!writer.queue(MuxWire.frame(type, flags, id, payload))) {
            die(
                    "more than " + MuxFrameWriter.MAX_QUEUED_CONTROL + " control frames waiting on " + describe()
                            + ": the other end stopped reading",
                    true);
        }
    }

    private void sendHello(int flags) {
        queueControl(
                HELLO, flags, 0, state.hello(VERSION, flags, instance, options).encode());
    }

    // ---- reading -------------------------------------------------------------------------------

    private void readLoop() {
        try {
            frames.run();
        } catch (EOFException e) {
            die("the other end closed " + describe(), true);
        } catch (IOException e) {
            die("reading " + describe() + " failed: " + reason(e), true);
        } catch (RuntimeException e) {
            LOG.error("mux reader on {} failed", describe(), e);
            die("internal error reading " + describe() + ": " + e, true);
        }
    }

    private void handle(int type, int flags, int id, byte[] payload) {
        switch (type) {
            case HELLO -> onHello(payload);
            case PING -> queueControl(PONG, 0, new byte[0]);
            case PONG -> {} // its arrival already says the other end is alive
            default -> {
                if (!state.peerKnown()) {
                    return; // left over from before the other end announced itself
                }
                channels.onFrame(type, id, payload, state.peerLimits());
            }
        }
    }

    private void onHello(byte[] p) {
        MuxWire.Hello hello = MuxWire.Hello.decode(p);
        if (hello == null) {
            lostSync("HELLO with a bad checksum");
            return;
        }
        int version = hello.version();
        if (version != VERSION) {
            die("the other end of " + describe() + " speaks mux version " + version + ", this end " + VERSION, true);
            return;
        }
        if (hello.window() < 4096 || hello.maxPayload() < 1024) {
            lostSync("HELLO with window " + hello.window() + " and max payload " + hello.maxPayload());
            return;
        }
        String reset = state.accept(hello);
        if (reset != null) {
            resetChannels(reset + " (" + describe() + ")");
        }
        state.heard();
        if ((hello.flags() & FLAG_REPLY) != 0) {
            sendHello(0);
        }
    }

    // ---- resets, liveness ------------------------------------------------------------------------

    private void lostSync(String problem) {
        LOG.warn("lost frame sync on {}: {}; resetting its connections", describe(), problem);
        newGeneration("lost frame sync on " + describe() + ": " + problem);
    }

    /** Forgets the other end and every connection, and announces a new generation. */
    private void newGeneration(String reason) {
        state.newGeneration();
        resetChannels(reason);
        sendHello(FLAG_REPLY);
    }

    private void resetChannels(String reason) {
        if (channels.size() == 0) {
            return;
        }
        resets.incrementAndGet();
        LOG.info("resetting {} connection(s) on {}: {}", channels.size(), describe(), reason);
        channels.closeAll(reason);
    }

    private void tick() {
        long now = System.nanoTime();
        if (!state.heardPeer()) {
            sendHello(FLAG_REPLY);
            return;
        }
        if (now - frames.lastReceivedNanos() > TimeUnit.MILLISECONDS.toNanos(options.peerTimeoutMs())) {
            LOG.warn(
                    "nothing from the other end of {} for {} ms; resetting its connections",
                    describe(),
                    options.peerTimeoutMs());
            newGeneration("no answer from the other end of " + describe() + " for " + options.peerTimeoutMs() + " ms");
            return;
        }
        if (now - writer.lastSentNanos() >= TimeUnit.MILLISECONDS.toNanos(options.keepaliveMs())) {
            queueControl(PING, 0, new byte[0]);
        }
    }

    private void die(String reason, boolean failure) {
        if (!state.die(reason)) {
            return;
        }
        if (failure) {
            LOG.info("mux on {} stopped: {}", describe(), reason);
        }
        timer.shutdownNow();
        writer.stop();
        stream.close();
        channels.closeAll(reason);
    }

    private static String reason(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
