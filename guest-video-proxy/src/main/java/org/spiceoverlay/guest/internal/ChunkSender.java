package org.spiceoverlay.guest.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spiceoverlay.api.thrift.DataChunk;
import org.spiceoverlay.api.thrift.OverlayProtocolConstants;
import org.spiceoverlay.api.thrift.PushResult;
import org.spiceoverlay.api.thrift.Sample;
import org.spiceoverlay.api.thrift.SourceKind;
import org.spiceoverlay.guest.CreditTimeoutException;
import org.spiceoverlay.guest.GuestConnectionException;
import org.spiceoverlay.guest.GuestErrorCode;
import org.spiceoverlay.guest.GuestOptions;
import org.spiceoverlay.guest.GuestSample;
import org.spiceoverlay.guest.OverlayException;

/**
 * A stream's data path and credit gate: splits samples into chunks, waits until the client's
 * credit has room (holding only the bookkeeping lock, released while waiting), then sends each
 * chunk holding only the wire lock during the round trip; counts what was sent; after a seek flags
 * the first sample DISCONT.
 *
 * <p>Threads: the player's sending threads, one whole send at a time per stream.
 */
final class ChunkSender {

    private static final Logger LOG = LoggerFactory.getLogger(ChunkSender.class);

    private final StreamCore core;

    ChunkSender(StreamCore core) {
        this.core = core;
    }

    /**
     * Sends samples (in decode order, {@code trackId} {@link #VIDEO_TRACK} or {@link #AUDIO_TRACK}),
     * as few chunks as {@code maxChunkBytes} allows, each when the credit has room for it. Blocks
     * while the client's credit is used up (without a time limit while the stream is paused by
     * {@link #pause()}, otherwise up to {@link GuestOptions#creditTimeoutMs()}).
     *
     * <p>The samples' data buffers are sent as they are, not copied: leave them unchanged until
     * this call returns.
     *
     * @return true when every sample was sent; false when a {@link #seek} from another thread
     *         overtook this call (the samples not yet sent belong to the old position and were dropped)
     * @throws IllegalArgumentException a sample is larger than the chunk limit (naming both), has no
     *                                  data, or names a track the stream does not have; nothing sent
     * @throws OverlayException             the client refused a chunk (STREAM_CLOSED after a close...)
     * @throws CreditTimeoutException   no credit within the timeout
     * @throws GuestConnectionException the connection dropped
     * @throws IllegalStateException    on a bytes stream, or from a listener while credit is short
     */
    boolean send(List<GuestSample> samples) throws OverlayException, InterruptedException {
        Objects.requireNonNull(samples, "samples");
        if (core.source != SourceKind.PUSH_SAMPLES) {
            throw new IllegalStateException("stream " + core.id + " is a " + core.source + " stream: use sendBytes");
        }
        List<List<Sample>> chunks = new ArrayList<>();
        List<Long> chunkBytes = new ArrayList<>();
        List<Sample> current = new ArrayList<>();
        long currentBytes = 0;
        for (int i = 0; i < samples.size(); i++) {
            GuestSample s = Objects.requireNonNull(samples.get(i), "samples[" + i + "]");
            int size = s.size();
            if (size == 0) {
                throw new IllegalArgumentException("samples[" + i + "] has no data");
            }
            if (!core.trackIds.contains(s.trackId())) {
                throw new IllegalArgumentException("samples[" + i + "].trackId " + s.trackId()
                        + " is not a track of stream " + core.id + " (tracks " + core.trackIds + ")");
            }
            if (size > core.chunkLimit) {
                throw new IllegalArgumentException("samples[" + i + "] carries " + size
                        + " bytes; the client's maxChunkBytes is " + core.chunkLimit + " (a sample is never split)");
            }
            if (currentBytes + size > core.chunkLimit) {
                chunks.add(current);
                chunkBytes.add(currentBytes);
                current = new ArrayList<>();
                currentBytes = 0;
            }
            current.add(Wire.sample(s));
            currentBytes += size;
        }
        if (!current.isEmpty()) {
            chunks.add(current);
            chunkBytes.add(currentBytes);
        }
        core.sendLock.lockInterruptibly();
        try {
            long startEpoch = currentEpoch();
            for (int c = 0; c < chunks.size(); c++) {
                if (!push(chunks.get(c), null, false, chunkBytes.get(c), startEpoch)) {
                    return false;
                }
            }
            return true;
        } finally {
            core.sendLock.unlock();
        }
    }

