package org.spiceoverlay.samples.bench;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.freedesktop.gstreamer.Buffer;
import org.freedesktop.gstreamer.Bus;
import org.freedesktop.gstreamer.Clock;
import org.freedesktop.gstreamer.Gst;
import org.freedesktop.gstreamer.Pipeline;
import org.freedesktop.gstreamer.Sample;
import org.freedesktop.gstreamer.State;
import org.freedesktop.gstreamer.elements.AppSink;
import org.spiceoverlay.engine.bench.BeepDetector;
import org.spiceoverlay.engine.gst.GstRuntime;

/**
 * Records a {@link PrivateSoundServer}'s monitor in this JVM and finds the beeps in it:
 * {@code pulsesrc device=bench.monitor ! S16LE 48 kHz stereo ! appsink}, 2 ms capture fragments,
 * into a {@link BeepDetector}. The pipeline runs on GStreamer's system clock, which is
 * CLOCK_MONOTONIC, the clock of {@link System#nanoTime()} on Linux (checked in {@link #start()}),
 * so a buffer's capture time, base time plus pts, is a {@code nanoTime} value.
 *
 * <p>Started and closed by one owner thread; a thread of its own pulls the recorded buffers;
 * {@link #beepOnsetsNanos()} may be read from any thread.
 */
public final class MonitorRecorder implements AutoCloseable {

    static final int RATE = 48000;
    static final int CHANNELS = 2;
    /** The capture fragment, µs: bounds how far a recording's timestamps may be from the sink's. */
    static final int FRAGMENT_US = 2_000;

    private static final int BUFFER_US = 200_000;

    /** How far GStreamer's clock may be from System.nanoTime() before we call them different clocks. */
    private static final long SAME_CLOCK_NS = 1_000_000;

    private final PrivateSoundServer server;
    private final BeepDetector detector = new BeepDetector(RATE, CHANNELS);
    private final AtomicReference<String> failure = new AtomicReference<>();
    private Pipeline pipeline;
    private AppSink sink;
    private Bus.ERROR onError;
    private Thread puller;
    private volatile long baseTime;
    private boolean closed;

    public MonitorRecorder(PrivateSoundServer server) {
        this.server = Objects.requireNonNull(server, "server");
    }

    /**
     * Starts recording and returns once the pipeline plays.
     *
     * @throws IllegalStateException when pulsesrc is missing (naming gstreamer1.0-pulseaudio), the
     *         pipeline does not start (with the bus error), or the pipeline's clock is not
     *         {@code System.nanoTime()}'s
     */
    public MonitorRecorder start() {
        if (pipeline != null) {
            throw new IllegalStateException("already started");
        }
        GstRuntime.ensureInitialised();
        if (org.freedesktop.gstreamer.ElementFactory.find("pulsesrc") == null) {
            throw new IllegalStateException(
                    "GStreamer's pulsesrc is missing: install gstreamer1.0-pulseaudio " + "(./overlay setup does)");
        }
        // provide-clock=false: pulsesrc's own audio clock would win the clock selection otherwise.
        // latency-time is the capture fragment, and it also sets how far ahead the null sink
        // renders (its monitor asks for that latency): the sink renders blocks of that length and
        // the recording's timestamps line up with the sink to within one block, at a phase that
        // differs from one recording to the next. With 10 ms two recordings of one monitor
        // disagreed by up to 15 ms; with 2 ms, by 1.5 ms at most (ARCHITECTURE.md, A/V).
        // buffer-time: 200 ms of slack before a stalled reader loses samples.
        pipeline = (Pipeline) Gst.parseLaunch("pulsesrc name=src provide-clock=false buffer-time=" + BUFFER_US
                + " latency-time=" + FRAGMENT_US + " ! audio/x-raw,format=S16LE,rate=" + RATE + ",channels=" + CHANNELS
                + ",layout=interleaved ! appsink name=sink sync=false max-buffers=500 drop=false");
        pipeline.getElementByName("src").set("server", server.serverAddress());
        pipeline.getElementByName("src").set("device", PrivateSoundServer.MONITOR);
        pipeline.getElementByName("src").set("client-name", "spice-overlay-bench-recorder");
        sink = (AppSink) pipeline.getElementByName("sink");
        Clock clock = pipeline.getClock();
        checkMonotonic(clock);
        pipeline.useClock(clock);
        onError = (src, code, message) -> failure.compareAndSet(null, src.getName() + ": " + message);
        pipeline.getBus().connect(onError);
        pipeline.play();
        State state = pipeline.getState(5_000_000_000L);
        if (state != State.PLAYING || failure.get() != null) {
            String why = failure.get();
            close();
            throw new IllegalStateException("recording " + PrivateSoundServer.MONITOR + " did not start (" + state
                    + "): " + why + "; the sound server's log ends:\n" + server.logTail());
        }
        baseTime = pipeline.getBaseTime();
        puller = new Thread(this::pull, "bench-monitor-pull");
        puller.setDaemon(true);
        puller.start();
        return this;
    }

    /** GStreamer's system clock must be CLOCK_MONOTONIC, i.e. read the same as System.nanoTime(). */
    private static void checkMonotonic(Clock clock) {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            long before = System.nanoTime();
            long gst = clock.getTime();
            long after = System.nanoTime();
            best = Math.min(best, Math.abs(gst - (before + after) / 2));
        }
        if (best > SAME_CLOCK_NS) {
            throw new IllegalStateException("the pipeline clock " + clock.getName() + " is " + best
                    + " ns away from System.nanoTime(): not CLOCK_MONOTONIC, so beep times cannot be compared");
        }
    }

    /** Runs on the puller thread until end of stream or close. */
    private void pull() {
        try {
            Sample sample;
            while ((sample = sink.pullSample()) != null) {
                try {
                    Buffer buffer = sample.getBuffer();
                    long pts = buffer.getPresentationTimestamp();
                    ByteBuffer mapped = buffer.map(false);
                    try {
                        detector.accept(mapped, baseTime + pts);
                    } finally {
                        buffer.unmap();
                    }
                } finally {
                    sample.dispose();
                }
            }
        } catch (RuntimeException e) {
            failure.compareAndSet(null, "reading the recording: " + e);
        }
    }

    /**
     * The beep onsets heard so far, in {@link System#nanoTime()} terms, in order.
     *
     * @throws IllegalStateException if the recording failed (with GStreamer's error)
     */
    public List<Long> beepOnsetsNanos() {
        String why = failure.get();
        if (why != null && !closed) {
            throw new IllegalStateException("recording " + PrivateSoundServer.MONITOR + " failed: " + why);
        }
        return detector.onsetsNanos();
    }

    /** Seconds of audio recorded so far. */
    public double recordedSeconds() {
        return detector.samplesSeen() / (double) RATE;
    }

    /** Stops recording. Idempotent; the onsets found stay readable. */
    @Override
    public void close() {
        if (closed || pipeline == null) {
            closed = true;
            return;
        }
        closed = true;
        // NULL makes pullSample return null, which ends the puller.
        pipeline.stop();
        if (puller != null) {
            try {
                puller.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (onError != null) {
            pipeline.getBus().disconnect(onError);
        }
        pipeline.dispose();
    }
}
