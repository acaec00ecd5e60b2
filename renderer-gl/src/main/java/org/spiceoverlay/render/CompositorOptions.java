package org.spiceoverlay.render;

import java.util.Objects;

/**
 * How a {@link Compositor} runs. Start from {@link #defaults()} and change what you need with the
 * {@code with...} methods.
 *
 * <p>Immutable and validated; safe to share between threads.
 *
 * @param refreshMode   timed refreshes (the client) or manual ones (tests, benchmarks)
 * @param refreshHz     the refresh rate for {@link RefreshMode#TIMED}: its ticks, also where the
 *                      display has no vsync (Xvfb, offscreen); arriving frames are presented
 *                      between ticks, at most two refreshes per period; in (0, 1000]
 * @param upload        how frames reach the textures
 * @param finishUploads when true, {@code glFinish} after each refresh's uploads so that their full
 *                      cost is in {@link RefreshReport#uploadNanos()} rather than in the draw or
 *                      present time (benchmarks); costs throughput, leave it off otherwise
 * @param listener      told about every refresh, on the render thread; see {@link PresentListener}
 */
public record CompositorOptions(
        RefreshMode refreshMode,
        double refreshHz,
        UploadMethod upload,
        boolean finishUploads,
        PresentListener listener) {

    /** 60 Hz: the usual display rate, and the throttle where there is no vsync. */
    public static final double DEFAULT_REFRESH_HZ = 60.0;

    public CompositorOptions {
        Objects.requireNonNull(refreshMode, "refreshMode");
        Objects.requireNonNull(upload, "upload");
        Objects.requireNonNull(listener, "listener");
        if (!(refreshHz > 0 && refreshHz <= 1000)) {
            throw new IllegalArgumentException("refreshHz must be in (0, 1000], got " + refreshHz);
        }
    }

    /** Timed refreshes at 60 Hz, direct upload, no listener. */
    public static CompositorOptions defaults() {
        return new CompositorOptions(
                RefreshMode.TIMED, DEFAULT_REFRESH_HZ, UploadMethod.DIRECT, false, PresentListener.NONE);
    }

    public CompositorOptions withRefreshMode(RefreshMode mode) {
        return new CompositorOptions(mode, refreshHz, upload, finishUploads, listener);
    }

    public CompositorOptions withRefreshHz(double hz) {
        return new CompositorOptions(refreshMode, hz, upload, finishUploads, listener);
    }

    public CompositorOptions withUpload(UploadMethod method) {
        return new CompositorOptions(refreshMode, refreshHz, method, finishUploads, listener);
    }

    public CompositorOptions withFinishUploads(boolean finish) {
        return new CompositorOptions(refreshMode, refreshHz, upload, finish, listener);
    }

    public CompositorOptions withListener(PresentListener presentListener) {
        return new CompositorOptions(refreshMode, refreshHz, upload, finishUploads, presentListener);
    }

    /** The time between two timed refreshes. */
    public long refreshPeriodNanos() {
        return Math.round(1e9 / refreshHz);
    }
}
