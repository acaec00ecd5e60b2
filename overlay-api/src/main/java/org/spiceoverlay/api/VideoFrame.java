package org.spiceoverlay.api;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One decoded picture in native memory, as the decoder produced it: its {@link FrameLayout}
 * (format, size, planes with offsets and strides), colorimetry, pixel aspect ratio and timestamps.
 * The pixels stay in the decoder's buffer (never copied onto the Java heap); {@link #close()}
 * hands that buffer back, after which the pixels may no longer be read.
 *
 * <p>Threads: a frame is handed from the decoder's thread to one consumer (the render thread);
 * the metadata getters may be called from any thread; {@link #data()} and {@link #plane(int)} only
 * by the consumer while the frame is open. {@link #close()} is idempotent and may be called from
 * any thread; the release action runs exactly once.
 */
public final class VideoFrame implements AutoCloseable {

    /** Marks an unknown timestamp or duration. */
    public static final long NO_TIME = Long.MIN_VALUE;

    private final FrameLayout layout;
    private final Colorimetry colorimetry;
    private final int parNumerator;
    private final int parDenominator;
    private final long ptsNs;
    private final long durationNs;
    private final long receivedNanos;
    private final long decodedNanos;
    private final ByteBuffer data;
    private final Runnable release;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param layout         where the planes are in {@code data}
     * @param colorimetry    matrix and range of the samples
     * @param parNumerator   pixel aspect ratio numerator (&gt; 0; 1 for square pixels)
     * @param parDenominator pixel aspect ratio denominator (&gt; 0)
     * @param ptsNs          presentation time on the stream's timeline, or {@link #NO_TIME}
     * @param durationNs     how long the frame is shown, or {@link #NO_TIME}
     * @param data           a direct buffer holding at least {@code layout.size()} bytes from its
     *                       position; the frame keeps a private view of it
     * @param release        run once by {@link #close()} to give the buffer back (e.g. unmap and
     *                       dispose the GStreamer sample); must not throw and must not block
     */
    public VideoFrame(
            FrameLayout layout,
            Colorimetry colorimetry,
            int parNumerator,
            int parDenominator,
            long ptsNs,
            long durationNs,
            ByteBuffer data,
            Runnable release) {
        this(layout, colorimetry, parNumerator, parDenominator, ptsNs, durationNs, NO_TIME, NO_TIME, data, release);
    }

    /**
     * As above, with the frame's timing on this machine's {@link System#nanoTime()} clock, so that
     * latency can be measured all along the path.
     *
     * @param receivedNanos when the compressed frame reached this machine, or {@link #NO_TIME}
     * @param decodedNanos  when it came out of the decoder, or {@link #NO_TIME}
     */
    public VideoFrame(
            FrameLayout layout,
            Colorimetry colorimetry,
            int parNumerator,
            int parDenominator,
            long ptsNs,
            long durationNs,
            long receivedNanos,
            long decodedNanos,
            ByteBuffer data,
            Runnable release) {
        this.layout = Objects.requireNonNull(layout, "layout");
        this.colorimetry = Objects.requireNonNull(colorimetry, "colorimetry");
        Objects.requireNonNull(data, "data");
        this.release = Objects.requireNonNull(release, "release");
        if (parNumerator <= 0) {
            throw new IllegalArgumentException("parNumerator must be > 0, got " + parNumerator);
        }
        if (parDenominator <= 0) {
            throw new IllegalArgumentException("parDenominator must be > 0, got " + parDenominator);
        }
        if (durationNs != NO_TIME && durationNs < 0) {
            throw new IllegalArgumentException("durationNs must be >= 0 or NO_TIME, got " + durationNs);
        }
        if (!data.isDirect()) {
            throw new IllegalArgumentException(
                    "data must be a direct (native) buffer: frames are never copied onto the Java heap");
        }
        if (data.remaining() < layout.size()) {
            throw new IllegalArgumentException(
                    "data has " + data.remaining() + " bytes, the layout needs " + layout.size());
        }
        this.parNumerator = parNumerator;
        this.parDenominator = parDenominator;
        this.ptsNs = ptsNs;
        this.durationNs = durationNs;
        this.receivedNanos = receivedNanos;
        this.decodedNanos = decodedNanos;
        this.data = data.slice(data.position(), layout.size()).asReadOnlyBuffer();
    }

    public FrameLayout layout() {
        return layout;
    }

    public PixelFormat format() {
        return layout.format();
    }

    public int width() {
        return layout.width();
    }

    public int height() {
        return layout.height();
    }

    public Colorimetry colorimetry() {
        return colorimetry;
    }

    public int parNumerator() {
        return parNumerator;
    }

    public int parDenominator() {
        return parDenominator;
    }

    /** Width over height of the picture as it should be shown (pixel aspect ratio applied). */
    public double displayAspectRatio() {
        return ((double) layout.width() * parNumerator) / ((double) layout.height() * parDenominator);
    }

    public long ptsNs() {
        return ptsNs;
    }

    public long durationNs() {
        return durationNs;
    }

    /** When the compressed frame reached this machine ({@link System#nanoTime()}), or {@link #NO_TIME}. */
    public long receivedNanos() {
        return receivedNanos;
    }

    /** When the frame came out of the decoder ({@link System#nanoTime()}), or {@link #NO_TIME}. */
    public long decodedNanos() {
        return decodedNanos;
    }

    /**
     * All planes: a read-only view positioned at 0 spanning {@code layout().size()} bytes.
     *
     * @throws IllegalStateException once the frame is closed
     */
    public ByteBuffer data() {
        ensureOpen();
        return data.duplicate();
    }

    /**
     * One plane: a read-only view from the plane's offset to the end of its last row.
     *
     * @throws IllegalStateException once the frame is closed
     */
    public ByteBuffer plane(int index) {
        ensureOpen();
        Plane p = layout.plane(index);
        int rows = layout.format().planeHeight(index, layout.height());
        int length = p.stride() * (rows - 1) + layout.format().minStride(index, layout.width());
        return data.slice(p.offset(), length);
    }

    public boolean isClosed() {
        return closed.get();
    }

    /** Gives the native buffer back. Idempotent; safe from any thread. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            release.run();
        }
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("frame " + this + " is closed; its pixels were released");
        }
    }

    @Override
    public String toString() {
        return "VideoFrame[" + layout.format() + " " + layout.width() + "x" + layout.height()
                + (ptsNs == NO_TIME ? "" : String.format(" pts=%.3fs", ptsNs / 1e9))
                + (parNumerator != parDenominator ? " par=" + parNumerator + ":" + parDenominator : "")
                + " " + colorimetry + (closed.get() ? " closed" : "") + "]";
    }
}
