package org.spiceoverlay.engine.gst;

import java.util.concurrent.atomic.AtomicBoolean;
import org.spiceoverlay.engine.Pacing;
import org.spiceoverlay.engine.SessionSpec;

/**
 * The start of a session whose sender said its lead ({@link SessionSpec#leadNs()}): the pipeline
 * prerolls paused, and plays at the moment that puts the media's time 0 on screen {@code lead}
 * after the first sample arrived. From then on the pipeline clock runs on (pauses keep it), so every
 * frame is shown at its media time on that clock: the picture stays one lead behind the sender's
 * own clock, instead of starting whenever the pipeline happened to finish prerolling.
 *
 * <p>Why a delayed PLAYING and not a shifted base time: a pipeline that goes to PLAYING takes the
 * clock's time as its base time, so the running time of pts {@code p} is shown at {@code T + p}
 * when PLAYING comes at {@code T}; choosing {@code T = first arrival + lead - startTimeNs} is the
 * anchor, and pause, resume and seek then behave as GStreamer's own.
 *
 * <p>Thread-safe: pushes arm it, the event thread fires it, controls cancel it.
 */
final class StartAnchor {

    private final long leadNs;
    private final long startTimeNs;
    private final AtomicBoolean armed = new AtomicBoolean();
    private volatile boolean pending;

    StartAnchor(SessionSpec spec) {
        this.leadNs = spec.leadNs();
        this.startTimeNs = spec.startTimeNs();
        this.pending = leadNs > 0 && spec.pacing() == Pacing.CLOCK && !spec.startPaused();
    }

    /** Whether PLAYING waits for the anchor (the pipeline stays paused until then). */
    boolean pending() {
        return pending;
    }

    /**
     * The first sample arrived at {@code firstArrivalNanos}: plays ({@code play}, on the event
     * thread) when its anchor comes. Only the first call counts.
     */
    void arm(long firstArrivalNanos, SessionEvents events, Runnable play) {
        if (!pending || firstArrivalNanos == 0 || !armed.compareAndSet(false, true)) {
            return;
        }
        events.postAt(firstArrivalNanos + leadNs - startTimeNs, () -> {
            if (pending) {
                pending = false;
                play.run();
            }
        });
    }

    /** A pause or a seek came first: the anchor no longer applies. */
    void cancel() {
        pending = false;
    }
}
