package org.spiceoverlay.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.freedesktop.gstreamer.Buffer;
import org.freedesktop.gstreamer.Bus;
import org.freedesktop.gstreamer.Gst;
import org.freedesktop.gstreamer.Pipeline;
import org.freedesktop.gstreamer.Sample;
import org.freedesktop.gstreamer.Structure;
import org.freedesktop.gstreamer.elements.AppSink;

/**
 * Tests' way to decode a file to the end: a pipeline with a {@code filesrc name=file} and two
 * appsinks named {@code video} and {@code audio}, each drained by a thread of its own that hands
 * every buffer, mapped, to a consumer; fails the test on a GStreamer error, a consumer's exception,
 * or a decode that does not finish in time.
 */
final class TwoBranchDecode {

    /** Gets each decoded buffer on its branch's thread: the caps' first structure, the mapped data, the pts. */
    interface Consumer {
        void accept(Structure caps, ByteBuffer data, long ptsNs) throws Exception;
    }

    private TwoBranchDecode() {}

    /**
     * Runs {@code description} on {@code file} until end of stream.
     *
     * @param hint added to the message when the decode does not finish (what could hold it up)
     */
    static void run(String description, Path file, long timeoutSeconds, String hint, Consumer video, Consumer audio)
            throws Exception {
        Pipeline pipeline = (Pipeline) Gst.parseLaunch(description);
        pipeline.getElementByName("file").set("location", file.toString());
        AppSink videoSink = (AppSink) pipeline.getElementByName("video");
        AppSink audioSink = (AppSink) pipeline.getElementByName("audio");
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<String> error = new AtomicReference<>();
        Bus.EOS onEos = src -> done.countDown();
        Bus.ERROR onError = (src, code, message) -> {
            error.compareAndSet(null, message);
            done.countDown();
        };
        pipeline.getBus().connect(onEos);
        pipeline.getBus().connect(onError);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread videoPuller = new Thread(() -> drain(videoSink, video, failure), "test-video-pull");
        Thread audioPuller = new Thread(() -> drain(audioSink, audio, failure), "test-audio-pull");
        try {
            pipeline.play();
            videoPuller.start();
            audioPuller.start();
            assertTrue(
                    done.await(timeoutSeconds, TimeUnit.SECONDS),
                    "decoding " + file + " did not finish in " + timeoutSeconds + " s"
                            + (hint.isEmpty() ? "" : ": " + hint));
            // The pullers end at EOS; joining before stopping lets them take the last samples.
            videoPuller.join(10_000);
            audioPuller.join(10_000);
        } finally {
            pipeline.stop();
            videoPuller.join(10_000);
            audioPuller.join(10_000);
            pipeline.getBus().disconnect(onEos);
            pipeline.getBus().disconnect(onError);
            pipeline.dispose();
        }
        assertEquals(null, error.get(), "decoding " + file);
        if (failure.get() != null) {
            throw new AssertionError("reading decoded samples of " + file, failure.get());
        }
    }

    private static void drain(AppSink sink, Consumer consumer, AtomicReference<Throwable> failure) {
        try {
            Sample sample;
            while ((sample = sink.pullSample()) != null) {
                try {
                    Structure caps = sample.getCaps().getStructure(0);
                    Buffer buffer = sample.getBuffer();
                    ByteBuffer mapped = buffer.map(false);
                    try {
                        consumer.accept(caps, mapped, buffer.getPresentationTimestamp());
                    } finally {
                        buffer.unmap();
                    }
                } finally {
                    sample.dispose();
                }
            }
        } catch (Throwable t) {
            failure.compareAndSet(null, t);
        }
    }
}
