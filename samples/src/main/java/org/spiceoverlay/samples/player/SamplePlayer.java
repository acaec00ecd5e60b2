package org.spiceoverlay.samples.player;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.spiceoverlay.api.Rect;
import org.spiceoverlay.engine.EncodedSample;
import org.spiceoverlay.engine.EngineException;
import org.spiceoverlay.engine.gst.ClipDemuxer;
import org.spiceoverlay.engine.gst.DemuxedSample;
import org.spiceoverlay.guest.GuestGeometry;
import org.spiceoverlay.guest.GuestQos;
import org.spiceoverlay.guest.GuestSeekMode;
import org.spiceoverlay.guest.GuestStream;
import org.spiceoverlay.guest.GuestStreamError;
import org.spiceoverlay.guest.GuestStreamListener;
import org.spiceoverlay.guest.GuestStreamState;
import org.spiceoverlay.guest.GuestTiming;
import org.spiceoverlay.guest.OverlayException;
import org.spiceoverlay.guest.OverlayGuest;
import org.spiceoverlay.guest.StreamOptions;

/**
 * The sample player's guest side: demuxes a clip with GStreamer (parses, never decodes), sends its
 * samples with their timestamps through the guest library, and says where its video is on the guest
 * display. Sends ahead as far as the client's credit allows; the client presents on its clock.
 *
 * <p>Threads: {@link #play} runs on the caller's thread; listener callbacks on the library's event
 * thread only update counters.
 */
public final class SamplePlayer {

    /** How far the player reads ahead in the file for the other track's samples (see {@link TimestampOrder}). */
    static final long LOOKAHEAD_NS = 2_000_000_000L;

    /** What a playback sent and heard back. */
    public record Outcome(
            long framesSent,
            long samplesSent,
            long bytesSent,
            boolean endedOnClient,
            List<String> errors,
            GuestQos lastQos,
            List<String> events) {}

    private final OverlayGuest guest;
    private final Path clip;
    private final GuestGeometry geometry;
    private final GuestTiming timing;
    private final long leadNanos;
    private final long coalesceNanos;
    private PlayerScript script = PlayerScript.NONE;
    private PacedClockLog clockLog = new PacedClockLog(PlaybackEventLog.none());
    private TrackedPlayerWindow window; // null: the fixed geometry
    // The stream playing now and where its send loop resends from, for controls from other threads.
    private volatile GuestStream current;
    private volatile java.util.concurrent.atomic.AtomicLong currentResume;

    /**
     * @param timing    LIVE: the client shows each frame as soon as it is decoded; BUFFERED: it
     *                  presents on its clock
     * @param leadNanos how far ahead of its time each sample is sent; negative: as fast as the
     *                  credit allows (files), 0: exactly when due (a camera, a call)
     */
    public SamplePlayer(
            OverlayGuest guest,
            Path clip,
            int displayWidth,
            int displayHeight,
            Rect videoRect,
            GuestTiming timing,
            long leadNanos) {
        this.guest = guest;
        this.clip = clip;
        this.geometry = GuestGeometry.visible(0, displayWidth, displayHeight, videoRect);
        this.timing = timing;
        this.leadNanos = leadNanos;
        // BUFFERED with a lead: samples due within the next 100 ms (at most half the lead) go in one
        // call, sent that much early; ten calls a second instead of one per sample. LIVE: each on time.
        this.coalesceNanos =
                timing == GuestTiming.BUFFERED && leadNanos > 0 ? Math.min(100_000_000L, leadNanos / 2) : 0;
    }

    /**
     * Takes the video's geometry from a window on the guest X display (its geometry when the stream
     * starts, then every change) instead of the fixed rectangle.
     */
    public SamplePlayer withWindow(TrackedPlayerWindow newWindow) {
        this.window = newWindow;
        return this;
    }

    /**
     * Logs the player's clock (the instant pts 0 is due, by its pacing: a sample is due at
     * {@code wall0 + (dts - first)}) and its actions, for the benchmark.
     */
    public SamplePlayer withEvents(PlaybackEventLog events) {
        this.clockLog = new PacedClockLog(events);
        return this;
    }

    /** Actions to take during playback (pause, resume, seek, close at given times). */
    public SamplePlayer withScript(PlayerScript newScript) {
        this.script = newScript;
        return this;
    }

