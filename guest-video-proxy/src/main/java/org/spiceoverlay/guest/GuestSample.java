package org.spiceoverlay.guest;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * One compressed sample for {@link GuestStream#send}: its track, its bytes (in the format the
 * track's caps say) and its times.
 *
 * <p>The bytes are sent as they are, not copied: the buffer's remaining bytes go on the wire, so
 * leave it unchanged until the send returns. Immutable otherwise; any thread.
 *
 * @param trackId {@link GuestStream#VIDEO_TRACK} or {@link GuestStream#AUDIO_TRACK}
 * @param ptsNs presentation time on the stream's timeline, {@link #NO_TIME} when unknown
 * @param dtsNs decode time when it differs from pts (B-frames), else {@link #NO_TIME}
 * @param durationNs {@link #NO_TIME} when unknown
 * @param keyframe whether it decodes on its own
 * @param discontinuity whether it does not follow on from the one before (the library also marks
 *        the first sample after a seek)
 */
public record GuestSample(
        int trackId,
        ByteBuffer data,
        long ptsNs,
        long dtsNs,
        long durationNs,
        boolean keyframe,
        boolean discontinuity) {

    /** A time that is not known. */
    public static final long NO_TIME = -1;

    public GuestSample {
        Objects.requireNonNull(data, "data");
    }

    /** A video sample. */
    public static GuestSample video(ByteBuffer data, long ptsNs, long dtsNs, long durationNs, boolean keyframe) {
        return new GuestSample(GuestStream.VIDEO_TRACK, data, ptsNs, dtsNs, durationNs, keyframe, false);
    }

    /** An audio sample (every one decodes on its own). */
    public static GuestSample audio(ByteBuffer data, long ptsNs, long durationNs) {
        return new GuestSample(GuestStream.AUDIO_TRACK, data, ptsNs, NO_TIME, durationNs, true, false);
    }

    /** Its size in bytes: what the credit counts. */
    public int size() {
        return data.remaining();
    }
}
