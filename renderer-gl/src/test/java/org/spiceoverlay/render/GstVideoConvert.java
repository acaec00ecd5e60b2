package org.spiceoverlay.render;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.spiceoverlay.api.Colorimetry;
import org.spiceoverlay.api.PixelFormat;
import org.spiceoverlay.api.VideoFrame;

/**
 * GStreamer's {@code videoconvert} as the reference for YUV&rarr;RGB, run as {@code gst-launch-1.0}
 * processes (the renderer module may not link GStreamer). Two references per frame:
 * <ul>
 * <li>{@link Reference#precise()}: the frame's samples promoted losslessly to 10 bits (x4,
 *     {@code I420_10LE}; NV12's interleaved chroma de-interleaved, the same picture) and converted
 *     to {@code RGBA64_LE}, rounded to 8 bits. Above 8 bits videoconvert takes its general path:
 *     16-bit fixed-point matrix (within 1 of the exact BT.601/709 arithmetic, measured) and chroma
 *     upsampled bilinearly with centred siting, so it can be compared at every pixel, chroma edges
 *     included.</li>
 * <li>{@link Reference#eightBit()}: the 8-bit frame straight to {@code RGBA}, the command a client
 *     would write. For I420 that is videoconvert's ORC fast path: chroma repeated over its 2x2
 *     pixels (no interpolation) and an 8-bit fixed-point matrix that is itself up to 6 off the exact
 *     result in limited range (measured over random 8x8 blocks). Useful to look at, not a reference
 *     anything can match within 2.</li>
 * </ul>
 *
 * <p>Threads: any; stateless.
 */
final class GstVideoConvert {

    /** The two reference pictures, RGBA 8 bits per channel, rows top-down, no padding. */
    record Reference(byte[] precise, byte[] eightBit) {}

    private GstVideoConvert() {}

    /** GStreamer's colorimetry string "range:matrix:transfer:primaries" for the range and matrix. */
    static String colorimetry(Colorimetry c) {
        int range = c.range() == Colorimetry.Range.FULL ? 1 : 2;
        int matrix =
                switch (c.matrix()) {
                    case BT709 -> 3;
                    case BT601 -> 4;
                    case BT2020 -> 6;
                };
        return range + ":" + matrix + ":0:0";
    }

    static Reference convert(VideoFrame frame, Path dir) {
        requireGstLaunch();
        try {
            Path eightIn = Files.createTempFile(dir, "frame", ".yuv");
            Path tenIn = dir.resolve(eightIn.getFileName() + ".yuv10");
            Path eightOut = dir.resolve(eightIn.getFileName() + ".rgba");
            Path tenOut = dir.resolve(eightIn.getFileName() + ".rgba64");
            Files.write(eightIn, TestFrames.bytes(frame));
            Files.write(tenIn, promoteTo10Bit(frame));
            String width = "width=" + frame.width();
            String height = "height=" + frame.height();
            String col = "colorimetry=" + colorimetry(frame.colorimetry());
            gstLaunch(
                    "filesrc",
                    "location=" + eightIn,
                    "!",
                    "rawvideoparse",
                    "format=" + frame.format().gstName().toLowerCase(),
                    width,
                    height,
                    col,
                    "framerate=1/1",
                    "!",
                    "videoconvert",
                    "!",
                    "video/x-raw,format=RGBA",
                    "!",
                    "filesink",
                    "location=" + eightOut);
            gstLaunch(
                    "filesrc",
                    "location=" + tenIn,
                    "!",
                    "rawvideoparse",
                    "format=i420-10le",
                    width,
                    height,
                    col,
                    "framerate=1/1",
                    "!",
                    "videoconvert",
                    "!",
                    "video/x-raw,format=RGBA64_LE",
                    "!",
                    "filesink",
                    "location=" + tenOut);
            byte[] eight = Files.readAllBytes(eightOut);
            byte[] wide = Files.readAllBytes(tenOut);
            int pixels = frame.width() * frame.height();
            if (eight.length != pixels * 4 || wide.length != pixels * 8) {
                throw new AssertionError("gst-launch-1.0 wrote " + eight.length + " and " + wide.length + " bytes for "
                        + pixels + " pixels");
            }
            ByteBuffer w = ByteBuffer.wrap(wide).order(ByteOrder.LITTLE_ENDIAN);
            byte[] precise = new byte[pixels * 4];
            for (int i = 0; i < precise.length; i++) {
                precise[i] = (byte) (((w.getShort(i * 2) & 0xffff) + 128) / 257);
            }
            for (Path p : List.of(eightIn, tenIn, eightOut, tenOut)) {
                Files.delete(p);
            }
            return new Reference(precise, eight);
        } catch (IOException e) {
            throw new AssertionError(
                    "cannot run gst-launch-1.0 (install gstreamer1.0-tools and " + "gstreamer1.0-plugins-base): "
                            + e.getMessage(),
                    e);
        }
    }

    /** The frame's picture as I420_10LE with GStreamer's default layout: every sample x4. */
    private static byte[] promoteTo10Bit(VideoFrame frame) {
        int w = frame.width();
        int h = frame.height();
        PixelFormat f = frame.format();
        int cw = f.planeWidth(1, w);
        int ch = f.planeHeight(1, h);
        int yStride = roundUp4(w * 2);
        int cStride = roundUp4(cw * 2);
        int uOffset = yStride * roundUp2(h);
        int vOffset = uOffset + cStride * (roundUp2(h) / 2);
        ByteBuffer out =
                ByteBuffer.allocate(vOffset + cStride * (roundUp2(h) / 2)).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer luma = frame.plane(0);
        int ls = frame.layout().plane(0).stride();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out.putShort(y * yStride + 2 * x, (short) ((luma.get(y * ls + x) & 0xff) * 4));
            }
        }
        for (int y = 0; y < ch; y++) {
            for (int x = 0; x < cw; x++) {
                int u;
                int v;
                if (f == PixelFormat.I420) {
                    u = frame.plane(1).get(y * frame.layout().plane(1).stride() + x) & 0xff;
                    v = frame.plane(2).get(y * frame.layout().plane(2).stride() + x) & 0xff;
                } else {
                    ByteBuffer uv = frame.plane(1);
                    int i = y * frame.layout().plane(1).stride() + 2 * x;
                    u = uv.get(i) & 0xff;
                    v = uv.get(i + 1) & 0xff;
                }
                out.putShort(uOffset + y * cStride + 2 * x, (short) (u * 4));
                out.putShort(vOffset + y * cStride + 2 * x, (short) (v * 4));
            }
        }
        return out.array();
    }

    private static void gstLaunch(String... pipeline) throws IOException {
        List<String> command = new ArrayList<>(List.of("gst-launch-1.0", "-q"));
        command.addAll(List.of(pipeline));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new AssertionError("gst-launch-1.0 failed: " + String.join(" ", command) + "\n" + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running gst-launch-1.0", e);
        }
    }

    private static int roundUp2(int v) {
        return (v + 1) & ~1;
    }

    private static int roundUp4(int v) {
        return (v + 3) & ~3;
    }

    private static void requireGstLaunch() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, "gst-launch-1.0"))) {
                return;
            }
        }
        throw new AssertionError("the test needs gst-launch-1.0 (install the Debian packages gstreamer1.0-tools and "
                + "gstreamer1.0-plugins-base, or run ./overlay setup as root)");
    }
}
