package org.spiceoverlay.engine.gst;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.freedesktop.gstreamer.Element;
import org.freedesktop.gstreamer.ElementFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spiceoverlay.api.PixelFormat;
import org.spiceoverlay.api.VideoFrame;
import org.spiceoverlay.engine.CodecCapability;
import org.spiceoverlay.engine.DecodeSession;
import org.spiceoverlay.engine.EncodedSample;
import org.spiceoverlay.engine.EncodedSample.Track;
import org.spiceoverlay.engine.FrameSink;
import org.spiceoverlay.engine.Pacing;
import org.spiceoverlay.engine.SessionListener;
import org.spiceoverlay.engine.SessionSpec;
import org.spiceoverlay.engine.SourceType;

/**
 * Pays a client's first-stream costs before a guest asks: the decoder and parser plugins loaded
 * (libav's alone is tens of milliseconds), the sound server probed, and one session of the common
 * shape (H.264 and AAC samples) assembled, fed one tiny frame of each (resources of this package),
 * decoded and torn down, so the JNA paths and callbacks are compiled. Measured on
 * the demo (two cores): the first stream played about 0.2 s sooner.
 *
 * <p>Runs once on its own daemon thread; errors are logged and ignored (the first stream then pays).
 */
final class EngineWarmUp {

    private static final Logger LOG = LoggerFactory.getLogger(EngineWarmUp.class);

    /** The media types whose decoder and parser are loaded: what guests send most. */
    private static final Set<String> COMMON = Set.of(
            "video/x-h264", "video/x-h265", "video/x-vp8", "video/x-vp9", "video/x-av1", "audio/mpeg", "audio/x-opus");

    private static final List<String> PARSERS = List.of("h264parse", "h265parse", "aacparse", "opusparse");

    private EngineWarmUp() {}

    static void start(GstMediaEngine engine) {
        Thread t = new Thread(() -> run(engine), "engine-warm-up");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    private static void run(GstMediaEngine engine) {
        long t0 = System.nanoTime();
        try {
            for (CodecCapability c : engine.capabilities()) {
                if (COMMON.contains(c.caps())) {
                    make(c.element());
                }
            }
            PARSERS.forEach(EngineWarmUp::make);
            CountDownLatch shown = new CountDownLatch(1);
            try (DecodeSession s = engine.open(
                    SessionSpec.builder(SourceType.SAMPLES)
                            .name("warm-up")
                            .videoCaps("video/x-h264,stream-format=byte-stream,alignment=au,width=64,height=64")
                            .audioCaps("audio/mpeg,mpegversion=4,stream-format=adts,rate=48000,channels=2")
                            .outputFormat(PixelFormat.RGBA)
                            .pacing(Pacing.IMMEDIATE)
                            .lowLatency(true)
                            .build(),
                    new FrameSink() {
                        @Override
                        public void onFrame(VideoFrame frame) {
                            frame.close();
                            shown.countDown();
                        }

                        @Override
                        public void flush() {}
                    },
                    SessionListener.NONE)) {
                s.play();
                s.push(EncodedSample.of(
                        Track.VIDEO, resource(VIDEO), 0, EncodedSample.NO_TIME, 33_333_333, true, false));
                s.push(EncodedSample.of(
                        Track.AUDIO, resource(AUDIO), 0, EncodedSample.NO_TIME, 42_666_666, true, false));
                s.endOfStream();
                if (!shown.await(5, TimeUnit.SECONDS)) {
                    LOG.warn("engine warm-up: the 64x64 H.264 frame was not decoded within 5 s");
                }
            }
            LOG.info("engine warmed up in {} ms", (System.nanoTime() - t0) / 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception | LinkageError e) {
            LOG.warn("engine warm-up failed (the first stream pays its start-up instead): {}", e.toString());
        }
    }

    /** One 64x64 H.264 IDR frame (Annex B; x264, constrained baseline) and two silent ADTS AAC frames. */
    private static final String VIDEO = "warm-up-64x64.h264";

    private static final String AUDIO = "warm-up-silence.aac";

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = EngineWarmUp.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("resource " + name + " is missing from the engine's jar");
            }
            return in.readAllBytes();
        }
    }

    private static void make(String factory) {
        Element e = ElementFactory.make(factory, null);
        e.dispose();
    }
}
