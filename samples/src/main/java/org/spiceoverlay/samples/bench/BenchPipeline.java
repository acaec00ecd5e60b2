package org.spiceoverlay.samples.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.freedesktop.gstreamer.Bus;
import org.freedesktop.gstreamer.Element;
import org.freedesktop.gstreamer.ElementFactory;
import org.freedesktop.gstreamer.Format;
import org.freedesktop.gstreamer.Gst;
import org.freedesktop.gstreamer.GstException;
import org.freedesktop.gstreamer.Pipeline;
import org.freedesktop.gstreamer.State;
import org.freedesktop.gstreamer.event.SeekFlags;
import org.freedesktop.gstreamer.interfaces.VideoOverlay;
import org.spiceoverlay.engine.gst.GstRuntime;

/**
 * The plain player's GStreamer pipeline, as an ordinary player builds it:
 * {@code filesrc ! decodebin}, video {@code videoconvert ! <sink>} into a given X window (no
 * scaling), audio {@code audioconvert ! audioresample ! <audio out>}. Knows its state, its position
 * in the clock's terms, and whether the stream ended or failed.
 *
 * <p>Threads: one owner thread makes every call (builds, plays, pauses, seeks, queries, closes); the
 * bus callbacks run on GStreamer's bus thread and only record the time and wake the owner.
 */
public final class BenchPipeline implements AutoCloseable {

    /** The video sinks compared: plain X images, or OpenGL. */
    public enum Sink {
        XIMAGESINK("ximagesink", "gstreamer1.0-plugins-base"),
        GLIMAGESINK("glimagesink", "gstreamer1.0-gl");

        final String element;
        final String debianPackage;

        Sink(String element, String debianPackage) {
            this.element = element;
            this.debianPackage = debianPackage;
        }

        /** {@code ximagesink} or {@code glimagesink}. */
        public static Sink parse(String text) {
            for (Sink s : values()) {
                if (s.element.equalsIgnoreCase(text.trim())) {
                    return s;
                }
            }
            throw new IllegalArgumentException("--sink " + text + ": expected ximagesink or glimagesink");
        }
    }

    /** Where the audio goes: the sound server ({@code PULSE_SERVER} picks it), a FIFO of raw S16LE 48 kHz stereo, or nowhere. */
    public record AudioOut(Kind kind, Path fifo) {
        public enum Kind {
            PULSE,
            FIFO,
            NONE
        }

        public AudioOut {
            Objects.requireNonNull(kind, "kind");
            if ((kind == Kind.FIFO) != (fifo != null)) {
                throw new IllegalArgumentException("a FIFO path goes with kind FIFO only");
            }
        }

        /** {@code pulse}, {@code fifo:PATH} or {@code none}. */
        public static AudioOut parse(String text) {
            String t = text.trim();
            if (t.equalsIgnoreCase("pulse")) {
                return new AudioOut(Kind.PULSE, null);
            }
            if (t.equalsIgnoreCase("none")) {
                return new AudioOut(Kind.NONE, null);
            }
            if (t.startsWith("fifo:") && t.length() > 5) {
                return new AudioOut(Kind.FIFO, Path.of(t.substring(5)));
            }
            throw new IllegalArgumentException("--audio " + text + ": expected pulse, fifo:PATH or none");
        }
    }

    private final Pipeline pipeline;
    private final Element videoSink;
    private final AtomicLong eosAt = new AtomicLong(-1);
    private final AtomicReference<String> error = new AtomicReference<>();
    private final CountDownLatch ended = new CountDownLatch(1);
    // Strong references: the bindings hold callbacks weakly.
    private final Bus.EOS onEos;
    private final Bus.ERROR onError;
    private boolean closed;

    private BenchPipeline(Pipeline pipeline, Element videoSink) {
        this.pipeline = pipeline;
        this.videoSink = videoSink;
        this.onEos = source -> {
            eosAt.compareAndSet(-1, System.nanoTime());
            ended.countDown();
        };
        this.onError = (source, code, message) -> {
            error.compareAndSet(null, (source == null ? "?" : source.getName()) + ": " + message);
            ended.countDown();
        };
        pipeline.getBus().connect(onEos);
        pipeline.getBus().connect(onError);
    }

    /** The pipeline in gst-launch syntax; file locations are set on the elements named src and asink. */
    static String description(Sink sink, AudioOut audio, String xDisplay) {
        String video = "dec. ! video/x-raw ! queue ! videoconvert ! " + sink.element + " name=vsink"
                + (sink == Sink.XIMAGESINK && xDisplay != null ? " display=" + xDisplay : "");
        String audioChain = "dec. ! audio/x-raw ! queue ! audioconvert ! audioresample ! "
                + switch (audio.kind()) {
                        // A 60 ms buffer, as a player that cares for lip sync asks: with the default 200 ms the
                        // sound server's latency estimate moves the audio clock in steps of tens of ms.
                    case PULSE -> "pulsesink name=asink buffer-time=60000 latency-time=10000";
                    case FIFO -> "audio/x-raw,format=S16LE,rate=48000,channels=2 ! filesink name=asink sync=true";
                    case NONE -> "fakesink name=asink sync=true";
                };
        return "filesrc name=src ! decodebin name=dec " + video + " " + audioChain;
    }