    /**
     * Plays the clip; returns when the client reported the end of the stream, or after
     * {@code maxSeconds} of playback (then the stream is closed early).
     */
    public Outcome play(double maxSeconds) throws EngineException, OverlayException, InterruptedException {
        List<String> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        CountDownLatch ended = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicLong eosAt = new java.util.concurrent.atomic.AtomicLong(-1);
        // Set by the library's event thread after a reconnect: where to resend from.
        java.util.concurrent.atomic.AtomicLong resumeAt = new java.util.concurrent.atomic.AtomicLong(-1);
        AtomicReference<GuestQos> qos = new AtomicReference<>();
        GuestStreamListener listener = new GuestStreamListener() {
            @Override
            public void onEndOfStream(GuestStream stream) {
                eosAt.compareAndSet(-1, System.nanoTime());
                ended.countDown();
            }

            @Override
            public void onError(GuestStream stream, GuestStreamError error) {
                errors.add(error.code() + ": " + error.message());
                if (error.fatal()) {
                    ended.countDown();
                }
            }

            @Override
            public void onQos(GuestStream stream, GuestQos report) {
                qos.set(report);
            }

            @Override
            public void onClosed(GuestStream stream) {
                events.add("closed");
                ended.countDown();
            }

            @Override
            public boolean onResumeNeeded(GuestStream stream, long positionNs) {
                // The client was restarted: what it held is gone; resend from the keyframe before
                // where it was (the send loop repositions the demuxer).
                resumeAt.set(Math.max(0, positionNs));
                return true;
            }

            @Override
            public void onState(GuestStream stream, GuestStreamState state) {
                events.add("state " + state);
            }

            @Override
            public void onVisibility(GuestStream stream, boolean visible) {
                events.add(
                        visible
                                ? "shown: the Spice client shows the video again"
                                : "not shown: the Spice client "
                                        + "does not show the video (its window is minimised or closed)");
            }

            @Override
            public void onSeekDone(GuestStream stream, long positionNs) {
                events.add(String.format(java.util.Locale.ROOT, "seek done at %.2f s", positionNs / 1e9));
            }
        };
        long framesSent = 0;
        long samplesSent = 0;
        long bytesSent = 0;
        long deadline = System.nanoTime() + (long) (maxSeconds * 1e9);
        try (ClipDemuxer demuxer = ClipDemuxer.open(clip, true)) {
            StreamOptions.Builder options = StreamOptions.samples(
                            demuxer.videoCaps(), window != null ? window.current() : geometry)
                    .timing(timing)
                    .leadNs(
                            timing == GuestTiming.BUFFERED && leadNanos > 0
                                    ? Math.min(leadNanos, StreamOptions.MAX_LEAD_NS)
                                    : 0)
                    .startTimeNs(demuxer.startTimeNs())
                    .title(clip.getFileName().toString());
            if (demuxer.audioCaps() != null) {
                options.audioCaps(demuxer.audioCaps());
            }
            GuestStream stream = guest.createSamplesStream(options.build(), listener);
            current = stream;
            currentResume = resumeAt;
            if (window != null) {
                window.attach(stream);
            }
            Thread scripted = runScript(stream, resumeAt, errors);
            DemuxedSample d = null;
            TimestampOrder<DemuxedSample> order =
                    new TimestampOrder<>(demuxer::next, DemuxedSample::sample, DemuxedSample::close, LOOKAHEAD_NS);
            try (SendBatch batch = new SendBatch()) {
                boolean cut = false;
                boolean timeUp = false;
                long wall0 = System.nanoTime();
                long first = -1;
                while ((d = order.next(30, TimeUnit.SECONDS)) != null) {
                    EncodedSample s = d.sample();
                    if (stream.isClosed()) {
                        cut = true;
                        break;
                    }
                    if (System.nanoTime() > deadline) {
                        timeUp = true;
                        break;
                    }
                    long resume = resumeAt.getAndSet(-1);
                    if (resume >= 0) {
                        batch.close();
                        d.close();
                        d = null;
                        demuxer.seek(resume);
                        order.reset();
                        first = -1; // re-anchor the pacing at the resend point
                        wall0 = System.nanoTime();
                        continue;
                    }
                    if (leadNanos >= 0) {
                        // Due at its decode time after the start (less the lead), as a source producing
                        // it in real time would send it.
                        long t = s.decodeTimeNs();
                        if (first < 0) {
                            first = t;
                            clockLog.anchored(wall0, first);
                        }
                        long wait = wall0 + (t - first) - leadNanos - System.nanoTime();
                        if (wait <= coalesceNanos) {
                            wait = 0; // goes with the batch, a little early: one call instead of many
                        } else if (!batch.isEmpty() && !batch.send(stream)) {
                            cut = true;
                            break;
                        }
                        if (wait > 0) {
                            TimeUnit.NANOSECONDS.sleep(wait);
                        }
                    }
                    if (batch.bytes() + s.size() > stream.maxChunkBytes() / 2 || batch.size() >= 8) {
                        if (!batch.send(stream)) {
                            cut = true;
                            break;
                        }
                    }
                    batch.add(d);
                    d = null; // the batch releases it
                    samplesSent++;
                    bytesSent += s.size();
                    if (s.track() == EncodedSample.Track.VIDEO) {
                        framesSent++;
                    }
                }
                if (d != null) {
                    d.close();
                }
                order.reset(); // releases what was read ahead
                if (!batch.isEmpty() && !cut) {
                    cut = !batch.send(stream);
                }
                if (!cut) {
                    // The end of the clip, or of the time: the client plays out what it has (the
                    // decoder drains the frames it holds for reordering) and says end of stream.
                    stream.endOfStream();
                    long left = Math.max(1, deadline - System.nanoTime()) + TimeUnit.SECONDS.toNanos(5);
                    ended.await(left, TimeUnit.NANOSECONDS);
                } else if (!stream.isClosed()) {
                    // Let what was sent play out until the time is up.
                    long left = deadline - System.nanoTime();
                    if (left > 0) {
                        TimeUnit.NANOSECONDS.sleep(left);
                    }
                }
                if (!stream.isClosed()) {
                    Thread.sleep(1200); // one more QoS report from the client
                } else {
                    ended.await(3, TimeUnit.SECONDS); // the client's word that the stream is closed
                }
            } finally {
                if (scripted != null) {
                    scripted.interrupt();
                }
                if (window != null) {
                    window.detach();
                }
                stream.close();
                if (eosAt.get() >= 0) {
                    clockLog.endOfStream(eosAt.get());
                }
                clockLog.stopped(System.nanoTime());
            }
        }
        return new Outcome(
                framesSent, samplesSent, bytesSent, ended.getCount() == 0, errors, qos.get(), List.copyOf(events));
    }

