package org.spiceoverlay.engine.gst;

import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.freedesktop.gstreamer.Bus;
import org.freedesktop.gstreamer.Element;
import org.freedesktop.gstreamer.GstObject;
import org.freedesktop.gstreamer.Pipeline;
import org.freedesktop.gstreamer.State;
import org.freedesktop.gstreamer.message.MessageType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spiceoverlay.engine.EngineError;
import org.spiceoverlay.engine.EngineErrorCode;
import org.spiceoverlay.engine.SessionListener;
import org.spiceoverlay.engine.SessionSpec;
import org.spiceoverlay.engine.SessionState;

/**
 * A decode session's event thread and what reaches its listener: the pipeline's bus (errors,
 * classified by {@link GstErrors}; end of stream; state changes; buffering), the session's state,
 * its position every 500 ms, seeks done, and a fatal error's teardown. Every listener call runs on
 * this one thread, in order; a listener that throws is logged, never stops the session.
 *
 * <p>Threads: {@link #post} from any thread; bus handlers run on GStreamer's threads and only post.
 */
final class SessionEvents {

    private static final Logger LOG = LoggerFactory.getLogger(SessionEvents.class);
    private static final long POSITION_PERIOD_MS = 500;

    /** What the session does for its events. */
    interface Session {
        boolean closed();

        /** How the first PLAYING stands to the first sample and the pipeline's latency, for the log. */
        default String timing() {
            return "";
        }

        /** Stops and releases the pipeline (idempotent). */
        void shutdownPipeline();

        /** Whether the caller last asked to play (a PAUSED on the way to PLAYING is not reported). */
        boolean targetPlaying();

        /** The position, -1 when unknown. */
        long positionNs();

        /** The duration, -1 when unknown. */
        long durationNs();

        /** Samples received while no frame was decoded (0 once one was): the data does not match its caps. */
        long samplesWithoutPicture();

        /** End of stream reached the sink side. */
        void endOfStreamToSink();

        /** The session's caps, for messages. */
        String describeCaps();
    }

    private final SessionSpec spec;
    private final SessionListener listener;
    private final Session session;
    private final ScheduledExecutorService executor;
    private volatile Thread thread;
    private volatile SessionState state = SessionState.PREROLLING;
    private ScheduledFuture<?> positionTask;
    // Strong references: GStreamer holds only native pointers to these callbacks.
    private Bus.MESSAGE busError;
    private Bus.WARNING busWarning;
    private Bus.EOS busEos;
    private Bus.STATE_CHANGED busState;
    private Bus.BUFFERING busBuffering;

