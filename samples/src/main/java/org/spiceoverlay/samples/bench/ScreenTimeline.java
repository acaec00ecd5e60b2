package org.spiceoverlay.samples.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.TreeSet;
import java.util.function.IntPredicate;

/**
 * What a screen showed over time, from a {@link ScreenFrameReader}'s sightings: a list of
 * appearances (a frame number from the first grab that read it to the first grab that read another
 * one), and the figures a viewer would judge: how late each frame came compared with when its
 * player meant to show it, which frames never showed, which stayed up for more than one frame's
 * time, how long a pause or seek took to show, and how far each beep was from its flash.
 *
 * <p>Grabs whose frame number could not be read (a picture caught mid-update, or no strip) neither
 * start nor end an appearance.
 *
 * <p>Immutable; any thread.
 */
public final class ScreenTimeline {

    /** A frame number on screen from {@code firstAtNanos} until {@code untilNanos} (the next frame's first sighting, or the last grab). */
    public record Appearance(int frame, long firstAtNanos, long untilNanos) {}

    /**
     * The frames of a window: how many distinct frames showed, how many in their range never did,
     * how many frame slots showed a frame again, and each shown frame's lag in ms (first sighting
     * minus when it was due), in frame order.
     */
    public record FrameFigures(int shown, int skipped, int repeated, double[] lagsMs) {

        public FrameFigures {
            lagsMs = lagsMs.clone();
        }

        @Override
        public double[] lagsMs() {
            return lagsMs.clone();
        }
    }

    private final List<Appearance> appearances;

    private ScreenTimeline(List<Appearance> appearances) {
        this.appearances = List.copyOf(appearances);
    }

    /** Builds the timeline from sightings in time order. */
    public static ScreenTimeline of(List<ScreenFrameReader.Sighting> sightings) {
        Objects.requireNonNull(sightings, "sightings");
        List<Appearance> out = new ArrayList<>();
        int current = -1;
        long since = 0;
        long last = 0;
        for (ScreenFrameReader.Sighting s : sightings) {
            last = s.atNanos();
            if (s.frame() < 0 || s.frame() == current) {
                continue;
            }
            if (current >= 0) {
                out.add(new Appearance(current, since, s.atNanos()));
            }
            current = s.frame();
            since = s.atNanos();
        }
        if (current >= 0) {
            out.add(new Appearance(current, since, last));
        }
        return new ScreenTimeline(out);
    }

    public List<Appearance> appearances() {
        return appearances;
    }

    /** The first sighting of {@code frame} at or after {@code fromNanos}. */
    public OptionalLong firstSeen(int frame, long fromNanos) {
        for (Appearance a : appearances) {
            if (a.frame() == frame && a.firstAtNanos() >= fromNanos) {
                return OptionalLong.of(a.firstAtNanos());
            }
        }
        return OptionalLong.empty();
    }

    /** When frame {@code n} of a clip at {@code fps} is due on its player's clock: as the sample clips stamp it. */
    public static long dueNanos(long originNanos, int frame, int fps) {
        return originNanos + frame * 1_000_000_000L / fps;
    }

    /**
     * The frames whose first appearance falls in {@code [fromNanos, toNanos)}.
     *
     * @param originNanos when the player's clock shows stream time 0 ({@link System#nanoTime()})
     */
    public FrameFigures frames(long originNanos, int fps, long fromNanos, long toNanos) {
        if (fps <= 0) {
            throw new IllegalArgumentException("fps must be > 0, got " + fps);
        }
        TreeSet<Integer> seen = new TreeSet<>();
        List<double[]> lags = new ArrayList<>();
        List<Appearance> inWindow = new ArrayList<>();
        for (Appearance a : appearances) {
            if (a.firstAtNanos() < fromNanos || a.firstAtNanos() >= toNanos) {
                continue;
            }
            inWindow.add(a);
            if (seen.add(a.frame())) {
                lags.add(new double[] {a.frame(), (a.firstAtNanos() - dueNanos(originNanos, a.frame(), fps)) / 1e6});
            }
        }
        int skipped = seen.isEmpty() ? 0 : seen.last() - seen.first() + 1 - seen.size();
        long slot = 1_000_000_000L / fps;
        int repeated = 0;
        for (int i = 0; i + 1 < inWindow.size(); i++) {
            long shownFor = inWindow.get(i + 1).firstAtNanos() - inWindow.get(i).firstAtNanos();
            repeated += (int) Math.max(0, Math.round((double) shownFor / slot) - 1);
        }
        lags.sort((x, y) -> Double.compare(x[0], y[0]));
        double[] lagsMs = lags.stream().mapToDouble(l -> l[1]).toArray();
        return new FrameFigures(seen.size(), skipped, repeated, lagsMs);
    }

    /**
     * How long the picture kept moving after a pause was issued: from {@code pauseAtNanos} to the
     * first sighting of the last new frame before {@code resumeAtNanos}; 0 when none came.
     */
    public double pauseReactionMs(long pauseAtNanos, long resumeAtNanos) {
        long lastStart = pauseAtNanos;
        for (Appearance a : appearances) {
            if (a.firstAtNanos() > pauseAtNanos && a.firstAtNanos() < resumeAtNanos) {
                lastStart = a.firstAtNanos();
            }
        }
        return (lastStart - pauseAtNanos) / 1e6;
    }

    /**
     * How long a seek took to show: from {@code seekAtNanos} to the first sighting after it of a
     * frame within {@code tolerance} frames of {@code targetFrame} (a key-unit seek lands on the
     * keyframe before the target); empty when none showed.
     */
    public OptionalLong seekReactionNanos(long seekAtNanos, int targetFrame, int tolerance) {
        for (Appearance a : appearances) {
            if (a.firstAtNanos() > seekAtNanos && Math.abs(a.frame() - targetFrame) <= tolerance) {
                return OptionalLong.of(a.firstAtNanos() - seekAtNanos);
            }
        }
        return OptionalLong.empty();
    }

    /**
     * For each flash frame first shown in {@code [fromNanos, toNanos)}, the nearest beep within half
     * a second: beep minus flash in ms (positive: the sound came late).
     */
    public double[] avOffsetsMs(IntPredicate isFlash, List<Long> beepNanos, long fromNanos, long toNanos) {
        List<Double> out = new ArrayList<>();
        TreeSet<Integer> done = new TreeSet<>();
        for (Appearance a : appearances) {
            if (a.firstAtNanos() < fromNanos
                    || a.firstAtNanos() >= toNanos
                    || !isFlash.test(a.frame())
                    || !done.add(a.frame())) {
                continue;
            }
            long best = Long.MAX_VALUE;
            for (long b : beepNanos) {
                long d = b - a.firstAtNanos();
                if (Math.abs(d) <= 500_000_000L && Math.abs(d) < Math.abs(best)) {
                    best = d;
                }
            }
            if (best != Long.MAX_VALUE) {
                out.add(best / 1e6);
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** The nearest-rank percentile {@code p} (0..100) of {@code values}; NaN when there are none. */
    public static double percentile(double[] values, double p) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /** The value of {@code values} farthest from zero (keeping its sign); NaN when there are none. */
    public static double largestMagnitude(double[] values) {
        double best = Double.NaN;
        for (double v : values) {
            if (Double.isNaN(best) || Math.abs(v) > Math.abs(best)) {
                best = v;
            }
        }
        return best;
    }
}
