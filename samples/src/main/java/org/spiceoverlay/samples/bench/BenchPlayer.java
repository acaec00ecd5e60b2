package org.spiceoverlay.samples.bench;

import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.freedesktop.gstreamer.State;
import org.spiceoverlay.api.Rect;
import org.spiceoverlay.guest.x11.PlayerWindow;
import org.spiceoverlay.samples.player.PlaybackEventLog;
import org.spiceoverlay.samples.player.PlayerScript;
import org.spiceoverlay.x11.X11Exception;

/**
 * The benchmark's plain GStreamer player: what an ordinary player does on a desktop, as the baseline
 * for redirection. Opens an X window at the given place (the clip's size), plays the file into it
 * ({@link BenchPipeline}), takes the script's actions, and writes when each frame is due and what
 * it did to a {@link PlaybackEventLog}.
 *
 * <p>Clock: once playing (and after every resume, and every seek while playing, once the new
 * position runs) it reads the video sink's position about every 100 ms, five times, and logs the
 * median of {@code nanoTime - position} as the origin: the frame with pts P is due at origin + P.
 * Script times count from the moment the pipeline reached PLAYING.
 *
 * <p>Threads: {@link #play} runs everything on the caller's thread (it owns the window and the
 * pipeline); GStreamer's bus thread only records the end or an error.
 */
public final class BenchPlayer {

