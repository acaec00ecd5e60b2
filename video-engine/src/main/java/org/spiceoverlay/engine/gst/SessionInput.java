package org.spiceoverlay.engine.gst;

import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.concurrent.atomic.AtomicLong;
import org.freedesktop.gstreamer.Buffer;
import org.freedesktop.gstreamer.BufferFlags;
import org.freedesktop.gstreamer.FlowReturn;
import org.freedesktop.gstreamer.elements.AppSrc;
import org.spiceoverlay.engine.EncodedSample;
import org.spiceoverlay.engine.EngineErrorCode;
import org.spiceoverlay.engine.EngineException;
import org.spiceoverlay.engine.SessionSpec;
import org.spiceoverlay.engine.SourceType;

/**
 * The appsrc end of a decode session: each pushed sample or byte run becomes one GstBuffer (the
 * one copy on this side, into GStreamer's memory) on the right appsrc, within the session's limit
 * of undecoded bytes ({@link InputLevel} meters what entered and what left each queue), and is
 * counted.
 *
 * <p>Threads: pushing threads, one at a time per session (the caller serialises them); the
 * session holds its pipeline alive during each call.
 */
final class SessionInput {

    private final SessionSpec spec;
    private final SessionPipeline p;
    private final InputLevel level;
    private final FrameDelivery delivery;
    final AtomicLong samplesReceived = new AtomicLong();
    /** When the first sample arrived ({@link System#nanoTime()}), 0 before. */
    volatile long firstArrivalNanos;

    final AtomicLong bytesReceived = new AtomicLong();

    SessionInput(SessionSpec spec, SessionPipeline p, InputLevel level, FrameDelivery delivery) {
        this.spec = spec;
        this.p = p;
        this.level = level;
        this.delivery = delivery;
    }

    void push(EncodedSample sample) throws EngineException {
        if (spec.source() != SourceType.SAMPLES) {
            throw new EngineException(
                    EngineErrorCode.INVALID_STATE, "samples pushed to a " + spec.source() + " stream");
        }
        AppSrc target;
        int queue;
        if (sample.track() == EncodedSample.Track.VIDEO) {
            target = p.videoSrc;
            queue = SessionPipeline.Q_VIDEO;
        } else if (spec.audioCaps() == null) {
            throw new EngineException(
                    EngineErrorCode.INVALID_STATE, "audio sample pushed to a stream created without an audio track");
        } else if (p.audioSrc == null) {
            // Audio played by the guest itself: nothing to do with it here, but it was received
            // (and so is consumed at once, for whoever grants credit from these counters).
            samplesReceived.incrementAndGet();
            bytesReceived.addAndGet(sample.size());
            return;
        } else {
            target = p.audioSrc;
            queue = SessionPipeline.Q_AUDIO;
        }
        arrived(sample.receivedNanos() != EncodedSample.NO_TIME ? sample.receivedNanos() : System.nanoTime());
        int length = sample.size();
        reserve(length);
        Buffer buffer = new Buffer(length);
        buffer.map(true).put(sample.bytes()); // the client's second copy: into the decoder's memory
        buffer.unmap();
        if (sample.ptsNs() != EncodedSample.NO_TIME) {
            buffer.setPresentationTimestamp(sample.ptsNs());
        }
        if (sample.dtsNs() != EncodedSample.NO_TIME) {
            buffer.setDecodeTimestamp(sample.dtsNs());
        }
        if (sample.durationNs() != EncodedSample.NO_TIME) {
            buffer.setDuration(sample.durationNs());
        }
        EnumSet<BufferFlags> flags = EnumSet.noneOf(BufferFlags.class);
        if (!sample.keyframe()) {
            flags.add(BufferFlags.DELTA_UNIT);
        }
        if (sample.discontinuity()) {
            flags.add(BufferFlags.DISCONT);
        }
        if (!flags.isEmpty()) {
            buffer.setFlags(flags);
        }
        if (target == p.videoSrc && sample.ptsNs() != EncodedSample.NO_TIME) {
            delivery.received(
                    sample.ptsNs(),
                    sample.receivedNanos() != EncodedSample.NO_TIME ? sample.receivedNanos() : System.nanoTime());
        }
        level.pushed(queue, length);
        accept(target.pushBuffer(buffer), queue, length);
    }

    void pushBytes(ByteBuffer data) throws EngineException {
        if (spec.source() != SourceType.BYTES) {
            throw new EngineException(EngineErrorCode.INVALID_STATE, "bytes pushed to a " + spec.source() + " stream");
        }
        int length = data.remaining();
        if (length == 0) {
            return;
        }
        reserve(length);
        arrived(System.nanoTime());
        Buffer buffer = new Buffer(length);
        buffer.map(true).put(data.duplicate());
        buffer.unmap();
        level.pushed(SessionPipeline.Q_BYTES, length);
        accept(p.bytesSrc.pushBuffer(buffer), SessionPipeline.Q_BYTES, length);
    }

    /** Keeps when the first data arrived (for the log line that says when playing began). */
    private void arrived(long nanos) {
        if (firstArrivalNanos == 0) {
            firstArrivalNanos = nanos;
        }
    }

    void endOfStream() {
        for (AppSrc src : new AppSrc[] {p.videoSrc, p.audioSrc, p.bytesSrc}) {
            if (src != null) {
                src.endOfStream();
            }
        }
    }

    /** Undecoded bytes held now. */
    long queuedBytes() {
        return level.bytes();
    }

    private void reserve(int length) throws EngineException {
        long queued = queuedBytes();
        if (queued + length > spec.maxQueuedBytes()) {
            throw new EngineException(
                    EngineErrorCode.LIMIT_EXCEEDED,
                    "the stream already holds " + queued + " undecoded bytes; its limit is " + spec.maxQueuedBytes()
                            + " (wait for credit)");
        }
    }

    private void accept(FlowReturn fr, int queue, int length) throws EngineException {
        if (fr != FlowReturn.OK) {
            level.refused(queue);
        }
        switch (fr) {
            case OK, FLUSHING -> {
                // FLUSHING: a seek is under way; data from before it is dropped, as the protocol says.
                samplesReceived.incrementAndGet();
                bytesReceived.addAndGet(length);
            }
            case EOS -> throw new EngineException(EngineErrorCode.INVALID_STATE, "data pushed after end of stream");
            default -> throw new EngineException(EngineErrorCode.DECODE_ERROR, "the pipeline refused data: " + fr);
        }
    }
}
