package org.spiceoverlay.samples.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One direction of one relayed connection: reads from one socket and writes to the other, counting
 * what it delivered. Without a link it copies on one thread; with one, a reader stamps each chunk
 * with its arrival time from the {@link LinkSchedule} and queues it (at most {@code limitBytes},
 * else it stops reading), and a writer delivers each chunk at that time, in order.
 *
 * <p>Threads: its own (daemon); {@link #start} from the relay's connect thread.
 */
public final class RelayPipe {

    /** Closes a connection's sockets once both its directions ended. */
    static final class Ending {
        private final AtomicInteger left;
        private final Runnable close;

        Ending(int pipes, Runnable close) {
            this.left = new AtomicInteger(pipes);
            this.close = close;
        }

        void ended() {
            if (left.decrementAndGet() == 0) {
                close.run();
            }
        }

        /** An error: the whole connection goes. */
        void failed() {
            left.set(0);
            close.run();
        }
    }

    private record Chunk(byte[] data, long deliverAt) {
        boolean isEnd() {
            return data == null;
        }
    }

    private final Socket from;
    private final Socket to;
    private final AtomicLong delivered;
    private final LinkSchedule link; // null: plain copy
    private final int limitBytes;
    private final Ending ending;
    private final String name;
    private final LinkedBlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
    private final Semaphore room;

    RelayPipe(
            Socket from,
            Socket to,
            AtomicLong delivered,
            LinkSchedule link,
            int limitBytes,
            Ending ending,
            String name) {
        this.from = from;
        this.to = to;
        this.delivered = delivered;
        this.link = link;
        this.limitBytes = limitBytes;
        this.ending = ending;
        this.name = name;
        this.room = new Semaphore(limitBytes);
    }

    void start() {
        if (link == null) {
            daemon(this::copy, name).start();
        } else {
            daemon(this::readLoop, name + "-read").start();
            daemon(this::writeLoop, name + "-write").start();
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private void copy() {
        byte[] buf = new byte[16 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
                delivered.addAndGet(n);
            }
            to.shutdownOutput();
            ending.ended();
        } catch (IOException e) {
            ending.failed();
        }
    }

    private void readLoop() {
        byte[] buf = new byte[Math.min(limitBytes, link.chunkBytes())];
        long lastDeliver = Long.MIN_VALUE;
        try {
            InputStream in = from.getInputStream();
            int n;
            while ((n = in.read(buf)) >= 0) {
                if (n == 0) {
                    continue;
                }
                room.acquire(n); // a full queue: stop reading, the sender's window closes
                lastDeliver = link.deliverAt(System.nanoTime(), n);
                queue.put(new Chunk(Arrays.copyOf(buf, n), lastDeliver));
            }
            // The end travels like data: after what came before it.
            queue.put(new Chunk(null, Math.max(lastDeliver, link.deliverAt(System.nanoTime(), 0))));
        } catch (IOException e) {
            ending.failed();
            queue.offer(new Chunk(null, Long.MIN_VALUE));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ending.failed();
        }
    }

    private void writeLoop() {
        try {
            OutputStream out = to.getOutputStream();
            while (true) {
                Chunk c = queue.take();
                long wait = c.deliverAt() - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                if (c.isEnd()) {
                    if (!to.isClosed()) {
                        to.shutdownOutput();
                    }
                    ending.ended();
                    return;
                }
                out.write(c.data());
                delivered.addAndGet(c.data().length);
                room.release(c.data().length);
            }
        } catch (IOException e) {
            ending.failed();
            room.release(limitBytes); // let a blocked reader see the closed socket
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ending.failed();
        }
    }
}
