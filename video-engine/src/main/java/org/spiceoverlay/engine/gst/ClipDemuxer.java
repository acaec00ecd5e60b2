package org.spiceoverlay.engine.gst;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.freedesktop.gstreamer.Bus;
import org.freedesktop.gstreamer.Caps;
import org.freedesktop.gstreamer.Element;
import org.freedesktop.gstreamer.ElementFactory;
import org.freedesktop.gstreamer.FlowReturn;
import org.freedesktop.gstreamer.Format;
import org.freedesktop.gstreamer.Pad;
import org.freedesktop.gstreamer.PadProbeReturn;
import org.freedesktop.gstreamer.Pipeline;
import org.freedesktop.gstreamer.Sample;
import org.freedesktop.gstreamer.State;
import org.freedesktop.gstreamer.elements.AppSink;
import org.freedesktop.gstreamer.event.SeekFlags;
import org.freedesktop.gstreamer.event.SeekType;
import org.spiceoverlay.engine.EncodedSample;
import org.spiceoverlay.engine.EngineErrorCode;
import org.spiceoverlay.engine.EngineException;

/**
 * Demuxes a media file into elementary samples without decoding them, the way a guest player
 * does before sending a stream: {@code filesrc ! parsebin}, one appsink per elementary stream,
 * samples merged in the order the demuxer produces them (decode order, interleaved).
 *
 * <p>Threads: {@link #next} and {@link #seek} from one consumer thread; {@link #close()} from any.
 * The appsink callbacks run on the demuxer's streaming thread and only enqueue.
 */
public final class ClipDemuxer implements AutoCloseable {

    private final Path file;
    private final Pipeline pipeline;
    private final DemuxQueue queue = new DemuxQueue();

    private final List<Object> keepAlive = new ArrayList<>();
    private final AtomicReference<String> error = new AtomicReference<>();
    private final CountDownLatch tracksKnown = new CountDownLatch(1);
    private final boolean withAudio;
    private final CountDownLatch videoSegmentKnown = new CountDownLatch(1);
    private volatile long startTimeNs;
    /** Where the audio track's media time 0 is on its own pts timeline (its edit list), or -1 before its segment. */
    private volatile long audioOffsetNs = -1;

    private volatile String videoCaps;
    private volatile String audioCaps;
    private volatile boolean discontPending;
    private volatile boolean videoCapsProvisional;
    private volatile boolean audioCapsProvisional;
    private final CountDownLatch videoCapsFinal = new CountDownLatch(1);
    /** Appsinks in the pipeline, and how many of them have reached the end since the last seek. */
    private final AtomicInteger sinks = new AtomicInteger();

    private final AtomicInteger sinksAtEnd = new AtomicInteger();

    private ClipDemuxer(Path file, boolean withAudio) throws EngineException {
        this.file = file;
        this.withAudio = withAudio;
        pipeline = new Pipeline("demux-" + file.getFileName());
        Element src = ElementFactory.make("filesrc", "src");
        Element parse = ElementFactory.make("parsebin", "parse");
        if (src == null || parse == null) {
            throw new EngineException(
                    EngineErrorCode.RESOURCE_UNAVAILABLE,
                    "filesrc/parsebin missing: install gstreamer1.0-plugins-base");
        }
        src.set("location", file.toAbsolutePath().toString());
        pipeline.addMany(src, parse);
        src.link(parse);
        Element.PAD_ADDED padAdded = (element, pad) -> {
            try {
                onPad(pad);
            } catch (RuntimeException e) {
                error.compareAndSet(null, "cannot take stream " + pad.getName() + ": " + e);
                tracksKnown.countDown();
            }
        };
        Element.NO_MORE_PADS noMorePads = element -> tracksKnown.countDown();
        parse.connect(padAdded);
        parse.connect(noMorePads);
        keepAlive.add(padAdded);
        keepAlive.add(noMorePads);
        Bus.ERROR onError = (source, code, message) -> {
            error.compareAndSet(null, (source == null ? "pipeline" : source.getName()) + ": " + message);
            tracksKnown.countDown();
            queue.failed();
        };
        Bus.EOS onEos = source -> {
            tracksKnown.countDown();
            // A file with nothing to demux ends here. Otherwise the end is the sinks' to tell: this
            // message comes on another thread, late, and may be from before a seek.
            if (sinks.get() == 0) {
                queue.offer(queue.generation(), DemuxQueue.END);
            }
        };
        pipeline.getBus().connect(onError);
        pipeline.getBus().connect(onEos);
        keepAlive.add(onError);
        keepAlive.add(onEos);
    }

