package org.spiceoverlay.samples.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import org.freedesktop.gstreamer.Buffer;
import org.freedesktop.gstreamer.Element;
import org.freedesktop.gstreamer.Gst;
import org.freedesktop.gstreamer.Pipeline;
import org.freedesktop.gstreamer.Sample;
import org.freedesktop.gstreamer.Structure;
import org.freedesktop.gstreamer.elements.AppSink;
import org.freedesktop.gstreamer.glib.GError;
import org.spiceoverlay.api.FrameNumberCode;
import org.spiceoverlay.engine.gst.GstRuntime;

/**
 * The reference pictures of a clip: GStreamer's own decode and {@code videoconvert} to 8-bit RGB,
 * the picture every correct player shows at 1:1. Decodes the whole clip once, keeping only the
 * frames asked for (found by the frame number drawn in each picture).
 *
 * <p>Any thread; each call builds and tears down its own pipeline.
 */
public final class ReferenceFrames {

    private ReferenceFrames() {}

    /**
     * The pictures of {@code frames} in {@code clip} as 0xRRGGBB pixels row by row; frames the clip
     * does not have are missing from the map.
     *
     * @throws IOException when the clip cannot be decoded (GStreamer's message)
     */
    public static Map<Integer, int[]> decode(Path clip, Set<Integer> frames) throws IOException {
        Objects.requireNonNull(clip, "clip");
        Objects.requireNonNull(frames, "frames");
        Map<Integer, int[]> out = new HashMap<>();
        if (frames.isEmpty()) {
            return out;
        }
        GstRuntime.ensureInitialised();
        List<GError> errors = new ArrayList<>();
        Element parsed = Gst.parseLaunch(
                "filesrc name=src ! decodebin ! videoconvert ! video/x-raw,format=BGRx "
                        + "! appsink name=sink sync=false max-buffers=4 emit-signals=false",
                errors);
        if (!errors.isEmpty() || !(parsed instanceof Pipeline pipeline)) {
            throw new IOException("cannot build the reference decoder: " + errors);
        }
        try {
            pipeline.getElementByName("src")
                    .set("location", clip.toAbsolutePath().toString());
            AppSink sink = (AppSink) pipeline.getElementByName("sink");
            // An error never reaches the appsink: stopping the pipeline (off the bus thread) ends its pull.
            java.util.concurrent.atomic.AtomicReference<String> failed =
                    new java.util.concurrent.atomic.AtomicReference<>();
            org.freedesktop.gstreamer.Bus.ERROR onError = (source, code, message) -> {
                if (failed.compareAndSet(null, source.getName() + ": " + message)) {
                    Thread stopper = new Thread(pipeline::stop, "reference-decode-stop");
                    stopper.setDaemon(true);
                    stopper.start();
                }
            };
            pipeline.getBus().connect(onError);
            pipeline.play();
            int maxWanted = frames.stream().mapToInt(Integer::intValue).max().orElse(0);
            while (out.size() < frames.size()) {
                Sample sample = sink.pullSample();
                if (sample == null) {
                    break; // end of stream
                }
                try {
                    Structure caps = sample.getCaps().getStructure(0);
                    int w = caps.getInteger("width");
                    int h = caps.getInteger("height");
                    Buffer buffer = sample.getBuffer();
                    ByteBuffer bgrx = buffer.map(false).order(ByteOrder.LITTLE_ENDIAN);
                    try {
                        int stride = w * 4; // BGRx rows need no padding
                        OptionalInt n = FrameNumberCode.read(
                                (x, y) -> ScreenFrameReader.luma(bgrx.getInt(y * stride + x * 4) & 0xffffff),
                                0,
                                0,
                                w,
                                h);
                        if (n.isPresent() && frames.contains(n.getAsInt()) && !out.containsKey(n.getAsInt())) {
                            int[] rgb = new int[w * h];
                            for (int i = 0; i < rgb.length; i++) {
                                rgb[i] = bgrx.getInt(i * 4) & 0xffffff;
                            }
                            out.put(n.getAsInt(), rgb);
                        }
                        if (n.isPresent() && n.getAsInt() > maxWanted + 60) {
                            break;
                        }
                    } finally {
                        buffer.unmap();
                    }
                } finally {
                    sample.dispose();
                }
            }
            if (failed.get() != null) {
                throw new IOException("decoding " + clip + " failed: " + failed.get());
            }
            return out;
        } finally {
            pipeline.stop();
            pipeline.dispose();
        }
    }
}
