package org.spiceoverlay.bridge.service;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.spiceoverlay.api.VideoFrame;
import org.spiceoverlay.engine.FrameMailbox;
import org.spiceoverlay.engine.FrameSink;

/**
 * An output with no screen: each stream's newest frame is taken at a steady refresh rate and
 * released, as a display would, and counted (taken while the guest shows the video as presented;
 * displaced as dropped). Nothing reaches a screen, so there is no present latency and no repeated
 * refresh to report ({@link StreamView#takePresentQos()} is empty). For servers, CI and
 * {@code --no-window} runs where no picture is wanted.
 *
 * <p>Thread-safe; one refresh thread serves all streams.
 */
public final class HeadlessVideoOutput implements VideoOutput {

    private final List<View> views = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService refresh;
    private final AtomicLong decoded = new AtomicLong();

    /** @param refreshHz how often a frame is "shown" (e.g. 60) */
    public HeadlessVideoOutput(int refreshHz) {
        if (refreshHz <= 0 || refreshHz > 1000) {
            throw new IllegalArgumentException("refreshHz must be in [1, 1000], got " + refreshHz);
        }
        refresh = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "headless-refresh");
            t.setDaemon(true);
            return t;
        });
        long period = 1_000_000_000L / refreshHz;
        refresh.scheduleAtFixedRate(this::refreshAll, period, period, TimeUnit.NANOSECONDS);
    }

    private void refreshAll() {
        for (View v : views) {
            v.refresh();
        }
    }

    /** Frames the decoders handed to this output, all streams together, since it was made. */
    public long framesDecoded() {
        return decoded.get();
    }

    @Override
    public StreamView open(String name) {
        View v = new View();
        views.add(v);
        return v;
    }

    @Override
    public void close() {
        refresh.shutdownNow();
        for (View v : views) {
            v.close();
        }
    }

    private final class View implements StreamView, FrameSink {
        private final FrameMailbox mailbox = new FrameMailbox();
        private final AtomicLong presented = new AtomicLong();
        private volatile GuestPlacement placement;

        void refresh() {
            VideoFrame f = mailbox.take();
            if (f != null) {
                GuestPlacement p = placement;
                if (p != null && p.showsVideo()) {
                    presented.incrementAndGet();
                }
                f.close();
            }
        }

        @Override
        public FrameSink frames() {
            return this;
        }

        @Override
        public void onFrame(VideoFrame frame) {
            decoded.incrementAndGet();
            mailbox.onFrame(frame);
        }

        @Override
        public void flush() {
            mailbox.flush();
        }

        @Override
        public void onEndOfStream() {
            mailbox.onEndOfStream();
        }

        @Override
        public void place(GuestPlacement placement) {
            this.placement = placement;
        }

        @Override
        public long framesPresented() {
            return presented.get();
        }

        @Override
        public long framesDropped() {
            return mailbox.displacedCount();
        }

        /** Nothing is on a screen: no present to measure. */
        @Override
        public Optional<PresentQos> takePresentQos() {
            return Optional.empty();
        }

        @Override
        public void close() {
            views.remove(this);
            mailbox.close();
        }
    }
}