    SessionEvents(SessionSpec spec, SessionListener listener, Session session) {
        this.spec = spec;
        this.listener = listener;
        this.session = session;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "engine-events-" + spec.name());
            t.setDaemon(true);
            thread = t;
            return t;
        });
    }

    SessionState state() {
        return state;
    }

    /**
     * Listens on the pipeline's bus and starts the position reports. Bus messages may still be
     * dispatched after close: every handler checks first, and reads nothing from a disposed object.
     */
    void connect(Bus bus, Pipeline pipeline) {
        BooleanSupplier closed = session::closed;
        busError = (b, message) -> {
            if (!closed.getAsBoolean() && message.getType() == MessageType.ERROR) {
                GstErrors.BusError error = GstErrors.parse(message);
                GstObject source = message.getSource();
                String where = nameOf(source);
                boolean network = isNetworkSource(source);
                post(() -> onBusError(where, network, error));
            }
        };
        busWarning = (source, code, message) -> {
            if (!closed.getAsBoolean()) {
                LOG.warn("{}: {}: {}", spec.name(), nameOf(source), message);
            }
        };
        busEos = source -> post(this::onBusEos);
        busState = (source, old, current, pending) -> {
            if (!closed.getAsBoolean() && source == pipeline) {
                post(() -> onPipelineState(current));
            }
        };
        busBuffering = (source, percent) -> post(() -> listener.onBuffering(percent));
        bus.connect(busError);
        bus.connect(busWarning);
        bus.connect(busEos);
        bus.connect(busState);
        bus.connect(busBuffering);
        positionTask = executor.scheduleAtFixedRate(
                this::reportPosition, POSITION_PERIOD_MS, POSITION_PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    /** Stops listening (the pipeline is being torn down). */
    void disconnect(Bus bus) {
        positionTask.cancel(false);
        bus.disconnect(busError);
        bus.disconnect(busWarning);
        bus.disconnect(busEos);
        bus.disconnect(busState);
        bus.disconnect(busBuffering);
    }

    /** Runs a task on the event thread unless the session is closed. */
    void post(Runnable task) {
        if (session.closed()) {
            return;
        }
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            // closed meanwhile: nothing to report any more
        }
    }

    /** Runs a task on the event thread at {@code atNanos} ({@link System#nanoTime()}) unless closed by then. */
    void postAt(long atNanos, Runnable task) {
        if (session.closed()) {
            return;
        }
        try {
            executor.schedule(
                    () -> {
                        if (!session.closed()) {
                            task.run();
                        }
                    },
                    Math.max(0, atNanos - System.nanoTime()),
                    TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // closed meanwhile
        }
    }

    private void onBusError(String element, boolean networkSource, GstErrors.BusError error) {
        GstErrors.Verdict v = GstErrors.classify(error.domain(), error.code(), error.debug(), networkSource);
        fail(v.code(), v.what() + " (" + session.describeCaps() + "): " + element + ": " + error.message());
    }

    /** A source element that fetches (http, rtsp, ...): its failures are the network's, not the data's. */
    private static boolean isNetworkSource(GstObject source) {
        if (!(source instanceof Element e) || e.getFactory() == null) {
            return false;
        }
        String factory = e.getFactory().getName();
        return e.getFactory().getKlass().contains("Source") && !factory.equals("appsrc");
    }

    /** A fatal error: report it, then close. Runs on the event thread. */
    void fail(EngineErrorCode code, String message) {
        if (session.closed()) {
            return;
        }
        LOG.warn("{}: {}: {}", spec.name(), code, message);
        report(new EngineError(code, message, true));
        session.shutdownPipeline();
        setState(SessionState.CLOSED);
        // Already on the event thread: queued events still run, then the thread ends.
        executor.shutdown();
    }

    void report(EngineError error) {
        try {
            listener.onError(error);
        } catch (RuntimeException e) {
            LOG.error("{}: listener threw on error {}", spec.name(), error, e);
        }
    }

    private void onBusEos() {
        if (session.closed()) {
            return;
        }
        long wasted = session.samplesWithoutPicture();
        if (wasted > 0) {
            report(new EngineError(
                    EngineErrorCode.DECODE_ERROR,
                    wasted + " samples produced no picture: the data " + "does not match " + session.describeCaps(),
                    false));
        }
        session.endOfStreamToSink();
        try {
            listener.onEndOfStream();
        } catch (RuntimeException e) {
            LOG.error("{}: listener threw on end of stream", spec.name(), e);
        }
    }

    private void onPipelineState(State current) {
        if (session.closed()) {
            return;
        }
        if (current == State.PLAYING) {
            if (state == SessionState.PREROLLING) {
                LOG.info("{}: playing {}", spec.name(), session.timing());
            }
            setState(SessionState.PLAYING);
        } else if (current == State.PAUSED && !session.targetPlaying()) {
            setState(SessionState.PAUSED);
        }
    }

    private void setState(SessionState s) {
        if (state == s) {
            return;
        }
        state = s;
        try {
            listener.onStateChanged(s);
        } catch (RuntimeException e) {
            LOG.error("{}: listener threw on state {}", spec.name(), s, e);
        }
    }

    private void reportPosition() {
        if (session.closed() || state != SessionState.PLAYING) {
            return;
        }
        long pos = session.positionNs();
        if (pos >= 0) {
            try {
                listener.onPosition(pos, session.durationNs());
            } catch (RuntimeException e) {
                LOG.error("{}: listener threw on position", spec.name(), e);
            }
        }
    }

    /** A seek to {@code positionNs} was done. */
    void seekDone(long positionNs) {
        post(() -> {
            try {
                listener.onSeekDone(positionNs);
            } catch (RuntimeException e) {
                LOG.error("{}: listener threw on seek done", spec.name(), e);
            }
        });
    }

    /**
     * Reports CLOSED after every event already queued and ends the thread; waits for that (5 s at
     * most) unless called on the event thread itself (from the listener), which must not wait for
     * its own end.
     */
    void close() {
        if (!executor.isShutdown()) {
            try {
                executor.execute(() -> setState(SessionState.CLOSED));
            } catch (RejectedExecutionException e) {
                // closed concurrently by a fatal error or another caller: CLOSED is reported there
            }
            executor.shutdown();
        }
        if (Thread.currentThread() != thread) {
            try {
                executor.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static String nameOf(GstObject o) {
        return o == null ? "pipeline" : o.getName();
    }
}
