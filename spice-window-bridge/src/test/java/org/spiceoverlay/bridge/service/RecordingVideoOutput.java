package org.spiceoverlay.bridge.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.spiceoverlay.api.FrameNumberCode;
import org.spiceoverlay.api.VideoFrame;
import org.spiceoverlay.engine.FrameQueue;
import org.spiceoverlay.engine.FrameSink;

/**
 * A lossless test output for the client service: reads the frame number of every frame each stream
 * gets, in order, and keeps every placement. Shared with the guest library's tests (test-jar).
 * Thread-safe.
 */
public final class RecordingVideoOutput implements VideoOutput {

    public final List<Recorder> views = new CopyOnWriteArrayList<>();

    /** One stream's record. */
    public static final class Recorder implements StreamView {
        public final String name;
        final FrameQueue queue = new FrameQueue(8);
        public final List<Integer> numbers = new CopyOnWriteArrayList<>();
        public final List<GuestPlacement> placements = new CopyOnWriteArrayList<>();
        final Thread reader;
        public volatile boolean closed;

        Recorder(String name) {
            this.name = name;
            reader = new Thread(
                    () -> {
                        while (!closed) {
                            try {
                                VideoFrame f = queue.take(100, TimeUnit.MILLISECONDS);
                                if (f == null) {
                                    Thread.sleep(5);
                                    continue;
                                }
                                numbers.add(FrameNumberCode.readLuma(
                                                f.plane(0), f.layout().plane(0).stride(), f.width(), f.height())
                                        .orElse(-1));
                                f.close();
                            } catch (java.util.concurrent.TimeoutException e) {
                                // nothing yet
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    },
                    "recorder-" + name);
            reader.setDaemon(true);
            reader.start();
        }

        @Override
        public FrameSink frames() {
            return queue;
        }

        @Override
        public void place(GuestPlacement placement) {
            placements.add(placement);
        }

        @Override
        public long framesPresented() {
            return numbers.size();
        }

        @Override
        public long framesDropped() {
            return 0;
        }

        /** Frames are read, never shown on a screen. */
        @Override
        public Optional<PresentQos> takePresentQos() {
            return Optional.empty();
        }

        @Override
        public void close() {
            closed = true;
            queue.close();
        }

        public List<Integer> numbers() {
            return new ArrayList<>(numbers);
        }
    }

    @Override
    public StreamView open(String name) {
        Recorder r = new Recorder(name);
        views.add(r);
        return r;
    }

    @Override
    public void close() {
        views.forEach(Recorder::close);
    }
}
