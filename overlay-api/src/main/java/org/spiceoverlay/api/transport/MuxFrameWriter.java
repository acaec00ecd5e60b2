package org.spiceoverlay.api.transport;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The writing side of {@link ByteStreamMux}: control frames go through a bounded queue and a
 * writer thread of their own (so the reader thread never blocks on writing), data frames are
 * written by the calling connection's thread; both one frame at a time under a fair lock, so that
 * connections take turns.
 */
final class MuxFrameWriter {

    /** Control frames that may wait; more means the other end stopped reading. */
    static final int MAX_QUEUED_CONTROL = 65536;

    private final DataOutputStream out;
    private final ReentrantLock writeLock = new ReentrantLock(true);
    private final BlockingQueue<byte[]> control = new LinkedBlockingQueue<>(MAX_QUEUED_CONTROL);
    private final Thread thread;
    private final Consumer<IOException> onFailure;
    private volatile long lastSentNanos = System.nanoTime();

    /**
     * @param onFailure told (once per failed write, on the writing thread) that the stream failed
     */
    MuxFrameWriter(OutputStream stream, int maxPayload, String name, Consumer<IOException> onFailure) {
        this.out = new DataOutputStream(new BufferedOutputStream(stream, maxPayload + MuxWire.HEADER_BYTES));
        this.onFailure = onFailure;
        this.thread = new Thread(this::writeLoop, "mux-write-" + name);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Stops the writer thread; what is queued is dropped. */
    void stop() {
        thread.interrupt();
    }

    /** When a frame was last written ({@link System#nanoTime()}). */
    long lastSentNanos() {
        return lastSentNanos;
    }

    /** Queues a control frame; false when the queue is full. */
    boolean queue(byte[] frame) {
        return control.offer(frame);
    }

    /** Writes one DATA frame now, on the calling thread. */
    void writeData(int id, byte[] b, int off, int len) throws IOException {
        writeLock.lock();
        try {
            MuxWire.writeHeader(out, MuxWire.DATA, 0, id, len);
            out.write(b, off, len);
            out.flush();
            lastSentNanos = System.nanoTime();
        } catch (IOException e) {
            onFailure.accept(e);
            throw e;
        } finally {
            writeLock.unlock();
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
            onFailure.accept(e);
        }
    }
}
