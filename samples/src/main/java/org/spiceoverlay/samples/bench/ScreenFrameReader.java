package org.spiceoverlay.samples.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.spiceoverlay.api.FrameNumberCode;
import org.spiceoverlay.api.Rect;
import org.spiceoverlay.bridge.window.ScreenGrabber;
import org.spiceoverlay.bridge.window.ScreenImage;

/**
 * Watches a video's place on an X screen and writes down which frame number it shows, when: a
 * thread grabs the two middle rows of the frame number strip ({@link FrameNumberCode}) every
 * {@code period} (about 10 KB per grab at 720p, so polling at 200 Hz costs the X server little),
 * and on request the whole picture, for picture-quality comparison.
 *
 * <p>A sighting's time is the middle of its grab call, on {@link System#nanoTime()}'s clock (the
 * same monotonic clock as every process on this machine). At most {@value #MAX_SIGHTINGS}
 * sightings and {@value #MAX_FULL_GRABS} full grabs are kept.
 *
 * <p>Threads: started and stopped by one thread; the grabbing runs on its own thread, which owns
 * the X connection. {@link #sightings()} and {@link #fullGrabs()} are safe after {@link #stop()}.
 */
public final class ScreenFrameReader implements AutoCloseable {

    /** One look at the screen: when, and which frame number (or -1 when none could be read). */
    public record Sighting(long atNanos, int frame) {}

    /** The whole picture at one moment, with the frame number read from it. */
    public record FullGrab(long atNanos, int frame, ScreenImage image) {}

    static final int MAX_SIGHTINGS = 400_000;
    static final int MAX_FULL_GRABS = 32;

    private final String display;
    private final Rect video;
    private final long periodNanos;
    private final Rect band;
    private final List<Sighting> sightings = new ArrayList<>();
    private final List<FullGrab> fullGrabs = new ArrayList<>();
    private final AtomicInteger fullGrabsWanted = new AtomicInteger();
    private final CountDownLatch opened = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean running = true;
    private volatile RuntimeException failure;

    private ScreenFrameReader(String display, Rect video, long periodNanos) {
        this.display = display;
        this.video = video;
        this.periodNanos = periodNanos;
        this.band = stripBand(video);
        this.thread = new Thread(this::run, "screen-frame-reader " + display);
        this.thread.setDaemon(true);
    }

    /**
     * Starts watching {@code video} (screen pixels) on X display {@code display}.
     *
     * @throws IllegalArgumentException when the rectangle is too small to carry a frame number
     * @throws IllegalStateException    when the display cannot be opened
     */
    public static ScreenFrameReader start(String display, Rect video, long periodNanos) {
        Objects.requireNonNull(display, "display");
        Objects.requireNonNull(video, "video");
        if (video.width() < FrameNumberCode.MIN_WIDTH || video.height() < FrameNumberCode.MIN_HEIGHT) {
            throw new IllegalArgumentException("video " + video + " is smaller than a frame number strip needs ("
                    + FrameNumberCode.MIN_WIDTH + "x" + FrameNumberCode.MIN_HEIGHT + ")");
        }
        if (periodNanos < 100_000) {
            throw new IllegalArgumentException("periodNanos must be at least 0.1 ms, got " + periodNanos);
        }
        ScreenFrameReader r = new ScreenFrameReader(display, video, periodNanos);
        r.thread.start();
        try {
            r.opened.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (r.failure != null) {
            throw r.failure;
        }
        return r;
    }

    /**
     * The rows the reader samples: the middle of the strip as {@link FrameNumberCode#read} scales
     * it for a picture of this height.
     */
    static Rect stripBand(Rect video) {
        double nominal = Math.min(FrameNumberCode.stripHeight(video.height()), video.height() / 12.0);
        int top = (int) Math.floor(nominal * 0.25);
        int bottom = Math.max(top + 1, (int) Math.ceil(nominal * 0.75));
        int middle = (top + bottom) / 2;
        return new Rect(video.x(), video.y() + Math.max(0, middle - 1), video.width(), 2);
    }

    /** Asks for one grab of the whole picture at the next turn of the reader. */
    public void grabWholePicture() {
        fullGrabsWanted.incrementAndGet();
    }

    private void run() {
        ScreenGrabber grabber;
        try {
            grabber = ScreenGrabber.open(display);
        } catch (RuntimeException e) {
            failure = e;
            opened.countDown();
            return;
        }
        opened.countDown();
        try (grabber) {
            long next = System.nanoTime();
            while (running) {
                if (fullGrabsWanted.get() > 0) {
                    fullGrabsWanted.decrementAndGet();
                    long t0 = System.nanoTime();
                    ScreenImage image = grabber.grab(video);
                    long t1 = System.nanoTime();
                    int frame = readFrame(image, video);
                    synchronized (this) {
                        if (fullGrabs.size() < MAX_FULL_GRABS) {
                            fullGrabs.add(new FullGrab(t0 + (t1 - t0) / 2, frame, image));
                        }
                        if (sightings.size() < MAX_SIGHTINGS) {
                            sightings.add(new Sighting(t0 + (t1 - t0) / 2, frame));
                        }
                    }
                } else {
                    long t0 = System.nanoTime();
                    ScreenImage strip = grabber.grab(band);
                    long t1 = System.nanoTime();
                    int frame = readBand(strip, video);
                    synchronized (this) {
                        if (sightings.size() < MAX_SIGHTINGS) {
                            sightings.add(new Sighting(t0 + (t1 - t0) / 2, frame));
                        }
                    }
                }
                next += periodNanos;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                } else {
                    next = System.nanoTime();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure = e;
        }
    }

    /** The frame number in a grab of the band rows only: every row of the strip reads as the band. */
    static int readBand(ScreenImage band, Rect video) {
        int rows = band.height();
        OptionalInt n = FrameNumberCode.read(
                (x, y) -> luma(band.rgb(x, Math.min(rows - 1, y % rows))), 0, 0, video.width(), video.height());
        return n.orElse(-1);
    }

    /** The frame number in a grab of the whole picture. */
    static int readFrame(ScreenImage image, Rect video) {
        OptionalInt n = FrameNumberCode.read((x, y) -> luma(image.rgb(x, y)), 0, 0, video.width(), video.height());
        return n.orElse(-1);
    }

    static int luma(int rgb) {
        return (((rgb >> 16) & 0xff) * 77 + ((rgb >> 8) & 0xff) * 150 + (rgb & 0xff) * 29) >> 8;
    }

    /** Stops the reader and waits for its thread. Idempotent. */
    public void stop() {
        running = false;
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Why the reader stopped early, or null. */
    public RuntimeException failure() {
        return failure;
    }

    /** Every sighting so far, oldest first (a copy). */
    public synchronized List<Sighting> sightings() {
        return List.copyOf(sightings);
    }

    /** The whole-picture grabs so far, oldest first (a copy). */
    public synchronized List<FullGrab> fullGrabs() {
        return List.copyOf(fullGrabs);
    }

    /** The picture's place on the screen. */
    public Rect video() {
        return video;
    }

    @Override
    public void close() {
        stop();
    }
}