    private void perform(
            GuestStream stream,
            java.util.concurrent.atomic.AtomicLong resumeAt,
            PlayerScript.Action action,
            long targetNanos)
            throws OverlayException {
        long now = System.nanoTime();
        switch (action) {
            case PAUSE -> {
                clockLog.paused(now);
                stream.pause();
            }
            case RESUME -> {
                clockLog.resumed(now);
                stream.play();
            }
            case SEEK -> {
                clockLog.seeked(now, targetNanos);
                stream.seek(targetNanos, GuestSeekMode.ACCURATE);
                resumeAt.set(targetNanos); // the send loop resends from there
            }
            case CLOSE -> stream.close();
        }
    }

    /**
     * Acts on the stream playing now (from a keyboard thread, say); a seek is relative to the
     * position the client last reported. Does nothing before playback starts or after it ends.
     */
    public void control(PlayerScript.Action action, long seekByNanos) throws OverlayException {
        GuestStream stream = current;
        java.util.concurrent.atomic.AtomicLong resume = currentResume;
        if (stream == null || stream.isClosed()) {
            return;
        }
        long target = action == PlayerScript.Action.SEEK ? Math.max(0, stream.positionNs() + seekByNanos) : -1;
        perform(stream, resume, action, target);
    }

    /** Whether the stream playing now is paused (as last asked). */
    public boolean paused() {
        GuestStream stream = current;
        return stream != null && stream.state() == GuestStreamState.PAUSED;
    }

    /** Takes the script's steps at their times, on a thread of its own. */
    private Thread runScript(GuestStream stream, java.util.concurrent.atomic.AtomicLong resumeAt, List<String> errors) {
        if (script.steps().isEmpty()) {
            return null;
        }
        long start = System.nanoTime();
        Thread t = new Thread(
                () -> {
                    try {
                        for (PlayerScript.Step step : script.steps()) {
                            long wait = start + step.atNanos() - System.nanoTime();
                            if (wait > 0) {
                                TimeUnit.NANOSECONDS.sleep(wait);
                            }
                            perform(stream, resumeAt, step.action(), step.targetNanos());
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (OverlayException e) {
                        errors.add(e.code() + ": " + e.getMessage());
                    }
                },
                "player-script");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
