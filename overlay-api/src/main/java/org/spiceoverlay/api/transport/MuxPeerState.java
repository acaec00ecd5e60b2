package org.spiceoverlay.api.transport;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * What one end of a {@link ByteStreamMux} knows of the other end and of itself: its own
 * generation, the other end's identity (instance, generation) and limits from its last HELLO,
 * whether it has been heard since the last reset, and why the mux stopped. One monitor guards it
 * all; {@link #awaitPeer} waits on it. Thread-safe.
 */
final class MuxPeerState {

    private int generation = 1;
    private boolean heardPeer;
    private boolean peerKnown;
    private long peerInstance;
    private int peerGeneration;
    private int peerWindow;
    private int peerMaxPayload;
    private String deadReason;

    /** This end's HELLO, announcing its current generation. */
    synchronized MuxWire.Hello hello(int version, int flags, long instance, MuxOptions options) {
        return new MuxWire.Hello(version, flags, instance, generation, options.windowBytes(), options.maxPayload());
    }

    /**
     * Takes the other end's HELLO. When it names another instance or generation than the one
     * known, the other end is taken as new (not heard until {@link #heard}), and the reason the
     * connections must be reset is returned; null when nothing changed or the other end was not
     * known before.
     */
    synchronized String accept(MuxWire.Hello hello) {
        if (peerKnown && hello.instance() == peerInstance && hello.generation() == peerGeneration) {
            return null;
        }
        String reset = !peerKnown
                ? null
                : hello.instance() != peerInstance ? "the other end restarted" : "the other end reset the stream";
        peerKnown = true;
        peerInstance = hello.instance();
        peerGeneration = hello.generation();
        peerWindow = hello.window();
        peerMaxPayload = hello.maxPayload();
        // nobody opens a connection until the old ones are gone
        heardPeer = false;
        return reset;
    }

    /** The other end answered: connections may be opened. */
    synchronized void heard() {
        heardPeer = true;
        notifyAll();
    }

    /** Whether the other end has announced itself (frames before that are left over). */
    synchronized boolean peerKnown() {
        return peerKnown;
    }

    /** Whether the other end has answered since the last reset. */
    synchronized boolean heardPeer() {
        return heardPeer;
    }

    /** Starts a new generation of this end: the other end must answer again. */
    synchronized void newGeneration() {
        generation++;
        heardPeer = false;
    }

    synchronized MuxChannelTable.PeerLimits peerLimits() {
        return new MuxChannelTable.PeerLimits(peerWindow, peerMaxPayload);
    }

    /** Records why the mux stopped; false when it had already stopped. */
    synchronized boolean die(String reason) {
        if (deadReason != null) {
            return false;
        }
        deadReason = reason;
        notifyAll();
        return true;
    }

    synchronized String deadReason() {
        return deadReason;
    }

    synchronized boolean connected() {
        return heardPeer && deadReason == null;
    }

    /**
     * Waits for the other end to answer.
     *
     * @return true once it has; false on timeout
     * @throws IOException when the mux has stopped
     */
    synchronized boolean awaitPeer(long timeout, TimeUnit unit) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (!heardPeer && deadReason == null) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        if (deadReason != null) {
            throw new IOException(deadReason);
        }
        return true;
    }
}