    /** The elements {@link #description} needs, with their Debian packages. */
    static List<String[]> elementsNeeded(Sink sink, AudioOut audio) {
        List<String[]> e = new ArrayList<>(Arrays.asList(
                new String[] {"filesrc", "gstreamer1.0-tools"},
                new String[] {"decodebin", "gstreamer1.0-plugins-base"},
                new String[] {"videoconvert", "gstreamer1.0-plugins-base"},
                new String[] {"audioconvert", "gstreamer1.0-plugins-base"},
                new String[] {"audioresample", "gstreamer1.0-plugins-base"},
                new String[] {sink.element, sink.debianPackage}));
        if (audio.kind() == AudioOut.Kind.PULSE) {
            e.add(new String[] {"pulsesink", "gstreamer1.0-pulseaudio"});
        }
        return e;
    }

    /**
     * Builds the pipeline for {@code file}, its video drawn into X window {@code windowId}.
     *
     * @throws BenchPlayerException MISSING_ELEMENT naming the package, or PIPELINE_ERROR
     */
    static BenchPipeline open(Path file, Sink sink, AudioOut audio, String xDisplay, long windowId)
            throws BenchPlayerException {
        GstRuntime.ensureInitialised();
        for (String[] e : elementsNeeded(sink, audio)) {
            ElementFactory f = ElementFactory.find(e[0]);
            if (f == null) {
                throw new BenchPlayerException(
                        BenchPlayerException.Reason.MISSING_ELEMENT,
                        "GStreamer element " + e[0] + " is missing: install " + e[1] + " (./overlay setup does)");
            }
            f.dispose();
        }
        Pipeline p;
        try {
            p = (Pipeline) Gst.parseLaunch(description(sink, audio, xDisplay));
        } catch (GstException | ClassCastException e) {
            throw new BenchPlayerException(
                    BenchPlayerException.Reason.PIPELINE_ERROR, "cannot build the pipeline: " + e.getMessage());
        }
        p.getElementByName("src").set("location", file.toAbsolutePath().toString());
        if (audio.kind() == AudioOut.Kind.FIFO) {
            p.getElementByName("asink")
                    .set("location", audio.fifo().toAbsolutePath().toString());
        }
        Element vsink = p.getElementByName("vsink");
        // The sink draws into our window, at the clip's size, instead of opening its own.
        VideoOverlay.wrap(vsink).setWindowHandle(windowId);
        return new BenchPipeline(p, vsink);
    }

    void play() {
        pipeline.play();
    }

    void pause() {
        pipeline.pause();
    }

    /** A flushing, accurate seek to stream time {@code toNs}. */
    boolean seek(long toNs) {
        return pipeline.seekSimple(Format.TIME, EnumSet.of(SeekFlags.FLUSH, SeekFlags.ACCURATE), toNs);
    }

    /** Waits until a state change finished; true when the pipeline is in {@code target}. */
    boolean awaitState(State target, long timeoutNanos) {
        return pipeline.getState(timeoutNanos, TimeUnit.NANOSECONDS) == target && failure() == null;
    }

    /** The video sink's position (the stream time showing now), or -1 when it has none. */
    long positionNs() {
        long p = videoSink.queryPosition(Format.TIME);
        return p < 0 ? -1 : p;
    }

    /**
     * When stream time 0 is due to show, in {@link System#nanoTime()}: the median over {@code samples}
     * position queries {@code spacingNanos} apart of the query's mid-time less the position. Waits for
     * the position to run first.
     *
     * @return the origin, or {@link Long#MIN_VALUE} when no position could be read (ended or failed)
     */
    long measureOrigin(int samples, long spacingNanos, long giveUpNanos) throws InterruptedException {
        long deadline = System.nanoTime() + giveUpNanos;
        long first = positionNs();
        while (ended.getCount() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
            long p = positionNs();
            if (p >= 0 && first >= 0 && p > first) {
                break;
            }
            if (first < 0) {
                first = p;
            }
        }
        long[] origins = new long[samples];
        int n = 0;
        for (int i = 0; i < samples && ended.getCount() > 0; i++) {
            if (i > 0) {
                TimeUnit.NANOSECONDS.sleep(spacingNanos);
            }
            long before = System.nanoTime();
            long p = positionNs();
            long after = System.nanoTime();
            if (p >= 0) {
                origins[n++] = before + (after - before) / 2 - p;
            }
        }
        if (n == 0) {
            return Long.MIN_VALUE;
        }
        long[] got = Arrays.copyOf(origins, n);
        Arrays.sort(got);
        return got[n / 2];
    }

    /** Waits for the end of the stream or an error, at most {@code nanos}; true when one came. */
    boolean awaitEnd(long nanos) throws InterruptedException {
        return nanos <= 0 ? ended.getCount() == 0 : ended.await(nanos, TimeUnit.NANOSECONDS);
    }

    /** When the end of the stream reached the player, or -1. */
    long eosAtNs() {
        return eosAt.get();
    }

    /** GStreamer's first error ("source: message"), or null. */
    String failure() {
        return error.get();
    }

    /** Stops (state NULL, waited for) and disposes; idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        pipeline.stop();
        pipeline.getState(5, TimeUnit.SECONDS);
        pipeline.getBus().disconnect(onEos);
        pipeline.getBus().disconnect(onError);
        pipeline.dispose();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "BenchPipeline[%s%s]", pipeline.getName(), closed ? ", closed" : "");
    }
}
