package org.spiceoverlay.engine.gst;

import java.util.EnumSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.freedesktop.gstreamer.Bus;
import org.freedesktop.gstreamer.Format;
import org.freedesktop.gstreamer.Pipeline;
import org.freedesktop.gstreamer.State;
import org.freedesktop.gstreamer.event.SeekFlags;
import org.freedesktop.gstreamer.event.SeekType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spiceoverlay.engine.DecodeSession;
import org.spiceoverlay.engine.EncodedSample;
import org.spiceoverlay.engine.EngineErrorCode;
import org.spiceoverlay.engine.EngineException;
import org.spiceoverlay.engine.FrameSink;
import org.spiceoverlay.engine.SeekMode;
import org.spiceoverlay.engine.SessionListener;
import org.spiceoverlay.engine.SessionSpec;
import org.spiceoverlay.engine.SessionState;
import org.spiceoverlay.engine.SessionStats;
import org.spiceoverlay.engine.SourceType;

/**
 * A GStreamer decode session: its pipeline ({@link SessionPipeline}), its input
 * ({@link SessionInput}: appsrcs, metered), its output ({@link FrameDelivery}: appsink to the
 * {@link FrameSink}), and here its state, controls, bus and events. SAMPLES appsrcs run in time
 * format and are seekable: a flushing seek empties them and the caller pushes again from the new
 * position, with the segment (start, rate) doing accurate clipping and rate on the clock.
 * GStreamer's errors are classified by their domain and code ({@link GstErrors}).
 *
 * <p>Threads: GStreamer callbacks (new-sample, pad-added, bus) do their minimum and hand events to
 * the session's single event thread, where the listener is called. Calls that touch the pipeline
 * (pushes, seeks, state changes) hold it alive ({@code alive}'s read side); tearing it down
 * takes the write side, so a fatal error on the event thread never disposes the pipeline under a
 * push in progress: the push finishes first, and every later one gets STREAM_CLOSED. See
 * {@link DecodeSession} for the callers' side.
 */
final class GstDecodeSession implements DecodeSession {

    private static final Logger LOG = LoggerFactory.getLogger(GstDecodeSession.class);

    private final SessionSpec spec;
    private final FrameSink sink;
    private final SessionEvents events;

    private final SessionPipeline p;
    private final Pipeline pipeline;
    private final Bus bus;
    private final InputLevel level = new InputLevel(3);
    private final FrameDelivery delivery;
    private final SessionInput input;
    private final AtomicLong audioBuffers = new AtomicLong();

    // Strong reference: GStreamer holds only a native pointer to this callback.
    private final DecodedPadLinker padAdded;

    private final Object control = new Object();
    /** Read: a call using the pipeline is in progress; write: tearing it down. */
    private final ReadWriteLock alive = new ReentrantReadWriteLock();

    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean targetPlaying;
    private final StartAnchor anchor;

    GstDecodeSession(
            SessionSpec spec,
            FrameSink sink,
            SessionListener listener,
            java.util.function.Supplier<AudioOutput> audioOutput,
            java.net.URI uri)
            throws EngineException {
        this.spec = spec;
        this.sink = sink;
        this.events = new SessionEvents(spec, listener, new EventHooks());
        padAdded = new DecodedPadLinker(spec, events);
        p = new SessionPipeline(spec, audioOutput, uri, padAdded, level, audioBuffers);
        padAdded.attach(p);
        pipeline = p.pipeline;
        delivery = new FrameDelivery(sink, error -> events.post(() -> events.report(error)));
        delivery.attach(p);
        input = new SessionInput(spec, p, level, delivery);
        bus = pipeline.getBus();
        events.connect(bus, pipeline);
        LOG.debug("{}: opened {}", spec.name(), spec);
        anchor = new StartAnchor(spec);
        if (anchor.pending()) {
            targetPlaying = true; // prerolls paused; plays at the anchor (StartAnchor)
            pipeline.pause();
        } else if (spec.startPaused()) {
            pause();
        } else {
            play();
        }
    }

