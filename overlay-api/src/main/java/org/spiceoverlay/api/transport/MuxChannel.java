package org.spiceoverlay.api.transport;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * One logical connection of a {@link ByteStreamMux}: a pair of streams, like a socket's. Reading
 * consumes the connection's window and grants the other end more; writing blocks while the other
 * end's window is used up, which holds back only this connection.
 *
 * <p>Thread-safe: one thread may read while another writes.
 */
public final class MuxChannel implements Closeable {

    private final ByteStreamMux mux;
    private final int id;
    private final String label;
    private final int window;
    private final int maxPayload;
    private final InputStream input = new In();
    private final OutputStream output;

    // guarded by this
    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
    private int headOffset;
    private int buffered;
    private int unacked;
    private int sendWindow;
    private boolean open;
    private boolean localClosed;
    private boolean remoteClosed;
    private boolean failed;
    private String closeReason;

    MuxChannel(ByteStreamMux mux, int id, String label, int window, int sendWindow, int maxPayload, boolean open) {
        this.mux = mux;
        this.id = id;
        this.label = label;
        this.window = window;
        this.sendWindow = sendWindow;
        this.maxPayload = maxPayload;
        this.open = open;
        this.output = new BufferedOutputStream(new Out(), maxPayload);
    }

    public int id() {
        return id;
    }

    /** The label the opening end gave (for logs). */
    public String label() {
        return label;
    }

    /** For messages: the stream and the connection id. */
    public String describe() {
        return mux.describe() + "#" + id + (label.isEmpty() ? "" : " (" + label + ")");
    }

    /** Reads what the other end wrote; end-of-stream when it closed the connection. */
    public InputStream input() {
        return input;
    }

    /** Writes to the other end; {@code flush()} sends what is buffered. */
    public OutputStream output() {
        return output;
    }

    public synchronized boolean isOpen() {
        return open && !localClosed && !remoteClosed;
    }

    /** Why the connection ended (closed by the other end, reset), or null while open. */
    public synchronized String closeReason() {
        return closeReason;
    }

    /** Closes the connection (the other end reads end-of-stream). Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (localClosed) {
                return;
            }
            localClosed = true;
            if (closeReason == null) {
                closeReason = "closed";
            }
            chunks.clear();
            buffered = 0;
            notifyAll();
        }
        mux.closedLocally(this);
    }

    // ---- from the mux --------------------------------------------------------------------------

    synchronized void awaitOpen(long deadlineNanos) throws IOException, InterruptedException {
        while (!open && !remoteClosed && !localClosed) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                break;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        if (open && !remoteClosed && !localClosed) {
            return;
        }
        String why = remoteClosed ? "refused: " + closeReason : "no answer in time";
        if (!remoteClosed) {
            notifyAll();
        }
        // outside the lock would be nicer, but close() is idempotent and only queues a frame
        localClosed = true;
        mux.closedLocally(this);
        throw new IOException("opening a connection on " + mux.describe() + " failed: " + why);
    }

    synchronized void opened() {
        open = true;
        notifyAll();
    }

    /** Takes data from the other end; false when it is more than the window allows. */
    synchronized boolean offer(byte[] data) {
        if (localClosed) {
            return true; // in flight when we closed: dropped
        }
        if (buffered + data.length > window) {
            return false;
        }
        if (data.length > 0) {
            chunks.add(data);
            buffered += data.length;
            notifyAll();
        }
        return true;
    }

    synchronized void grant(int increment) {
        sendWindow = (int) Math.min(Integer.MAX_VALUE, (long) sendWindow + increment);
        notifyAll();
    }

    /**
     * The other end closed the connection (reads see end-of-stream after the buffered data), or it
     * was reset (a failure: reads and writes fail at once with the reason).
     */
    synchronized void remoteClosed(String reason, boolean failure) {
        if (remoteClosed) {
            return;
        }
        remoteClosed = true;
        failed = failure;
        if (closeReason == null) {
            closeReason = reason;
        }
        if (failure) {
            chunks.clear();
            buffered = 0;
        }
        notifyAll();
    }

    // ---- streams -------------------------------------------------------------------------------

    private final class In extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            int grant = 0;
            int n;
            synchronized (MuxChannel.this) {
                while (chunks.isEmpty() && !remoteClosed && !localClosed) {
                    try {
                        MuxChannel.this.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new java.io.InterruptedIOException("interrupted reading " + describe());
                    }
                }
                if (localClosed) {
                    throw new IOException("connection " + describe() + " is closed");
                }
                if (chunks.isEmpty()) {
                    if (failed) {
                        throw new IOException("connection " + describe() + " reset: " + closeReason);
                    }
                    return -1;
                }
                byte[] head = chunks.peek();
                n = Math.min(len, head.length - headOffset);
                System.arraycopy(head, headOffset, b, off, n);
                headOffset += n;
                if (headOffset == head.length) {
                    chunks.poll();
                    headOffset = 0;
                }
                buffered -= n;
                unacked += n;
                if (unacked >= window / 2 && !remoteClosed) {
                    grant = unacked;
                    unacked = 0;
                }
            }
            if (grant > 0) {
                mux.grantWindow(id, grant);
            }
            return n;
        }

        @Override
        public synchronized int available() {
            synchronized (MuxChannel.this) {
                return buffered;
            }
        }

        @Override
        public void close() {
            MuxChannel.this.close();
        }
    }

    private final class Out extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                int k;
                synchronized (MuxChannel.this) {
                    while (sendWindow == 0 && !remoteClosed && !localClosed) {
                        try {
                            MuxChannel.this.wait();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new java.io.InterruptedIOException("interrupted writing " + describe());
                        }
                    }
                    if (localClosed || remoteClosed) {
                        throw new IOException("connection " + describe() + " is closed: " + closeReason);
                    }
                    k = Math.min(len, Math.min(sendWindow, maxPayload));
                    sendWindow -= k;
                }
                mux.writeData(id, b, off, k);
                off += k;
                len -= k;
            }
        }

        @Override
        public void close() {
            MuxChannel.this.close();
        }
    }
}
