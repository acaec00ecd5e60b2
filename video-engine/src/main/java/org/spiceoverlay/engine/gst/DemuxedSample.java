package org.spiceoverlay.engine.gst;

import java.nio.ByteBuffer;
import java.util.EnumSet;
import org.freedesktop.gstreamer.Buffer;
import org.freedesktop.gstreamer.BufferFlags;
import org.spiceoverlay.engine.EncodedSample;

/**
 * A demuxed GstBuffer as an {@link EncodedSample}: its bytes copied out (the demuxer's one copy),
 * its times and its keyframe and discontinuity flags.
 *
 * <p>Stateless; any thread.
 */
final class DemuxedSample {

    private DemuxedSample() {}

    /**
     * The sample of {@code b}, marked a discontinuity when {@code discont} or the buffer says so;
     * null for an empty buffer. Releases the buffer's wrapper.
     */
    static EncodedSample of(Buffer b, EncodedSample.Track track, boolean discont) {
        ByteBuffer data = b.map(false);
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        b.unmap();
        EnumSet<BufferFlags> flags = b.getFlags();
        long pts = b.getPresentationTimestamp();
        long dts = b.getDecodeTimestamp();
        long dur = b.getDuration();
        // Release the wrapper's reference now rather than at garbage collection.
        b.dispose();
        if (bytes.length == 0) {
            return null;
        }
        return new EncodedSample(
                track,
                bytes,
                pts < 0 ? EncodedSample.NO_TIME : pts,
                dts < 0 ? EncodedSample.NO_TIME : dts,
                dur < 0 ? EncodedSample.NO_TIME : dur,
                !flags.contains(BufferFlags.DELTA_UNIT),
                discont || flags.contains(BufferFlags.DISCONT),
                EncodedSample.NO_TIME);
    }
}
