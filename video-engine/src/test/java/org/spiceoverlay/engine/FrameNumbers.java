package org.spiceoverlay.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.spiceoverlay.api.FrameNumberCode;
import org.spiceoverlay.api.PixelFormat;
import org.spiceoverlay.api.VideoFrame;

/** Reads the frame numbers the sample clips carry back out of decoded frames. */
final class FrameNumbers {

    private FrameNumbers() {}

    /** The number in one frame (I420/NV12 luma or packed RGB), -1 when unreadable. */
    static int read(VideoFrame f) {
        OptionalInt n;
        if (f.format().isYuv()) {
            n = FrameNumberCode.readLuma(f.plane(0), f.layout().plane(0).stride(), f.width(), f.height());
        } else {
            n = FrameNumberCode.readRgba(f.plane(0), f.layout().plane(0).stride(), f.width(), f.height());
        }
        return n.orElse(-1);
    }

    /** One frame's number with its pts, closed after reading. */
    record Seen(int number, long ptsNs, PixelFormat format, int width, int height) {}

    /** Drains the queue until end of stream, closing each frame. */
    static List<Seen> drain(FrameQueue queue, long timeoutSeconds) throws InterruptedException, TimeoutException {
        List<Seen> out = new ArrayList<>();
        VideoFrame f;
        while ((f = queue.take(timeoutSeconds, TimeUnit.SECONDS)) != FrameQueue.END) {
            try {
                out.add(new Seen(read(f), f.ptsNs(), f.format(), f.width(), f.height()));
            } finally {
                f.close();
            }
        }
        return out;
    }

    /** The numbers alone. */
    static List<Integer> numbers(List<Seen> seen) {
        List<Integer> out = new ArrayList<>(seen.size());
        for (Seen s : seen) {
            out.add(s.number());
        }
        return out;
    }

    /** 0, 1, ..., n-1. */
    static List<Integer> range(int from, int to) {
        List<Integer> out = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            out.add(i);
        }
        return out;
    }
}