    private static final long START_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);
    private static final long STATE_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);
    private static final int CLOCK_SAMPLES = 5;
    private static final long CLOCK_SPACING_NS = TimeUnit.MILLISECONDS.toNanos(100);

    /** What to play, where, and for how long. */
    public record Options(
            Path file,
            String xDisplay,
            Rect windowAt,
            BenchPipeline.Sink sink,
            BenchPipeline.AudioOut audio,
            double seconds,
            PlayerScript script) {
        public Options {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(windowAt, "windowAt");
            Objects.requireNonNull(sink, "sink");
            Objects.requireNonNull(audio, "audio");
            Objects.requireNonNull(script, "script");
            if (windowAt.width() <= 0 || windowAt.height() <= 0) {
                throw new IllegalArgumentException("windowAt has no area: " + windowAt);
            }
            if (!(seconds > 0)) {
                throw new IllegalArgumentException("seconds must be > 0, got " + seconds);
            }
        }
    }

    /** How it ended: at the end of the stream (and when), or by time or script. */
    public record Result(boolean reachedEos, long eosAtNs, long stoppedAtNs) {}

    private BenchPlayer() {}

    /**
     * Plays until the end of the stream, {@code seconds} after it started, or a scripted close.
     *
     * @throws BenchPlayerException a missing element, a GStreamer error, or a pipeline that does not start
     * @throws X11Exception         when the window cannot be opened on the display
     */
    public static Result play(Options o, PlaybackEventLog events)
            throws BenchPlayerException, X11Exception, InterruptedException {
        if (o.xDisplay() != null) {
            // glimagesink opens the X display named by DISPLAY; ximagesink is told by property.
            com.sun.jna.NativeLibrary.getInstance("c")
                    .getFunction("setenv")
                    .invokeInt(new Object[] {"DISPLAY", o.xDisplay(), 1});
        }
        try (PlayerWindow window = PlayerWindow.open(
                        o.xDisplay(),
                        "bench-player: " + o.file().getFileName(),
                        o.windowAt(),
                        PlayerWindow.Fill.BLACK);
                BenchPipeline p = BenchPipeline.open(o.file(), o.sink(), o.audio(), o.xDisplay(), window.id())) {
            p.play();
            if (!p.awaitState(State.PLAYING, START_TIMEOUT_NS)) {
                throwFailure(p);
                throw new BenchPlayerException(
                        BenchPlayerException.Reason.NOT_STARTED,
                        "the pipeline did not start "
                                + "playing within " + TimeUnit.NANOSECONDS.toSeconds(START_TIMEOUT_NS)
                                + " s (for --audio "
                                + "fifo:PATH something must read the FIFO; a clip without an audio track needs one)");
            }
            long start = System.nanoTime();
            long deadline = start + (long) (o.seconds() * 1e9);
            boolean paused = false;
            logClock(p, events, nextStepAt(o.script(), 0, start, deadline));
            int i = 0;
            boolean closedByScript = false;
            for (PlayerScript.Step step : o.script().steps()) {
                i++;
                long at = Math.min(start + step.atNanos(), deadline);
                if (awaitLoggingClock(p, events, at, paused) || System.nanoTime() >= deadline) {
                    break;
                }
                if (step.action() == PlayerScript.Action.CLOSE) {
                    closedByScript = true;
                    break;
                }
                long now = System.nanoTime();
                switch (step.action()) {
                    case PAUSE -> {
                        events.pause(now);
                        p.pause();
                        paused = true;
                    }
                    case RESUME -> {
                        events.resume(now);
                        p.play();
                        paused = false;
                        if (p.awaitState(State.PLAYING, STATE_TIMEOUT_NS)) {
                            logClock(p, events, nextStepAt(o.script(), i, start, deadline));
                        }
                    }
                    case SEEK -> {
                        events.seek(now, step.targetNanos());
                        p.seek(step.targetNanos());
                        if (p.awaitState(paused ? State.PAUSED : State.PLAYING, STATE_TIMEOUT_NS) && !paused) {
                            logClock(p, events, nextStepAt(o.script(), i, start, deadline));
                        }
                    }
                    case CLOSE -> throw new AssertionError("handled above");
                }
            }
            if (!closedByScript) {
                awaitLoggingClock(p, events, deadline, paused);
            }
            throwFailure(p);
            long eos = p.eosAtNs();
            if (eos >= 0) {
                events.eos(eos);
            }
            p.close();
            long stopped = System.nanoTime();
            events.stopped(stopped);
            return new Result(eos >= 0, eos, stopped);
        }
    }

    /** How often the clock is read again while playing. */
    static final long CLOCK_REFRESH_NS = 2_000_000_000L;

    private static void throwFailure(BenchPipeline p) throws BenchPlayerException {
        String failure = p.failure();
        if (failure != null) {
            throw new BenchPlayerException(
                    BenchPlayerException.Reason.PIPELINE_ERROR, "GStreamer error from " + failure);
        }
    }

    /** When the step after the first {@code done} is due (or the deadline): the clock must be read before. */
    private static long nextStepAt(PlayerScript script, int done, long start, long deadline) {
        return done < script.steps().size()
                ? Math.min(deadline, start + script.steps().get(done).atNanos())
                : deadline;
    }

    /**
     * Waits until {@code until} or the end of the stream, logging the clock again every
     * {@value #CLOCK_REFRESH_NS} ns while playing: an audio sink's clock settles over the first
     * seconds, and readers take the latest clock before the moment they measure.
     *
     * @return whether the stream ended
     */
    private static boolean awaitLoggingClock(BenchPipeline p, PlaybackEventLog events, long until, boolean paused)
            throws InterruptedException {
        while (true) {
            long next = Math.min(until, System.nanoTime() + CLOCK_REFRESH_NS);
            if (p.awaitEnd(next - System.nanoTime())) {
                return true;
            }
            if (paused || until - System.nanoTime() < 2 * CLOCK_SPACING_NS) {
                if (System.nanoTime() >= until) {
                    return false;
                }
                continue;
            }
            logClock(p, events, until);
        }
    }

    /** Logs the clock from as many position samples (up to five, 100 ms apart) as fit before {@code before}. */
    private static void logClock(BenchPipeline p, PlaybackEventLog events, long before) throws InterruptedException {
        long room = before - System.nanoTime() - CLOCK_SPACING_NS / 2;
        int samples = (int) Math.max(1, Math.min(CLOCK_SAMPLES, 1 + room / CLOCK_SPACING_NS));
        long origin = p.measureOrigin(samples, CLOCK_SPACING_NS, Math.max(CLOCK_SPACING_NS, room / 2));
        if (origin != Long.MIN_VALUE) {
            events.clock(origin);
        }
    }
}
