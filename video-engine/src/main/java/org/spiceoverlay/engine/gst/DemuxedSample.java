package org.spiceoverlay.engine.gst;

import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.concurrent.atomic.AtomicBoolean;
import org.freedesktop.gstreamer.Buffer;
import org.freedesktop.gstreamer.BufferFlags;
import org.freedesktop.gstreamer.Sample;
import org.spiceoverlay.engine.EncodedSample;

/**
 * One sample from {@link ClipDemuxer}, its bytes left where the demuxer put them: the
 * {@link #sample()}'s data is a read-only view of the demuxed GstBuffer's mapped memory, valid until
 * {@link #close()}, which unmaps the buffer and drops the demuxer's references. A player hands the
 * bytes to the socket (or a decoder) without copying them, then closes the sample.
 *
 * <p>Threads: made on a streaming thread; used and closed on the reader's (close is idempotent and
 * may come from any thread, once nothing reads the bytes any more).
 */
public final class DemuxedSample implements AutoCloseable {

    private final EncodedSample sample;
    private final Sample holder; // null: nothing to release (the end marker)
    private final Buffer buffer;
    private final AtomicBoolean closed = new AtomicBoolean();

    private DemuxedSample(EncodedSample sample, Sample holder, Buffer buffer) {
        this.sample = sample;
        this.holder = holder;
        this.buffer = buffer;
    }

    /** A marker with nothing to release. */
    static DemuxedSample marker(EncodedSample sample) {
        return new DemuxedSample(sample, null, null);
    }

    /**
     * The sample of {@code s}'s buffer, which it keeps mapped; marked a discontinuity when
     * {@code discont} or the buffer says so. Null for an empty buffer (then {@code s} is released
     * here); otherwise {@code s} belongs to the returned sample.
     */
    static DemuxedSample of(Sample s, EncodedSample.Track track, boolean discont) {
        Buffer b = s.getBuffer();
        ByteBuffer data = b.map(false);
        if (data == null || !data.hasRemaining()) {
            if (data != null) {
                b.unmap();
            }
            b.dispose();
            s.dispose();
            return null;
        }
        EnumSet<BufferFlags> flags = b.getFlags();
        long pts = b.getPresentationTimestamp();
        long dts = b.getDecodeTimestamp();
        long dur = b.getDuration();
        EncodedSample sample = new EncodedSample(
                track,
                data.asReadOnlyBuffer(),
                pts < 0 ? EncodedSample.NO_TIME : pts,
                dts < 0 ? EncodedSample.NO_TIME : dts,
                dur < 0 ? EncodedSample.NO_TIME : dur,
                !flags.contains(BufferFlags.DELTA_UNIT),
                discont || flags.contains(BufferFlags.DISCONT),
                EncodedSample.NO_TIME);
        return new DemuxedSample(sample, s, b);
    }

    /**
     * This sample moved by {@code deltaNs} on the timeline (pts and dts; a time that would fall
     * below 0 becomes 0): the same bytes, now owned by the returned sample (this one must not be
     * used or closed any more).
     */
    DemuxedSample shifted(long deltaNs) {
        if (deltaNs == 0) {
            return this;
        }
        EncodedSample moved = new EncodedSample(
                sample.track(),
                sample.data(),
                shift(sample.ptsNs(), deltaNs),
                shift(sample.dtsNs(), deltaNs),
                sample.durationNs(),
                sample.keyframe(),
                sample.discontinuity(),
                sample.receivedNanos());
        return new DemuxedSample(moved, holder, buffer);
    }

    private static long shift(long t, long deltaNs) {
        return t == EncodedSample.NO_TIME ? t : Math.max(0, t + deltaNs);
    }

    /** The sample; its bytes are valid until {@link #close()}. */
    public EncodedSample sample() {
        return sample;
    }

    /** The sample with its bytes copied to the heap: for callers keeping it after {@link #close()}. */
    public EncodedSample copy() {
        return new EncodedSample(
                sample.track(),
                java.nio.ByteBuffer.wrap(sample.toArray()),
                sample.ptsNs(),
                sample.dtsNs(),
                sample.durationNs(),
                sample.keyframe(),
                sample.discontinuity(),
                sample.receivedNanos());
    }

    /** Unmaps the bytes and releases the buffer: the sample's data must not be read after this. */
    @Override
    public void close() {
        if (holder == null || !closed.compareAndSet(false, true)) {
            return;
        }
        buffer.unmap();
        buffer.dispose();
        holder.dispose();
    }

    @Override
    public String toString() {
        return "DemuxedSample[" + sample + (closed.get() ? ", closed" : "") + "]";
    }
}
