package org.spiceoverlay.engine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.spiceoverlay.api.PixelFormat;
import org.spiceoverlay.api.VideoFrame;
import org.spiceoverlay.engine.gst.ClipDemuxer;
import org.spiceoverlay.engine.gst.DemuxedSample;

/**
 * Test driver playing the guest: a clip demuxed into memory, optionally damaged, pushed into a
 * session from its own thread, the frames drained and their numbers read.
 */
final class PushedRun {

    /** A demuxed clip: caps and samples in demux order. */
    record Demuxed(String videoCaps, String audioCaps, long startTimeNs, List<EncodedSample> samples) {
        List<EncodedSample> video() {
            return samples.stream()
                    .filter(s -> s.track() == EncodedSample.Track.VIDEO)
                    .toList();
        }
    }

    /** What a run produced. */
    record Result(
            List<Integer> numbers,
            List<EngineError> errors,
            boolean ended,
            List<SessionState> states,
            Exception pushFailure,
            SessionStats stats) {
        boolean fatal() {
            return errors.stream().anyMatch(EngineError::fatal);
        }
    }

    private PushedRun() {}

    static Demuxed demux(Path clip, boolean audio) throws Exception {
        try (ClipDemuxer d = ClipDemuxer.open(clip, audio)) {
            List<EncodedSample> all = new ArrayList<>();
            DemuxedSample next;
            while ((next = d.next(20, TimeUnit.SECONDS)) != null) {
                try (DemuxedSample s = next) {
                    all.add(s.copy()); // kept for the whole test
                }
            }
            return new Demuxed(d.videoCaps(), d.audioCaps(), d.startTimeNs(), all);
        }
    }

    static SessionSpec.Builder spec(Demuxed d, String name) {
        return SessionSpec.builder(SourceType.SAMPLES)
                .name(name)
                .videoCaps(d.videoCaps())
                .audioCaps(d.audioCaps())
                .startTimeNs(d.startTimeNs())
                .pacing(Pacing.IMMEDIATE)
                .outputFormat(PixelFormat.I420);
    }

    /**
     * Pushes {@code samples} into a session opened from {@code spec} and drains it until end of
     * stream, a fatal error, or {@code timeoutSeconds} without a frame.
     */
    static Result run(MediaEngine engine, SessionSpec spec, List<EncodedSample> samples, long timeoutSeconds)
            throws Exception {
        List<EngineError> errors = new CopyOnWriteArrayList<>();
        List<SessionState> states = new CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean endedFlag = new java.util.concurrent.atomic.AtomicBoolean();
        Exception[] pushFailure = new Exception[1];
        List<Integer> numbers = new ArrayList<>();
        SessionStats stats;
        try (FrameQueue frames = new FrameQueue(4)) {
            SessionListener listener = new SessionListener() {
                @Override
                public void onError(EngineError error) {
                    errors.add(error);
                    if (error.fatal()) {
                        frames.onEndOfStream(); // release the drain below
                    }
                }

                @Override
                public void onStateChanged(SessionState state) {
                    states.add(state);
                }

                @Override
                public void onEndOfStream() {
                    endedFlag.set(true);
                }
            };
            try (DecodeSession session = engine.open(spec, frames, listener)) {
                Thread pusher = new Thread(
                        () -> {
                            try {
                                for (EncodedSample s : samples) {
                                    while (!session.awaitRoom(s.size(), 100, TimeUnit.MILLISECONDS)) {
                                        if (session.state() == SessionState.CLOSED) {
                                            return;
                                        }
                                    }
                                    session.push(s);
                                }
                                session.endOfStream();
                            } catch (Exception e) {
                                pushFailure[0] = e;
                                frames.onEndOfStream();
                            }
                        },
                        "pusher-" + spec.name());
                pusher.setDaemon(true);
                pusher.start();
                try {
                    VideoFrame f;
                    while ((f = frames.take(timeoutSeconds, TimeUnit.SECONDS)) != FrameQueue.END) {
                        numbers.add(FrameNumbers.read(f));
                        f.close();
                    }
                } catch (TimeoutException e) {
                    throw new AssertionError(
                            spec.name() + ": no frame and no end within " + timeoutSeconds + " s after "
                                    + numbers.size() + " frames (a hang); errors " + errors,
                            e);
                }
                pusher.join(5000);
                // Events reach the listener on the session's event thread, just after the sink heard
                // the end: give them a moment.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (!endedFlag.get()
                        && errors.stream().noneMatch(EngineError::fatal)
                        && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                stats = session.stats();
            }
        }
        return new Result(numbers, List.copyOf(errors), endedFlag.get(), List.copyOf(states), pushFailure[0], stats);
    }
}
