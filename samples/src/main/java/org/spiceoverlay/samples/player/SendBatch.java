package org.spiceoverlay.samples.player;

import java.util.ArrayList;
import java.util.List;
import org.spiceoverlay.engine.EncodedSample;
import org.spiceoverlay.engine.gst.DemuxedSample;
import org.spiceoverlay.guest.GuestSample;
import org.spiceoverlay.guest.GuestStream;
import org.spiceoverlay.guest.OverlayException;

/**
 * The samples the player sends in one call. Each one's bytes stay in the demuxer's memory (a
 * {@link DemuxedSample}) and go from there to the socket; the batch releases them once the call has
 * returned, or when it is dropped (a seek).
 *
 * <p>Not thread-safe: the player's sending thread only.
 */
public final class SendBatch implements AutoCloseable {

    private final List<GuestSample> samples = new ArrayList<>();
    private final List<DemuxedSample> held = new ArrayList<>();
    private long bytes;

    boolean isEmpty() {
        return samples.isEmpty();
    }

    int size() {
        return samples.size();
    }

    /** Compressed bytes in the batch. */
    long bytes() {
        return bytes;
    }

    /** Adds a sample; the batch releases it. */
    void add(DemuxedSample d) {
        samples.add(wire(d.sample()));
        held.add(d);
        bytes += d.sample().size();
    }

    /**
     * Sends the batch and empties it, releasing its samples whatever happens.
     *
     * @return false when the stream was closed (by the script, or by the client) meanwhile
     */
    boolean send(GuestStream stream) throws OverlayException, InterruptedException {
        try {
            stream.send(samples);
            return true;
        } catch (OverlayException e) {
            if (stream.isClosed()) {
                return false;
            }
            throw e;
        } finally {
            close();
        }
    }

    /** Drops the samples not sent, releasing them. */
    @Override
    public void close() {
        for (DemuxedSample d : held) {
            d.close();
        }
        held.clear();
        samples.clear();
        bytes = 0;
    }

    private static GuestSample wire(EncodedSample s) {
        return new GuestSample(
                s.track() == EncodedSample.Track.VIDEO ? GuestStream.VIDEO_TRACK : GuestStream.AUDIO_TRACK,
                s.data(), // the demuxer's mapped memory: sent from there
                time(s.ptsNs()),
                time(s.dtsNs()),
                time(s.durationNs()),
                s.keyframe(),
                s.discontinuity());
    }

    private static long time(long ns) {
        return ns == EncodedSample.NO_TIME ? GuestSample.NO_TIME : ns;
    }
}