    /**
     * Opens {@code file} and waits until its streams are known.
     *
     * @param withAudio whether audio samples are returned too (else the audio track is skipped)
     * @throws EngineException INVALID_ARGUMENT when the file is missing or has no video stream,
     *                         DECODE_ERROR when GStreamer cannot demux it
     */
    public static ClipDemuxer open(Path file, boolean withAudio) throws EngineException {
        if (!Files.isRegularFile(file)) {
            throw new EngineException(EngineErrorCode.INVALID_ARGUMENT, "no such clip: " + file);
        }
        GstRuntime.ensureInitialised();
        ClipDemuxer d = new ClipDemuxer(file, withAudio);
        d.pipeline.play();
        try {
            if (!d.tracksKnown.await(20, TimeUnit.SECONDS)) {
                d.close();
                throw new EngineException(EngineErrorCode.DECODE_ERROR, "timed out finding the streams of " + file);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            d.close();
            throw new EngineException(EngineErrorCode.INTERNAL, "interrupted opening " + file);
        }
        if (d.error.get() != null) {
            String msg = d.error.get();
            d.close();
            throw new EngineException(EngineErrorCode.DECODE_ERROR, "cannot demux " + file + ": " + msg);
        }
        if (d.videoCaps == null) {
            d.close();
            throw new EngineException(EngineErrorCode.INVALID_ARGUMENT, file + " has no video stream");
        }
        try {
            // The video segment precedes its first buffer; it carries the container's start offset.
            d.videoSegmentKnown.await(5, TimeUnit.SECONDS);
            d.videoCapsFinal.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return d;
    }

    private void onPad(Pad pad) {
        Caps caps = pad.getCurrentCaps();
        // A parser may expose its pad before it has parsed a frame (a WebM or Matroska file with
        // VP9 and no audio): its caps then come with the first sample; what the pad can carry says
        // which track it is meanwhile.
        boolean provisional = caps == null;
        if (provisional) {
            caps = pad.queryCaps(null);
        }
        String media =
                caps == null || caps.size() == 0 ? "" : caps.getStructure(0).getName();
        EncodedSample.Track track;
        if (media.startsWith("video/") && videoCaps == null) {
            track = EncodedSample.Track.VIDEO;
            videoCaps = caps.toString();
            videoCapsProvisional = provisional;
            if (!provisional) {
                videoCapsFinal.countDown();
            }
        } else if (media.startsWith("audio/") && audioCaps == null && withAudio) {
            track = EncodedSample.Track.AUDIO;
            audioCaps = caps.toString();
            audioCapsProvisional = provisional;
        } else {
            Element discard = ElementFactory.make("fakesink", null);
            discard.set("sync", false);
            discard.set("async", false);
            pipeline.add(discard);
            discard.syncStateWithParent();
            pad.link(discard.getStaticPad("sink"));
            return;
        }
        AppSink sink = (AppSink) ElementFactory.make("appsink", null);
        Pad.EVENT_PROBE onEvent = (p, event) -> {
            SegmentReader.Segment segment = SegmentReader.readAndRelease(event);
            if (segment != null) {
                queue.segmentArrived();
                if (track == EncodedSample.Track.VIDEO && videoSegmentKnown.getCount() > 0) {
                    startTimeNs = segment.offset();
                    videoSegmentKnown.countDown();
                } else if (track == EncodedSample.Track.AUDIO && audioOffsetNs < 0) {
                    audioOffsetNs = segment.offset();
                }
            }
            return PadProbeReturn.OK;
        };
        // The pad wrapper owns the native probe's callback: keep both alive as long as the pipeline.
        Pad sinkPad = sink.getStaticPad("sink");
        synchronized (keepAlive) {
            keepAlive.add(onEvent);
            keepAlive.add(sinkPad);
        }
        sinkPad.addEventProbe(onEvent);
        sink.set("sync", false);
        sink.set("emit-signals", true);
        sink.set("enable-last-sample", false);
        sink.set("max-buffers", 8);
        // Added while the pipeline runs: a sink that waited for preroll would stall the demuxer thread.
        sink.set("async", false);
        AppSink.NEW_SAMPLE onSample = s -> onSample(s, track);
        sink.connect(onSample);
        // On the streaming thread, in order with the samples and the seeks' flushes: the file's end
        // once every sink has reached it (an end still in flight when a seek starts is dropped).
        AppSink.EOS onEnd = s -> {
            int pulledIn = queue.generation();
            if (!queue.isFlushing() && sinksAtEnd.incrementAndGet() == sinks.get()) {
                queue.offer(pulledIn, DemuxQueue.END);
            }
        };
        sink.connect(onEnd);
        sinks.incrementAndGet();
        synchronized (keepAlive) {
            keepAlive.add(onSample);
            keepAlive.add(onEnd);
            keepAlive.add(sink);
        }
        pipeline.add(sink);
        sink.syncStateWithParent();
        pad.link(sink.getStaticPad("sink"));
    }

    private FlowReturn onSample(AppSink sink, EncodedSample.Track track) {
        int pulledIn = queue.generation();
        Sample sample = sink.pullSample();
        if (sample == null) {
            return FlowReturn.OK;
        }
        if (queue.isClosed()) {
            sample.dispose();
            return FlowReturn.OK;
        }
        takeCapsOf(sample, track);
        boolean discont = discontPending && track == EncodedSample.Track.VIDEO;
        DemuxedSample s = DemuxedSample.of(sample, track, discont); // owns the sample from here
        if (s == null) {
            return FlowReturn.OK;
        }
        if (discont) {
            discontPending = false;
        }
        // parsebin exposes all its pads before any data flows: the first sample means every
        // stream is known (it does not announce no-more-pads).
        tracksKnown.countDown();
        queue.offer(pulledIn, s);
        return FlowReturn.OK;
    }

    /** A track whose pad had no caps yet when it appeared takes the caps of its first sample. */
    private void takeCapsOf(Sample sample, EncodedSample.Track track) {
        boolean video = track == EncodedSample.Track.VIDEO;
        if (!(video ? videoCapsProvisional : audioCapsProvisional)) {
            return;
        }
        Caps caps = sample.getCaps();
        if (caps == null) {
            return;
        }
        if (video) {
            videoCaps = caps.toString();
            videoCapsProvisional = false;
            videoCapsFinal.countDown();
        } else {
            audioCaps = caps.toString();
            audioCapsProvisional = false;
        }
    }

    public Path file() {
        return file;
    }

    /** Caps of the video stream, including what its decoder needs (e.g. codec_data). */
    public String videoCaps() {
        return videoCaps;
    }

    /** Caps of the audio stream, or null when there is none (or audio was not asked for). */
    public String audioCaps() {
        return audioCaps;
    }

    /**
     * The pts of the media's first frame (0 for most files; the edit-list delay of an MP4 with
     * B-frames). Media time = pts - startTimeNs; sent to the client as the stream's start time.
     */
    public long startTimeNs() {
        return startTimeNs;
    }

    /** Duration in nanoseconds, or -1 when unknown. */
    public long durationNs() {
        return pipeline.queryDuration(Format.TIME);
    }

    /**
     * The next sample in demux order, or null at the end of the file. Its bytes stay in the
     * demuxer's memory until the caller closes it (which the caller must, once done with them).
     *
     * @throws EngineException DECODE_ERROR when demuxing failed, INTERNAL on timeout
     */
    @SuppressWarnings("ReferenceEquality") // END is a marker instance
    public DemuxedSample next(long timeout, TimeUnit unit) throws EngineException, InterruptedException {
        DemuxedSample s = queue.next(timeout, unit);
        if (s == null) {
            throw new EngineException(
                    EngineErrorCode.INTERNAL, "no sample from " + file + " within " + timeout + " " + unit);
        }
        if (s == DemuxQueue.END) {
            if (error.get() != null) {
                throw new EngineException(EngineErrorCode.DECODE_ERROR, "demuxing " + file + " failed: " + error.get());
            }
            return null;
        }
        if (s.sample().track() == EncodedSample.Track.AUDIO && audioOffsetNs >= 0) {
            // One timeline for both tracks, the video's (media time = pts - startTimeNs): an MP4's
            // edit lists delay the video by its B-frames and the audio by its encoder's priming,
            // each on its own; unshifted, the audio played that much early (~60 ms on the clips).
            return s.shifted(startTimeNs - audioOffsetNs);
        }
        return s;
    }

    /**
     * Restarts from the keyframe at or before {@code positionNs}; the next video sample is flagged
     * as a discontinuity. Samples not yet taken are dropped (closed).
     */
    public void seek(long positionNs) throws EngineException {
        // Until the new segment reaches the sinks, a callback waiting for room gives up (the seek
        // waits for the streaming thread); the segment probe clears what is stale and ends this state.
        queue.beginSeek();
        sinksAtEnd.set(0);
        boolean seeked = false;
        try {
            discontPending = true;
            boolean ok = pipeline.seek(
                    1.0,
                    Format.TIME,
                    EnumSet.of(SeekFlags.FLUSH, SeekFlags.KEY_UNIT, SeekFlags.SNAP_BEFORE),
                    SeekType.SET,
                    positionNs,
                    SeekType.NONE,
                    -1);
            if (!ok) {
                throw new EngineException(
                        EngineErrorCode.INVALID_STATE, "cannot seek " + file + " to " + positionNs + " ns");
            }
            seeked = true;
        } finally {
            if (!seeked) {
                queue.seekFailed();
            }
        }
    }

    /**
     * After {@link #seek}: the presentation time of the keyframe the demuxer restarted from (the
     * samples read to find it are returned by {@link #next} as usual), or {@code fallback} when
     * none shows up.
     */
    public long keyframeBefore(long fallback) {
        return queue.keyframeBefore(fallback);
    }

    @Override
    public void close() {
        if (queue.isClosed()) {
            return;
        }
        queue.close();
        pipeline.setState(State.NULL);
        pipeline.getState(TimeUnit.SECONDS.toNanos(5));
        queue.close(); // what a streaming thread queued meanwhile
        pipeline.dispose();
    }

    @Override
    public String toString() {
        return "ClipDemuxer[" + file.getFileName() + ", video=" + videoCaps + (audioCaps != null ? ", audio" : "")
                + "]";
    }
}
