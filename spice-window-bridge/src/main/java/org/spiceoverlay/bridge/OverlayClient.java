package org.spiceoverlay.bridge;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.spiceoverlay.api.PixelFormat;
import org.spiceoverlay.api.Rect;
import org.spiceoverlay.api.transport.Endpoint;
import org.spiceoverlay.bridge.service.ClientService;
import org.spiceoverlay.bridge.service.CompositorVideoOutput;
import org.spiceoverlay.bridge.service.DisplayLayout;
import org.spiceoverlay.bridge.service.HeadlessVideoOutput;
import org.spiceoverlay.bridge.service.ServiceLimits;
import org.spiceoverlay.bridge.service.VideoOutput;
import org.spiceoverlay.bridge.window.ClientWindowProfile;
import org.spiceoverlay.bridge.window.TrackerCalibrator;
import org.spiceoverlay.bridge.window.WindowSelector;
import org.spiceoverlay.bridge.window.X11WindowTracker;
import org.spiceoverlay.engine.LatencyRecorder;
import org.spiceoverlay.engine.UriPolicy;
import org.spiceoverlay.engine.gst.GstMediaEngine;
import org.spiceoverlay.render.Compositor;
import org.spiceoverlay.render.CompositorOptions;
import org.spiceoverlay.render.PresentedFrame;

/**
 * The whole client, assembled: the decode engine, the compositor and its overlay window, the
 * tracker that follows the Spice client's window, and the service guests connect to. Built with
 * {@link #builder()}; {@link #close()} takes it down in order (the service and its streams first,
 * which closes the compositor, then the window tracker). {@code overlay client} only parses its
 * options into a builder.
 *
 * <p>Three ways to place the video: follow the Spice client's window ({@link Builder#follow}, the
 * default), draw the guest display into a fixed screen rectangle ({@link Builder#fixedDisplay}), or
 * draw nothing and only decode ({@link Builder#headless}).
 *
 * <p>Thread-safe: {@link #stats()} and {@link #close()} may be called from any thread.
 */
public final class OverlayClient implements AutoCloseable {

    /** What the client showed so far. */
    public record Stats(
            boolean windowed,
            long framesDecoded,
            long framesPresented,
            long framesRepeated,
            long latencySamples,
            long latencyP50Nanos,
            long latencyP95Nanos,
            long latencyP99Nanos,
            List<LatencyStages.Figures> stages) {}

