package org.spiceoverlay.api.transport;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.zip.CRC32;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Many logical connections over one byte stream (a virtio-serial port, a PTY, one socket), each
 * with its own flow control, so that a byte stream with no connections of its own carries the
 * overlay protocol for many player apps at once.
 *
 * <h2>Wire format</h2> Every frame is a 16-byte header, big-endian: magic {@code "SOMX"}, type (u8),
 * flags (u8), reserved (u16), connection id (u32), payload length (u32); then the payload.
 * <ul>
 * <li>HELLO (id 0, 28 bytes: version u16, flags u16, instance u64, generation u32, window u32,
 * max payload u32, CRC-32 of the previous 24 bytes). Each end announces itself when it starts and
 * repeats it until the other end answers; flag REPLY asks for an answer. A HELLO with an
 * (instance, generation) not seen before means the other end started afresh or lost its state:
 * every connection is reset. That is how a restarted client or guest is noticed on a stream that
 * has no end-of-file of its own.</li>
 * <li>OPEN (label), OPEN_OK, CLOSE (reason): connection set-up and tear-down. The guest end opens
 * odd ids, the host end even ids; ids are never reused within a run.</li>
 * <li>DATA (bytes, at most the receiver's max payload) and WINDOW (u32 increment): per-connection
 * credit. A sender never has more than the receiver's window unconsumed; the receiver grants more
 * as its reader consumes. Exceeding the window closes that connection only.</li>
 * <li>PING/PONG: keep-alive; silence past {@link MuxOptions#peerTimeoutMs()} resets every
 * connection and goes back to announcing.</li>
 * </ul>
 * After a framing error (bad magic, impossible length) the reader resets every connection, starts
 * a new generation and scans the stream for the other end's next valid HELLO (its CRC makes a false
 * match in data practically impossible).
 *
 * <h2>Threads</h2> One reader thread demultiplexes and never blocks on writing: control frames go
 * through a writer thread. Data is written by the connection's own writer thread, one frame at a
 * time under a fair lock, so connections take turns. A timer thread announces and pings.
 * Thread-safe.
 */
public final class ByteStreamMux implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ByteStreamMux.class);

    /** Which end of the stream this is; decides the parity of the ids it opens. */
    public enum Side { GUEST, HOST }

    static final int MAGIC = 0x534F4D58; // "SOMX"
    static final int HEADER_BYTES = 16;
    static final int VERSION = 1;
    static final int HELLO = 1;
    static final int OPEN = 2;
    static final int OPEN_OK = 3;
    static final int CLOSE = 4;
    static final int DATA = 5;
    static final int WINDOW = 6;
    static final int PING = 7;
    static final int PONG = 8;
    static final int HELLO_BYTES = 28;
    static final int MAX_TEXT_BYTES = 256;
    static final int FLAG_REPLY = 1;
    private static final int MAX_QUEUED_CONTROL = 65536;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ByteStream stream;
    private final Side side;
    private final MuxOptions options;
    private final Consumer<MuxChannel> acceptor;
    private final DataOutputStream out;
    private final ReentrantLock writeLock = new ReentrantLock(true);
    private final BlockingQueue<byte[]> control = new LinkedBlockingQueue<>(MAX_QUEUED_CONTROL);
    private final Map<Integer, MuxChannel> channels = new ConcurrentHashMap<>();
    private final long instance;
    private final Object state = new Object();
    private final AtomicLong resets = new AtomicLong();
    private final Thread reader;
    private final Thread writer;
    private final ScheduledExecutorService timer;

    // guarded by state
    private int generation = 1;
    private boolean heardPeer;
    private boolean peerKnown;
    private long peerInstance;
    private int peerGeneration;
    private int peerWindow;
    private int peerMaxPayload;
    private int nextId;
    private String deadReason;

    private volatile long lastReceivedNanos = System.nanoTime();
    private volatile long lastSentNanos = System.nanoTime();

    private ByteStreamMux(ByteStream stream, Side side, MuxOptions options, Consumer<MuxChannel> acceptor) {
        this.stream = stream;
        this.side = side;
        this.options = options;
        this.acceptor = acceptor;
        this.out = new DataOutputStream(new BufferedOutputStream(stream.output(), options.maxPayload() + HEADER_BYTES));
        long id;
        do {
            id = RANDOM.nextLong();
        } while (id == 0);
        this.instance = id;
        this.nextId = side == Side.GUEST ? 1 : 2;
        String name = stream.describe();
        this.reader = new Thread(this::readLoop, "mux-read-" + name);
        this.writer = new Thread(this::writeLoop, "mux-write-" + name);
        reader.setDaemon(true);
        writer.setDaemon(true);
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
        ByteStreamMux m = new ByteStreamMux(Objects.requireNonNull(stream, "stream"), Objects.requireNonNull(side, "side"),
                Objects.requireNonNull(options, "options"), acceptor);
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
        synchronized (state) {
            return deadReason == null;
        }
    }

    /** Why the mux stopped, or null while it works. */
    public String deadReason() {
        synchronized (state) {
            return deadReason;
        }
    }

    /** Whether the other end has answered (since the last reset). */
    public boolean isPeerConnected() {
        synchronized (state) {
            return heardPeer && deadReason == null;
        }
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
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        synchronized (state) {
            while (!heardPeer && deadReason == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(state, left);
            }
            if (deadReason != null) {
                throw new IOException(deadReason);
            }
            return true;
        }
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
            synchronized (state) {
                if (channels.size() >= options.maxChannels()) {
                    throw new IOException("too many connections on " + describe() + " (max " + options.maxChannels() + ")");
                }
                int id = nextId;
                if (id < 0 || id > Integer.MAX_VALUE - 2) {
                    throw new IOException("out of connection ids on " + describe());
                }
                nextId += 2;
                ch = new MuxChannel(this, id, label, options.windowBytes(), peerWindow,
                        Math.min(peerMaxPayload, options.maxPayload()), false);
                channels.put(id, ch);
            }
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
        writeLock.lock();
        try {
            writeHeader(DATA, 0, id, len);
            out.write(b, off, len);
            out.flush();
            lastSentNanos = System.nanoTime();
        } catch (IOException e) {
            die("writing to " + describe() + " failed: " + reason(e), true);
            throw e;
        } finally {
            writeLock.unlock();
        }
    }

    void grantWindow(int id, int increment) {
        queueControl(WINDOW, id, ByteBuffer.allocate(4).putInt(increment).array());
    }

    void closedLocally(MuxChannel ch) {
        if (channels.remove(ch.id(), ch)) {
            queueControl(CLOSE, ch.id(), text("closed"));
        }
    }

    // ---- writing -------------------------------------------------------------------------------

    private void writeHeader(int type, int flags, int id, int len) throws IOException {
        out.writeInt(MAGIC);
        out.writeByte(type);
        out.writeByte(flags);
        out.writeShort(0);
        out.writeInt(id);
        out.writeInt(len);
    }

    static byte[] frame(int type, int flags, int id, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES + payload.length);
        b.putInt(MAGIC).put((byte) type).put((byte) flags).putShort((short) 0).putInt(id).putInt(payload.length)
                .put(payload);
        return b.array();
    }

    private void queueControl(int type, int id, byte[] payload) {
        queueControl(type, 0, id, payload);
    }

    private void queueControl(int type, int flags, int id, byte[] payload) {
        if (!isAlive()) {
            return;
        }
        if (!control.offer(frame(type, flags, id, payload))) {
            die("more than " + MAX_QUEUED_CONTROL + " control frames waiting on " + describe()
                    + ": the other end stopped reading", true);
        }
    }

    private void writeLoop() {
        try {
            while (true) {
                byte[] f = control.take();
                writeLock.lock();
                try {
                    out.write(f);
                    // batch what else is waiting into the same write
                    byte[] more;
                    while ((more = control.poll()) != null) {
                        out.write(more);
                    }
                    out.flush();
                    lastSentNanos = System.nanoTime();
                } finally {
                    writeLock.unlock();
                }
            }
        } catch (InterruptedException e) {
            // closing
        } catch (IOException e) {
            die("writing to " + describe() + " failed: " + reason(e), true);
        }
    }

    private void sendHello(int flags) {
        ByteBuffer b = ByteBuffer.allocate(HELLO_BYTES);
        synchronized (state) {
            b.putShort((short) VERSION).putShort((short) flags).putLong(instance).putInt(generation)
                    .putInt(options.windowBytes()).putInt(options.maxPayload());
        }
        CRC32 crc = new CRC32();
        crc.update(b.array(), 0, 24);
        b.putInt((int) crc.getValue());
        queueControl(HELLO, flags, 0, b.array());
    }

    // ---- reading -------------------------------------------------------------------------------

    private void readLoop() {
        DataInputStream in = new DataInputStream(new BufferedInputStream(stream.input(), options.maxPayload() + HEADER_BYTES));
        boolean aligned = true;
        try {
            while (isAlive()) {
                if (!aligned) {
                    scanForHello(in);
                    aligned = true;
                    continue;
                }
                int magic = in.readInt();
                if (magic != MAGIC) {
                    lostSync(String.format("bad frame magic 0x%08x", magic));
                    aligned = false;
                    continue;
                }
                int type = in.readUnsignedByte();
                int flags = in.readUnsignedByte();
                in.readUnsignedShort();
                int id = in.readInt();
                int len = in.readInt();
                String problem = checkHeader(type, id, len);
                if (problem != null) {
                    lostSync(problem);
                    aligned = false;
                    continue;
                }
                byte[] payload = new byte[len];
                in.readFully(payload);
                lastReceivedNanos = System.nanoTime();
                handle(type, flags, id, payload);
            }
        } catch (EOFException e) {
            die("the other end closed " + describe(), true);
        } catch (IOException e) {
            die("reading " + describe() + " failed: " + reason(e), true);
        } catch (RuntimeException e) {
            LOG.error("mux reader on {} failed", describe(), e);
            die("internal error reading " + describe() + ": " + e, true);
        }
    }

    private String checkHeader(int type, int id, int len) {
        if (type < HELLO || type > PONG) {
            return "unknown frame type " + type;
        }
        if (len < 0) {
            return "negative frame length " + len;
        }
        int max = switch (type) {
            case HELLO -> HELLO_BYTES;
            case DATA -> options.maxPayload();
            case WINDOW -> 4;
            case OPEN, CLOSE -> MAX_TEXT_BYTES;
            default -> 0;
        };
        if (len > max) {
            return "frame of type " + type + " claims " + len + " bytes, more than " + max;
        }
        if (type == HELLO && (len != HELLO_BYTES || id != 0)) {
            return "malformed HELLO frame";
        }
        return null;
    }

    /** Reads byte by byte until a whole valid HELLO frame has gone past, and handles it. */
    private void scanForHello(DataInputStream in) throws IOException {
        byte[] win = new byte[HEADER_BYTES + HELLO_BYTES];
        int filled = 0;
        long skipped = 0;
        while (isAlive()) {
            int b = in.readUnsignedByte();
            if (filled < win.length) {
                win[filled++] = (byte) b;
            } else {
                System.arraycopy(win, 1, win, 0, win.length - 1);
                win[win.length - 1] = (byte) b;
                skipped++;
            }
            if (filled == win.length && isHelloFrame(win)) {
                LOG.info("frame sync regained on {} after {} bytes", describe(), skipped);
                lastReceivedNanos = System.nanoTime();
                handle(HELLO, win[5] & 0xFF, 0, java.util.Arrays.copyOfRange(win, HEADER_BYTES, win.length));
                return;
            }
        }
    }

    private static boolean isHelloFrame(byte[] w) {
        ByteBuffer b = ByteBuffer.wrap(w);
        if (b.getInt(0) != MAGIC || w[4] != HELLO || b.getInt(8) != 0 || b.getInt(12) != HELLO_BYTES) {
            return false;
        }
        CRC32 crc = new CRC32();
        crc.update(w, HEADER_BYTES, 24);
        return (int) crc.getValue() == b.getInt(HEADER_BYTES + 24);
    }

    private void handle(int type, int flags, int id, byte[] payload) {
        switch (type) {
            case HELLO -> onHello(payload);
            case PING -> queueControl(PONG, 0, new byte[0]);
            case PONG -> {
                // lastReceivedNanos already says the other end is alive
            }
            default -> {
                synchronized (state) {
                    if (!peerKnown) {
                        return; // left over from before the other end announced itself
                    }
                }
                onConnectionFrame(type, id, payload);
            }
        }
    }

    private void onHello(byte[] p) {
        ByteBuffer b = ByteBuffer.wrap(p);
        CRC32 crc = new CRC32();
        crc.update(p, 0, 24);
        if ((int) crc.getValue() != b.getInt(24)) {
            lostSync("HELLO with a bad checksum");
            return;
        }
        int version = b.getShort() & 0xFFFF;
        int flags = b.getShort() & 0xFFFF;
        long inst = b.getLong();
        int gen = b.getInt();
        int window = b.getInt();
        int maxPayload = b.getInt();
        if (version != VERSION) {
            die("the other end of " + describe() + " speaks mux version " + version + ", this end " + VERSION, true);
            return;
        }
        if (window < 4096 || maxPayload < 1024) {
            lostSync("HELLO with window " + window + " and max payload " + maxPayload);
            return;
        }
        String reset = null;
        synchronized (state) {
            if (!peerKnown || inst != peerInstance || gen != peerGeneration) {
                reset = !peerKnown ? null : inst != peerInstance ? "the other end restarted" : "the other end reset the stream";
                peerKnown = true;
                peerInstance = inst;
                peerGeneration = gen;
                peerWindow = window;
                peerMaxPayload = maxPayload;
                // nobody opens a connection until the old ones are gone
                heardPeer = false;
            }
        }
        if (reset != null) {
            resetChannels(reset + " (" + describe() + ")");
        }
        synchronized (state) {
            heardPeer = true;
            state.notifyAll();
        }
        if ((flags & FLAG_REPLY) != 0) {
            sendHello(0);
        }
    }

    private void onConnectionFrame(int type, int id, byte[] payload) {
        switch (type) {
            case OPEN -> {
                boolean peersId = (id & 1) == (side == Side.GUEST ? 0 : 1);
                if (!peersId || id <= 0) {
                    queueControl(CLOSE, id, text("connection id " + id + " has the wrong parity for your end"));
                    return;
                }
                if (channels.containsKey(id)) {
                    return;
                }
                if (acceptor == null) {
                    queueControl(CLOSE, id, text("this end of " + describe() + " accepts no connections"));
                    return;
                }
                MuxChannel ch;
                synchronized (state) {
                    if (channels.size() >= options.maxChannels()) {
                        queueControl(CLOSE, id, text("too many connections on " + describe() + " (max "
                                + options.maxChannels() + ")"));
                        return;
                    }
                    ch = new MuxChannel(this, id, new String(payload, StandardCharsets.UTF_8), options.windowBytes(),
                            peerWindow, Math.min(peerMaxPayload, options.maxPayload()), true);
                    channels.put(id, ch);
                }
                queueControl(OPEN_OK, id, new byte[0]);
                try {
                    acceptor.accept(ch);
                } catch (RuntimeException e) {
                    LOG.warn("accepting connection {} on {} failed", id, describe(), e);
                    ch.close();
                }
            }
            case OPEN_OK -> {
                MuxChannel ch = channels.get(id);
                if (ch != null) {
                    ch.opened();
                } else {
                    // opened before a reset here: the other end must not keep it waiting
                    queueControl(CLOSE, id, text("that connection was reset"));
                }
            }
            case CLOSE -> {
                MuxChannel ch = channels.remove(id);
                if (ch != null) {
                    ch.remoteClosed(new String(payload, StandardCharsets.UTF_8), false);
                }
            }
            case DATA -> {
                MuxChannel ch = channels.get(id);
                if (ch != null && !ch.offer(payload)) {
                    channels.remove(id, ch);
                    ch.remoteClosed("the other end sent past the connection's window", true);
                    queueControl(CLOSE, id, text("window of " + options.windowBytes() + " bytes exceeded"));
                }
            }
            case WINDOW -> {
                MuxChannel ch = channels.get(id);
                int inc = ByteBuffer.wrap(payload).getInt();
                if (ch != null && inc > 0) {
                    ch.grant(inc);
                }
            }
            default -> {
                // checked in checkHeader
            }
        }
    }

    // ---- resets, liveness ------------------------------------------------------------------------

    private void lostSync(String problem) {
        LOG.warn("lost frame sync on {}: {}; resetting its connections", describe(), problem);
        newGeneration("lost frame sync on " + describe() + ": " + problem);
    }

    /** Forgets the other end and every connection, and announces a new generation. */
    private void newGeneration(String reason) {
        synchronized (state) {
            generation++;
            heardPeer = false;
        }
        resetChannels(reason);
        sendHello(FLAG_REPLY);
    }

    private void resetChannels(String reason) {
        if (channels.isEmpty()) {
            return;
        }
        resets.incrementAndGet();
        LOG.info("resetting {} connection(s) on {}: {}", channels.size(), describe(), reason);
        for (MuxChannel ch : new ArrayList<>(channels.values())) {
            channels.remove(ch.id(), ch);
            ch.remoteClosed(reason, true);
        }
    }

    private void tick() {
        boolean heard;
        synchronized (state) {
            heard = heardPeer;
        }
        long now = System.nanoTime();
        if (!heard) {
            sendHello(FLAG_REPLY);
            return;
        }
        if (now - lastReceivedNanos > TimeUnit.MILLISECONDS.toNanos(options.peerTimeoutMs())) {
            LOG.warn("nothing from the other end of {} for {} ms; resetting its connections", describe(),
                    options.peerTimeoutMs());
            newGeneration("no answer from the other end of " + describe() + " for " + options.peerTimeoutMs() + " ms");
            return;
        }
        if (now - lastSentNanos >= TimeUnit.MILLISECONDS.toNanos(options.keepaliveMs())) {
            queueControl(PING, 0, new byte[0]);
        }
    }

    private void die(String reason, boolean failure) {
        synchronized (state) {
            if (deadReason != null) {
                return;
            }
            deadReason = reason;
            state.notifyAll();
        }
        if (failure) {
            LOG.info("mux on {} stopped: {}", describe(), reason);
        }
        timer.shutdownNow();
        writer.interrupt();
        stream.close();
        for (MuxChannel ch : new ArrayList<>(channels.values())) {
            channels.remove(ch.id(), ch);
            ch.remoteClosed(reason, true);
        }
    }

    private static String reason(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static byte[] text(String s) {
        byte[] b = (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
        if (b.length <= MAX_TEXT_BYTES) {
            return b;
        }
        // cut on a character boundary
        int n = MAX_TEXT_BYTES;
        while (n > 0 && (b[n] & 0xC0) == 0x80) {
            n--;
        }
        return java.util.Arrays.copyOf(b, n);
    }
}