    /** What the event thread asks of the session. */
    private final class EventHooks implements SessionEvents.Session {
        @Override
        public boolean closed() {
            return closed.get();
        }

        @Override
        public void shutdownPipeline() {
            GstDecodeSession.this.shutdownPipeline();
        }

        @Override
        public boolean targetPlaying() {
            return targetPlaying;
        }

        @Override
        public long positionNs() {
            return GstDecodeSession.this.positionNs();
        }

        @Override
        public long durationNs() {
            alive.readLock().lock();
            try {
                return closed.get() ? -1 : pipeline.queryDuration(Format.TIME);
            } finally {
                alive.readLock().unlock();
            }
        }

        @Override
        public long samplesWithoutPicture() {
            return delivery.framesDecoded.get() == 0 ? input.samplesReceived.get() : 0;
        }

        @Override
        public void endOfStreamToSink() {
            sink.onEndOfStream();
        }

        @Override
        public String timing() {
            alive.readLock().lock();
            try {
                return closed.get() ? "(closed)" : p.timing(input.firstArrivalNanos);
            } finally {
                alive.readLock().unlock();
            }
        }

        @Override
        public String describeCaps() {
            return SessionPipeline.describe(spec);
        }
    }

    // ---- DecodeSession -----------------------------------------------------------------------

    @Override
    public SessionSpec spec() {
        return spec;
    }

    @Override
    public void push(EncodedSample sample) throws EngineException {
        alive.readLock().lock();
        try {
            ensureOpen();
            input.push(sample);
            anchor.arm(input.firstArrivalNanos, events, this::play);
        } finally {
            alive.readLock().unlock();
        }
    }

    @Override
    public void pushBytes(java.nio.ByteBuffer data) throws EngineException {
        alive.readLock().lock();
        try {
            ensureOpen();
            input.pushBytes(data);
        } finally {
            alive.readLock().unlock();
        }
    }

    @Override
    public boolean awaitRoom(int bytes, long timeout, TimeUnit unit) throws InterruptedException {
        return !closed.get() && level.awaitRoom(bytes, spec.maxQueuedBytes(), unit.toNanos(timeout)) && !closed.get();
    }

    @Override
    public void endOfStream() throws EngineException {
        alive.readLock().lock();
        try {
            ensureOpen();
            input.endOfStream();
        } finally {
            alive.readLock().unlock();
        }
    }

    @Override
    public void play() {
        changeState(true);
    }

    @Override
    public void pause() {
        changeState(false);
    }

    private void changeState(boolean playing) {
        alive.readLock().lock();
        try {
            synchronized (control) {
                if (closed.get()) {
                    return;
                }
                targetPlaying = playing;
                if (!playing) {
                    anchor.cancel();
                    pipeline.pause();
                } else if (!anchor.pending()) {
                    pipeline.play();
                }
            }
        } finally {
            alive.readLock().unlock();
        }
    }

    @Override
    public void seek(long positionNs, SeekMode mode, double rate) throws EngineException {
        if (positionNs < 0) {
            throw new EngineException(EngineErrorCode.INVALID_ARGUMENT, "positionNs must be >= 0, got " + positionNs);
        }
        if (!(rate > 0) || rate > 64 || Double.isNaN(rate)) {
            throw new EngineException(EngineErrorCode.INVALID_ARGUMENT, "rate must be in (0, 64], got " + rate);
        }
        java.util.Objects.requireNonNull(mode, "mode");
        alive.readLock().lock();
        try {
            ensureOpen();
            synchronized (control) {
                if (anchor.pending() && targetPlaying) {
                    anchor.cancel(); // a seek before the anchor: play from the new position at once
                    pipeline.play();
                }
                EnumSet<SeekFlags> flags = EnumSet.of(SeekFlags.FLUSH);
                // SAMPLES: the caller already starts at a keyframe; the segment start clips to the position.
                boolean accurate = spec.source() == SourceType.SAMPLES || mode == SeekMode.ACCURATE;
                if (accurate) {
                    flags.add(SeekFlags.ACCURATE);
                } else {
                    flags.add(SeekFlags.KEY_UNIT);
                    flags.add(SeekFlags.SNAP_BEFORE);
                }
                delivery.beginFlush(accurate ? positionNs + startOffset() : -1);
                try {
                    boolean seeked = pipeline.seek(
                            rate, Format.TIME, flags, SeekType.SET, positionNs + startOffset(), SeekType.NONE, -1);
                    // The appsrc queues were flushed (or the seek failed with them flushed anyway).
                    level.flushed();
                    if (!seeked) {
                        throw new EngineException(
                                EngineErrorCode.INVALID_STATE,
                                "the stream cannot seek to " + positionNs / 1e9 + " s ("
                                        + SessionPipeline.describe(spec) + ")");
                    }
                } finally {
                    delivery.endFlush();
                }
            }
        } finally {
            alive.readLock().unlock();
        }
        events.seekDone(positionNs);
    }

