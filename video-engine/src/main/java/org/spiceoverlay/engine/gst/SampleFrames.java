package org.spiceoverlay.engine.gst;

import java.nio.ByteBuffer;
import java.util.Locale;
import org.freedesktop.gstreamer.Buffer;
import org.freedesktop.gstreamer.Caps;
import org.freedesktop.gstreamer.Fraction;
import org.freedesktop.gstreamer.Sample;
import org.freedesktop.gstreamer.Structure;
import org.spiceoverlay.api.Colorimetry;
import org.spiceoverlay.api.FrameLayout;
import org.spiceoverlay.api.PixelFormat;
import org.spiceoverlay.api.VideoFrame;

/**
 * Wraps a GStreamer video sample as a {@link VideoFrame} without copying: the frame's data is the
 * mapped GstBuffer, and closing the frame unmaps it and disposes the sample.
 *
 * <p>Stateless; called on the appsink's streaming thread.
 */
final class SampleFrames {

    private SampleFrames() {}

    /** The video format of a raw-video caps structure, parsed once per caps change. */
    record RawVideoCaps(FrameLayout layout, Colorimetry colorimetry, int parN, int parD, long frameDurationNs) {}

    static RawVideoCaps parse(Caps caps) {
        Structure s = caps.getStructure(0);
        PixelFormat format = PixelFormat.fromGstName(s.getString("format"));
        int width = s.getInteger("width");
        int height = s.getInteger("height");
        int parN = 1;
        int parD = 1;
        if (s.hasField("pixel-aspect-ratio")) {
            Fraction par = s.getFraction("pixel-aspect-ratio");
            if (par.getNumerator() > 0 && par.getDenominator() > 0) {
                parN = par.getNumerator();
                parD = par.getDenominator();
            }
        }
        Colorimetry colorimetry = s.hasField("colorimetry")
                ? parseColorimetry(s.getString("colorimetry"), width, height)
                : Colorimetry.defaultFor(width, height);
        long frameDuration = -1;
        if (s.hasField("framerate")) {
            Fraction rate = s.getFraction("framerate");
            if (rate.getNumerator() > 0 && rate.getDenominator() > 0) {
                frameDuration = 1_000_000_000L * rate.getDenominator() / rate.getNumerator();
            }
        }
        return new RawVideoCaps(
                FrameLayout.gstreamerDefault(format, width, height), colorimetry, parN, parD, frameDuration);
    }

    /**
     * GStreamer's colorimetry string: a name ("bt601", "bt709", "bt2020", "sRGB", ...) or
     * "range:matrix:transfer:primaries" with range 1 = full, 2 = limited and matrix 3 = BT.709,
     * 4 = BT.601, 6 = BT.2020 (gst/video/video-color.h).
     */
    static Colorimetry parseColorimetry(String value, int width, int height) {
        if (value == null) {
            return Colorimetry.defaultFor(width, height);
        }
        String v = value.toLowerCase(Locale.ROOT);
        switch (v) {
            case "bt601":
            case "smpte240m":
                return Colorimetry.BT601_LIMITED;
            case "bt709":
                return Colorimetry.BT709_LIMITED;
            case "bt2020":
            case "bt2020-10":
            case "bt2100-pq":
            case "bt2100-hlg":
                return new Colorimetry(Colorimetry.Matrix.BT2020, Colorimetry.Range.LIMITED);
            case "srgb":
                return Colorimetry.BT709_FULL;
            default:
                break;
        }
        String[] parts = v.split(":");
        if (parts.length == 4) {
            Colorimetry fallback = Colorimetry.defaultFor(width, height);
            Colorimetry.Range range =
                    switch (parts[0]) {
                        case "1" -> Colorimetry.Range.FULL;
                        case "2" -> Colorimetry.Range.LIMITED;
                        default -> fallback.range();
                    };
            Colorimetry.Matrix matrix =
                    switch (parts[1]) {
                        case "3" -> Colorimetry.Matrix.BT709;
                        case "4" -> Colorimetry.Matrix.BT601;
                        case "6" -> Colorimetry.Matrix.BT2020;
                        default -> fallback.matrix();
                    };
            return new Colorimetry(matrix, range);
        }
        return Colorimetry.defaultFor(width, height);
    }

    /**
     * The frame for {@code sample} and its {@code buffer}, which it now owns (closing the frame
     * unmaps the buffer and disposes both wrappers).
     *
     * @param afterRelease runs once the frame is closed and the sample released
     * @throws IllegalStateException if the buffer is smaller than its caps' layout (the sample is
     *                               disposed before throwing)
     */
    static VideoFrame wrap(
            Sample sample,
            Buffer buffer,
            RawVideoCaps caps,
            long pts,
            long receivedNanos,
            long decodedNanos,
            Runnable afterRelease) {
        ByteBuffer data = buffer.map(false);
        if (data == null || data.remaining() < caps.layout().size()) {
            int have = data == null ? -1 : data.remaining();
            if (data != null) {
                buffer.unmap();
            }
            buffer.dispose();
            sample.dispose();
            throw new IllegalStateException("decoded buffer holds " + have + " bytes, its caps need "
                    + caps.layout().size() + " (" + caps.layout() + ")");
        }
        long duration = buffer.getDuration();
        return new VideoFrame(
                caps.layout(),
                caps.colorimetry(),
                caps.parN(),
                caps.parD(),
                pts < 0 ? VideoFrame.NO_TIME : pts,
                duration < 0 ? VideoFrame.NO_TIME : duration,
                receivedNanos,
                decodedNanos,
                data,
                () -> {
                    buffer.unmap();
                    buffer.dispose();
                    sample.dispose();
                    afterRelease.run();
                });
    }
}