    long currentEpoch() {
        core.lock.lock();
        try {
            return core.epoch;
        } finally {
            core.lock.unlock();
        }
    }

    /**
     * Sends container bytes on a bytes stream, split into chunks of at most {@code maxChunkBytes};
     * blocks for credit like {@link #send}. The array is sent as it is, not copied: leave it
     * unchanged until this call returns.
     *
     * @return false when a seek from another thread overtook this call (the rest was dropped)
     */
    boolean sendBytes(byte[] bytes) throws OverlayException, InterruptedException {
        Objects.requireNonNull(bytes, "bytes");
        if (core.source != SourceKind.PUSH_BYTES) {
            throw new IllegalStateException(
                    "stream " + core.id + " is a " + core.source + " stream: use send(samples)");
        }
        core.sendLock.lockInterruptibly();
        try {
            long startEpoch = currentEpoch();
            for (int off = 0; off < bytes.length; off += core.chunkLimit) {
                int len = Math.min(core.chunkLimit, bytes.length - off);
                if (!push(null, ByteBuffer.wrap(bytes, off, len), false, len, startEpoch)) {
                    return false;
                }
            }
            return true;
        } finally {
            core.sendLock.unlock();
        }
    }

    /**
     * Tells the client nothing more follows (until a seek): it drains what it has and reports
     * {@link GuestStreamListener#onEndOfStream}.
     */
    void endOfStream() throws OverlayException, InterruptedException {
        core.sendLock.lockInterruptibly();
        try {
            push(null, null, true, 0, currentEpoch());
        } finally {
            core.sendLock.unlock();
        }
    }

    /**
     * Sends one chunk when the credit allows ({@code sendLock} held). Waits for credit holding only
     * {@code lock} (released while waiting); then takes the wire, checks again and sends, holding
     * only {@code wireLock} during the round trip. @return false when a seek intervened
     */
    boolean push(List<Sample> samples, ByteBuffer bytes, boolean eos, long payload, long startEpoch)
            throws OverlayException, InterruptedException {
        while (true) {
            core.lock.lockInterruptibly();
            try {
                if (!awaitCredit(payload, startEpoch)) {
                    return false;
                }
            } finally {
                core.lock.unlock();
            }
            core.wireLock.lockInterruptibly();
            try {
                long gen;
                DataChunk chunk;
                core.lock.lockInterruptibly();
                try {
                    // A seek, a re-creation or a close may have come between the wait and the wire.
                    core.ensureOpen();
                    if (core.epoch != startEpoch) {
                        return false;
                    }
                    if (core.resumePending
                            || core.guest.needsReplay(core.generation)
                            || core.bytesSent + payload > core.bytesLimit) {
                        continue; // back to waiting
                    }
                    gen = core.generation;
                    chunk = chunk(samples, bytes, eos);
                } finally {
                    core.lock.unlock();
                }
                PushResult r;
                try {
                    r = core.guest.streamCall("pushData", gen, client -> client.pushData(chunk));
                } catch (SessionCore.Reconnecting e) {
                    continue; // awaitCredit waits for the re-created stream; the chunk goes there
                } catch (OverlayException e) {
                    core.lock.lock();
                    try {
                        if (closedByShutdown(e, gen)) {
                            continue;
                        }
                    } finally {
                        core.lock.unlock();
                    }
                    throw e;
                }
                core.lock.lock();
                try {
                    sent(samples, payload, r);
                } finally {
                    core.lock.unlock();
                }
                return true;
            } finally {
                core.wireLock.unlock();
            }
        }
    }

    /** The next chunk, numbered; the first sample flagged DISCONT after a seek ({@code lock} held). */
    DataChunk chunk(List<Sample> samples, ByteBuffer bytes, boolean eos) {
        DataChunk chunk = new DataChunk(core.id, core.nextSeq);
        if (samples != null) {
            long now = System.nanoTime(); // when the sample left, for the client's latency figures
            for (Sample s : samples) {
                s.setSentAtNs(now);
            }
            List<Sample> out = samples;
            if (core.discontPending && core.source == SourceKind.PUSH_SAMPLES) {
                out = new ArrayList<>(samples);
                out.set(0, withFlags(samples.get(0), OverlayProtocolConstants.SAMPLE_FLAG_DISCONT));
            }
            chunk.setSamples(out);
        }
        if (bytes != null) {
            chunk.setBytes(bytes);
        }
        if (eos) {
            chunk.setEndOfStream(true);
        }
        return chunk;
    }