    private final ClientService service;
    private final X11WindowTracker tracker;
    private final HeadlessVideoOutput headless;
    private final PixelFormat format;
    private final String placedBy;
    private final LatencyRecorder latency;
    private final LatencyStages stages;
    private final AtomicLong presented;
    private final AtomicLong repeated;
    private final List<Endpoint> listening = new ArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    private OverlayClient(
            ClientService service,
            X11WindowTracker tracker,
            HeadlessVideoOutput headless,
            PixelFormat format,
            String placedBy,
            LatencyRecorder latency,
            LatencyStages stages,
            AtomicLong presented,
            AtomicLong repeated) {
        this.service = service;
        this.tracker = tracker;
        this.headless = headless;
        this.format = format;
        this.placedBy = placedBy;
        this.latency = latency;
        this.stages = stages;
        this.presented = presented;
        this.repeated = repeated;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The endpoints it listens on, as bound (a port 0 resolved). */
    public List<Endpoint> listening() {
        return List.copyOf(listening);
    }

    /** The pixel format its decoders produce (what the compositor uploads cheapest). */
    public PixelFormat format() {
        return format;
    }

    /** Where the video goes, in words: the followed windows, the fixed rectangle, or no window. */
    public String placedBy() {
        return placedBy;
    }

    public Stats stats() {
        boolean windowed = headless == null;
        return new Stats(
                windowed,
                windowed ? -1 : headless.framesDecoded(),
                presented.get(),
                repeated.get(),
                latency.count(),
                latency.percentile(50),
                latency.percentile(95),
                latency.percentile(99),
                stages.figures());
    }

    /** Stops serving: every session and stream, then the window and the tracker. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        service.close();
        if (tracker != null) {
            tracker.close();
        }
    }

    /** How the client is put together; every setting has a default but the placement's window. */
    public static final class Builder {
        private final List<Endpoint> endpoints = new ArrayList<>();
        private String token;
        private UriPolicy uriPolicy = UriPolicy.denyAll();
        private boolean trustGuestClock;
        private ServiceLimits limits = ServiceLimits.DEFAULT;
        private boolean headless;
        private Rect fixedDisplay;
        private ClientWindowProfile profile;
        private WindowSelector selector = WindowSelector.any();
        private boolean calibrate = true;

        private Builder() {}

        /** Listen here too (default, when none is given: TCP on loopback, the default port). */
        public Builder listen(Endpoint endpoint) {
            endpoints.add(Objects.requireNonNull(endpoint, "endpoint"));
            return this;
        }

        /** The token guests must present; required to listen beyond loopback. */
        public Builder token(String token) {
            this.token = token;
            return this;
        }

        /** Which URI sources guests may open (default: none). */
        public Builder uriPolicy(UriPolicy policy) {
            this.uriPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** Guest and client share a clock: latency is measured from when the guest sent each sample. */
        public Builder trustGuestClock(boolean trust) {
            this.trustGuestClock = trust;
            return this;
        }

        public Builder limits(ServiceLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /** Decode and count only; no window (servers, CI). */
        public Builder headless() {
            this.headless = true;
            return this;
        }

        /** Draw the guest display letterboxed into this screen rectangle instead of following a window. */
        public Builder fixedDisplay(Rect screenRect) {
            this.fixedDisplay = Objects.requireNonNull(screenRect, "screenRect");
            return this;
        }

        /**
         * Follow this Spice client's window (the default placement, with remote-viewer's layout and
         * any of its windows).
         *
         * @param calibrate locate the guest player window's probe colour on screen instead of
         *                  trusting the client's default header and margins
         */
        public Builder follow(ClientWindowProfile profile, WindowSelector selector, boolean calibrate) {
            this.profile = Objects.requireNonNull(profile, "profile");
            this.selector = Objects.requireNonNull(selector, "selector");
            this.calibrate = calibrate;
            return this;
        }

        /**
         * Builds the client and starts listening.
         *
         * @throws IllegalArgumentException an endpoint beyond loopback without a token
         * @throws IllegalStateException    a window is wanted but there is no X display, or the
         *                                  Spice window cannot be followed
         * @throws IOException              an endpoint cannot be listened on (everything built is
         *                                  closed again)
         */
        public OverlayClient start() throws IOException {
            List<Endpoint> where = endpoints.isEmpty()
                    ? List.of(Endpoint.parse("tcp:127.0.0.1:" + Endpoint.DEFAULT_PORT))
                    : List.copyOf(endpoints);
            for (Endpoint e : where) {
                if (!e.isLoopback() && token == null) {
                    throw new IllegalArgumentException(e + " is reachable from other machines: set a token");
                }
            }
            LatencyRecorder latency = new LatencyRecorder(100_000);
            LatencyStages stages = new LatencyStages(100_000);
            AtomicLong presented = new AtomicLong();
            AtomicLong repeated = new AtomicLong();
            HeadlessVideoOutput counting = null;
            X11WindowTracker tracker = null;
            VideoOutput output;
            PixelFormat format;
            String placedBy;
            if (headless) {
                counting = new HeadlessVideoOutput(60);
                output = counting;
                format = PixelFormat.I420;
                placedBy = "no window";
            } else {
                if (System.getenv("DISPLAY") == null) {
                    throw new IllegalStateException("no X display (DISPLAY is not set); run headless instead");
                }
                Compositor compositor =
                        Compositor.onScreen(CompositorOptions.defaults().withListener(r -> {
                            repeated.addAndGet(r.repeated());
                            stages.record(r);
                            for (PresentedFrame f : r.presented()) {
                                presented.incrementAndGet();
                                if (f.latencyNanos() >= 0) {
                                    latency.record(f.latencyNanos());
                                }
                            }
                        }));
                format = compositor.preferredFormat();
                if (fixedDisplay != null) {
                    output = new CompositorVideoOutput(compositor, DisplayLayout.fixed(fixedDisplay));
                    placedBy = "the guest display drawn at " + fixedDisplay;
                } else {
                    ClientWindowProfile p = profile != null ? profile : ClientWindowProfile.named("remote-viewer");
                    try {
                        tracker = X11WindowTracker.open(null, p, selector);
                    } catch (IllegalStateException e) {
                        compositor.close();
                        throw new IllegalStateException("cannot follow the Spice window: " + e.getMessage(), e);
                    }
                    CompositorVideoOutput o = new CompositorVideoOutput(
                            compositor, tracker, calibrate ? new TrackerCalibrator(tracker) : null);
                    tracker.addListener(change -> o.relayout());
                    tracker.keepOverlayAbove(Compositor.OVERLAY_WINDOW_CLASS);
                    output = o;
                    placedBy = "following " + p.name() + " windows (" + selector + "), now "
                            + (tracker.windows().isEmpty() ? "none" : tracker.windows());
                }
            }
            GstMediaEngine engine = new GstMediaEngine(uriPolicy);
            engine.warmUp();
            ClientService service = new ClientService(engine, output, limits, token, format, uriPolicy.allowsAny());
            service.trustGuestClock(trustGuestClock);
            service.wireLatencySink(stages::recordWire);
            OverlayClient client = new OverlayClient(
                    service, tracker, counting, format, placedBy, latency, stages, presented, repeated);
            try {
                for (Endpoint e : where) {
                    client.listening.add(service.listen(e));
                }
            } catch (IOException | RuntimeException e) {
                client.close();
                throw e;
            }
            return client;
        }
    }
}