    @Override
    public long setRate(double rate) throws EngineException {
        long pos = Math.max(0, positionNs());
        seek(pos, SeekMode.ACCURATE, rate);
        return pos;
    }

    @Override
    public void setVolume(double v) {
        setOnVolume("volume", Math.max(0.0, Math.min(1.0, v)));
    }

    @Override
    public void setMute(boolean mute) {
        setOnVolume("mute", mute);
    }

    private void setOnVolume(String property, Object value) {
        alive.readLock().lock();
        try {
            if (p.volume != null && !closed.get()) {
                p.volume.set(property, value);
            }
        } finally {
            alive.readLock().unlock();
        }
    }

    @Override
    public long positionNs() {
        alive.readLock().lock();
        try {
            if (closed.get()) {
                return -1;
            }
            long pos = pipeline.queryPosition(Format.TIME);
            return pos < 0 ? -1 : Math.max(0, pos - startOffset());
        } finally {
            alive.readLock().unlock();
        }
    }

    /** Pts of media time 0 (SAMPLES sessions; BYTES and URI sessions demux to media time already). */
    private long startOffset() {
        return spec.source() == SourceType.SAMPLES ? spec.startTimeNs() : 0;
    }

    @Override
    public SessionState state() {
        return events.state();
    }

    @Override
    public SessionStats stats() {
        long received = input.bytesReceived.get();
        long consumed = closed.get() ? received : received - input.queuedBytes();
        long decoded = delivery.framesDecoded.get();
        long delivered = delivery.framesDelivered.get();
        return new SessionStats(
                input.samplesReceived.get(),
                received,
                consumed,
                decoded,
                delivered,
                Math.max(0, decoded - delivered),
                delivery.decodeLatency.percentile(50),
                delivery.decodeLatency.percentile(95),
                delivery.decodeLatency.percentile(99),
                delivery.framesOpen.get(),
                audioBuffers.get());
    }

    private void ensureOpen() throws EngineException {
        if (closed.get()) {
            throw new EngineException(EngineErrorCode.STREAM_CLOSED, "stream " + spec.name() + " is closed");
        }
    }

    private void shutdownPipeline() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        level.wake();
        // Release a streaming thread that may be waiting in the sink before stopping the pipeline.
        delivery.close();
        // Wait out the calls using the pipeline (a push, a seek); later ones see it closed.
        alive.writeLock().lock();
        try {
            synchronized (control) {
                pipeline.setState(State.NULL);
                pipeline.getState(TimeUnit.SECONDS.toNanos(5));
            }
            events.disconnect(bus);
            delivery.dispose(); // the streaming threads are gone: nothing else touches it now
            bus.dispose();
            p.dispose();
        } finally {
            alive.writeLock().unlock();
        }
        // No more frames will come: release a consumer waiting for the next one.
        sink.onEndOfStream();
    }

    @Override
    public void close() {
        shutdownPipeline();
        // Every event, CLOSED last, has reached the listener when close returns (unless close was
        // called from the listener itself).
        events.close();
        LOG.debug("{}: closed", spec.name());
    }

    @Override
    public String toString() {
        return "GstDecodeSession[" + spec.name() + ", " + events.state() + "]";
    }
}