    /** The client took the chunk ({@code lock} held). */
    void sent(List<Sample> samples, long payload, PushResult r) {
        core.nextSeq++;
        core.bytesSent += payload;
        if (samples != null) {
            core.discontPending = false;
            for (int i = samples.size() - 1; i >= 0; i--) {
                Sample last = samples.get(i);
                if (last.getTrackId() == StreamCore.VIDEO_TRACK && last.isSetPtsNs()) {
                    core.lastVideoPtsNs = last.getPtsNs();
                    break;
                }
            }
        }
        core.raiseLimit(r.getCredit());
    }

    /**
     * A chunk was refused as UNKNOWN_STREAM/STREAM_CLOSED though the player did not close the
     * stream: the client either closed it for a reason it reports (a fatal error: the stream ends) or
     * is shutting down (the channel drops next: the stream is re-created). Waits ({@code lock} held,
     * released while waiting) for the verdict. @return true to send again (re-created, or the guest
     * gave up: the retry then throws its exception)
     */
    boolean closedByShutdown(OverlayException e, long gen) throws InterruptedException {
        if (!core.guest.options().reconnect()
                || core.closed
                || core.guest.isEventThread()
                || (e.code() != GuestErrorCode.UNKNOWN_STREAM && e.code() != GuestErrorCode.STREAM_CLOSED)) {
            return false;
        }
        long deadline = System.nanoTime() + StreamCore.CLOSE_VERDICT_NANOS;
        while (core.generation == gen && !core.closed && !core.guest.isClosed()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                if (!core.guest.needsReplay(gen)) {
                    return false; // the channel stayed up: a close of the client's own
                }
                left = TimeUnit.MILLISECONDS.toNanos(100);
            }
            core.creditChanged.awaitNanos(left);
        }
        return !core.closed || core.guest.isClosed();
    }

    /** A copy sharing the data, with extra flag bits (the caller's sample stays as it was). */
    private static Sample withFlags(Sample s, int flags) {
        Sample c = new Sample(s.getTrackId(), s.bufferForData());
        if (s.isSetPtsNs()) {
            c.setPtsNs(s.getPtsNs());
        }
        if (s.isSetDtsNs()) {
            c.setDtsNs(s.getDtsNs());
        }
        if (s.isSetDurationNs()) {
            c.setDurationNs(s.getDurationNs());
        }
        if (s.isSetSentAtNs()) {
            c.setSentAtNs(s.getSentAtNs());
        }
        c.setFlags(s.getFlags() | flags);
        return c;
    }

    /** Waits (lock held, released while waiting) until {@code payload} more bytes fit the credit. */
    boolean awaitCredit(long payload, long startEpoch) throws OverlayException, InterruptedException {
        long deadline = System.nanoTime() + core.creditTimeoutNanos;
        while (true) {
            core.ensureOpen();
            if (core.epoch != startEpoch) {
                return false;
            }
            if (core.guest.needsReplay(core.generation)) {
                if (core.guest.isEventThread()) {
                    throw new IllegalStateException(
                            "stream " + core.id + ": a send from a listener cannot wait for the "
                                    + "reconnect (it runs on this thread); send from the player's own thread");
                }
                // The channel dropped: wait (no credit timeout; the guest's give-up ends it) for the re-creation.
                core.creditChanged.await();
                deadline = System.nanoTime() + core.creditTimeoutNanos;
                continue;
            }
            if (core.resumePending && !core.guest.isEventThread()) {
                // Re-created: onResumeNeeded decides first (a seek there makes this send return false).
                core.creditChanged.await();
                deadline = System.nanoTime() + core.creditTimeoutNanos;
                continue;
            }
            if (core.bytesSent + payload <= core.bytesLimit) {
                return true;
            }
            if (core.guest.isEventThread()) {
                throw new IllegalStateException("stream " + core.id + ": a send from a listener cannot wait for credit "
                        + "(the credit arrives on this thread); send from the player's own thread");
            }
            if (core.paused) {
                // Paused by the player: the client consumes nothing until play(), so wait without a limit.
                core.creditChanged.await();
                deadline = System.nanoTime() + core.creditTimeoutNanos;
                continue;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new CreditTimeoutException(
                        "stream " + core.id + ": waited " + core.guest.options().creditTimeoutMs()
                                + " ms for credit to send " + payload + " bytes (sent " + core.bytesSent + " of the "
                                + core.bytesLimit
                                + " granted); the client is not consuming the stream");
            }
            core.creditChanged.awaitNanos(left);
        }
    }
}
