package org.spiceoverlay.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A set of pixels made of a union of {@link Rect}s, such as the visible part of a video window (what
 * other windows do not cover).
 *
 * <p>The region is kept in the X11/pixman "y-x banded" canonical form: a top-to-bottom list of
 * horizontal bands {@code [y0, y1)}, each holding left-to-right, disjoint and non-touching x-intervals
 * {@code [x0, x1)}; there are no empty bands, and two bands that touch vertically never have the same
 * x-intervals (they would have been merged). Because that form is unique for a given set of pixels, two
 * regions covering the same pixels are {@link #equals equal} and have the same {@link #hashCode}, however
 * they were built.
 *
 * <p>Immutable and safe to share between threads; every operation returns a new region (or one of its
 * operands when the result is known to be the same set).
 */
public final class Region {

    /** The region that covers no pixel. */
    public static final Region EMPTY = new Region(new int[0][]);

    /** How many rectangles {@link #toString()} lists before eliding the rest, so logs stay readable. */
    private static final int TO_STRING_LIMIT = 10;

    /**
     * Each band is {@code {y0, y1, x0, x1, x0, x1, ...}}: one flat array per band keeps the x-boundaries
     * strictly increasing in a single run, which is what the 1-D sweep and the binary searches walk.
     */
    private final int[][] bands;

    // Cached so intersect/subtract can skip disjoint operands without walking the bands.
    private final int minX;
    private final int minY;
    private final int maxX;
    private final int maxY;

    /** Lazily built; a race only builds an equal list twice, and the list itself is immutable. */
    private volatile List<Rect> rectList;

    /** Takes ownership of {@code bands}, which must already be in canonical form. */
    private Region(int[][] bands) {
        this.bands = bands;
        if (bands.length == 0) {
            minX = minY = maxX = maxY = 0;
            return;
        }
        int lo = Integer.MAX_VALUE;
        int hi = Integer.MIN_VALUE;
        for (int[] band : bands) {
            lo = Math.min(lo, band[2]);
            hi = Math.max(hi, band[band.length - 1]);
        }
        minX = lo;
        maxX = hi;
        minY = bands[0][0];
        maxY = bands[bands.length - 1][1];
    }

    /**
     * The region covering exactly {@code rect}; {@link #EMPTY} when {@code rect} is empty.
     *
     * @throws NullPointerException if {@code rect} is null
     */
    public static Region of(Rect rect) {
        Objects.requireNonNull(rect, "rect");
        if (rect.isEmpty()) {
            return EMPTY;
        }
        return new Region(new int[][] {{rect.y(), rect.bottom(), rect.x(), rect.right()}});
    }

    /**
     * The union of {@code rects}; empty rectangles add nothing.
     *
     * @throws NullPointerException if {@code rects} or one of its elements is null
     */
    public static Region of(Rect... rects) {
        Objects.requireNonNull(rects, "rects");
        return of(Arrays.asList(rects));
    }

    /**
     * The union of {@code rects}; empty rectangles add nothing.
     *
     * @throws NullPointerException if {@code rects} or one of its elements is null
     */
    public static Region of(Collection<Rect> rects) {
        Objects.requireNonNull(rects, "rects");
        List<Region> parts = new ArrayList<>(rects.size());
        for (Rect rect : rects) {
            Objects.requireNonNull(rect, "rects must not contain null");
            if (!rect.isEmpty()) {
                parts.add(of(rect));
            }
        }
        // Pairwise rounds instead of folding left, so each union works on operands of similar size and
        // building from n rects does not redo the growing accumulator n times.
        while (parts.size() > 1) {
            List<Region> next = new ArrayList<>((parts.size() + 1) / 2);
            for (int i = 0; i + 1 < parts.size(); i += 2) {
                next.add(parts.get(i).union(parts.get(i + 1)));
            }
            if ((parts.size() & 1) == 1) {
                next.add(parts.get(parts.size() - 1));
            }
            parts = next;
        }
        return parts.isEmpty() ? EMPTY : parts.get(0);
    }

    /**
     * The pixels in this region or in {@code other}.
     *
     * @throws NullPointerException if {@code other} is null
     */
    public Region union(Region other) {
        Objects.requireNonNull(other, "other");
        if (other.isEmpty()) {
            return this;
        }
        if (isEmpty()) {
            return other;
        }
        return combineRegions(this, other, RegionBands.Op.UNION);
    }

    /**
     * The pixels in this region or in {@code rect}.
     *
     * @throws NullPointerException if {@code rect} is null
     */
    public Region union(Rect rect) {
        return union(of(rect));
    }

    /**
     * The pixels in both this region and {@code other}.
     *
     * @throws NullPointerException if {@code other} is null
     */
    public Region intersect(Region other) {
        Objects.requireNonNull(other, "other");
        if (isEmpty() || other.isEmpty() || !boundsOverlap(other)) {
            return EMPTY;
        }
        return combineRegions(this, other, RegionBands.Op.INTERSECT);
    }

    /**
     * The pixels in both this region and {@code rect}.
     *
     * @throws NullPointerException if {@code rect} is null
     */
    public Region intersect(Rect rect) {
        return intersect(of(rect));
    }

    /**
     * The pixels in this region that are not in {@code other}.
     *
     * @throws NullPointerException if {@code other} is null
     */
    public Region subtract(Region other) {
        Objects.requireNonNull(other, "other");
        if (isEmpty()) {
            return EMPTY;
        }
        if (other.isEmpty() || !boundsOverlap(other)) {
            return this;
        }
        return combineRegions(this, other, RegionBands.Op.SUBTRACT);
    }

    /**
     * The pixels in this region that are not in {@code rect}.
     *
     * @throws NullPointerException if {@code rect} is null
     */
    public Region subtract(Rect rect) {
        return subtract(of(rect));
    }

    /**
     * The smallest rectangle containing every pixel of this region, or {@link Rect#EMPTY} when it is
     * empty.
     *
     * @throws IllegalArgumentException if the region is wider or taller than a {@link Rect} can be
     *     (more than {@code Integer.MAX_VALUE} pixels)
     */
    public Rect bounds() {
        return isEmpty() ? Rect.EMPTY : Rect.ofEdges(minX, minY, maxX, maxY);
    }

    /** Whether the region covers no pixel. */
    public boolean isEmpty() {
        return bands.length == 0;
    }

    /**
     * Number of pixels covered.
     *
     * @throws ArithmeticException if the count does not fit in a long, which needs a region spanning
     *     most of the int range in both directions
     */
    public long area() {
        long total = 0;
        for (int[] band : bands) {
            long width = 0;
            for (int i = 2; i < band.length; i += 2) {
                width += (long) band[i + 1] - band[i];
            }
            total = Math.addExact(total, Math.multiplyExact(width, (long) band[1] - band[0]));
        }
        return total;
    }

    /** Whether the pixel at {@code (px, py)} lies inside the region. */
    public boolean contains(int px, int py) {
        int[] band = bandAt(py);
        if (band == null) {
            return false;
        }
        // The x-boundaries alternate start, end, start, ...; px is inside exactly when an odd number of
        // them are <= px.
        int idx = Arrays.binarySearch(band, 2, band.length, px);
        int atOrBefore = idx >= 0 ? idx - 2 + 1 : -idx - 1 - 2;
        return (atOrBefore & 1) == 1;
    }

    /**
     * Whether every pixel of {@code rect} lies inside the region (an empty rectangle always does).
     *
     * @throws NullPointerException if {@code rect} is null
     */
    public boolean contains(Rect rect) {
        Objects.requireNonNull(rect, "rect");
        if (rect.isEmpty()) {
            return true;
        }
        if (isEmpty() || rect.x() < minX || rect.y() < minY || rect.right() > maxX || rect.bottom() > maxY) {
            return false;
        }
        return of(rect).subtract(this).isEmpty();
    }

    /**
     * This region moved by {@code (dx, dy)}.
     *
     * @throws IllegalArgumentException if an edge would leave the int range, naming the overflow
     */
    public Region translate(int dx, int dy) {
        if (isEmpty() || (dx == 0 && dy == 0)) {
            return this;
        }
        if (outsideInt((long) minX + dx)
                || outsideInt((long) maxX + dx)
                || outsideInt((long) minY + dy)
                || outsideInt((long) maxY + dy)) {
            throw new IllegalArgumentException("translating region with edges x " + minX + ".." + maxX + ", y " + minY
                    + ".." + maxY + " by " + dx + "," + dy + " overflows an int");
        }
        int[][] moved = new int[bands.length][];
        for (int b = 0; b < bands.length; b++) {
            int[] band = bands[b].clone();
            band[0] += dy;
            band[1] += dy;
            for (int i = 2; i < band.length; i++) {
                band[i] += dx;
            }
            moved[b] = band;
        }
        // A uniform shift keeps every ordering and adjacency, so the result is still canonical.
        return new Region(moved);
    }

    /**
     * The canonical decomposition into disjoint, non-empty rectangles: one per x-interval of each band,
     * in band (top to bottom) then x (left to right) order. An interval or band longer than
     * {@code Integer.MAX_VALUE} pixels, which a {@link Rect} cannot hold, comes back split in pieces.
     *
     * @return an unmodifiable list
     */
    public List<Rect> rects() {
        List<Rect> list = rectList;
        if (list == null) {
            List<Rect> built = new ArrayList<>();
            for (int[] band : bands) {
                for (long y0 = band[0]; y0 < band[1]; y0 += Integer.MAX_VALUE) {
                    int y1 = (int) Math.min(y0 + Integer.MAX_VALUE, band[1]);
                    for (int i = 2; i < band.length; i += 2) {
                        for (long x0 = band[i]; x0 < band[i + 1]; x0 += Integer.MAX_VALUE) {
                            int x1 = (int) Math.min(x0 + Integer.MAX_VALUE, band[i + 1]);
                            built.add(Rect.ofEdges((int) x0, (int) y0, x1, y1));
                        }
                    }
                }
            }
            list = Collections.unmodifiableList(built);
            rectList = list;
        }
        return list;
    }

    /** Number of rectangles in {@link #rects()}. */
    public int rectCount() {
        return rects().size();
    }

    /** Whether {@code obj} is a region covering exactly the same pixels. */
    @Override
    public boolean equals(Object obj) {
        return obj == this || (obj instanceof Region other && Arrays.deepEquals(bands, other.bands));
    }

    /** A hash of the pixel set, equal for equal regions. */
    @Override
    public int hashCode() {
        return Arrays.deepHashCode(bands);
    }

    /**
     * A description such as {@code Region[2 rects: 10x5+0+0, 4x3+0+5]} or {@code Region[empty]}; long
     * lists are cut short with {@code ...}.
     */
    @Override
    public String toString() {
        if (isEmpty()) {
            return "Region[empty]";
        }
        List<Rect> list = rects();
        StringBuilder sb =
                new StringBuilder("Region[").append(list.size()).append(list.size() == 1 ? " rect: " : " rects: ");
        for (int i = 0; i < list.size() && i < TO_STRING_LIMIT; i++) {
            sb.append(i == 0 ? "" : ", ").append(list.get(i));
        }
        if (list.size() > TO_STRING_LIMIT) {
            sb.append(", ...");
        }
        return sb.append(']').toString();
    }

    private boolean boundsOverlap(Region other) {
        return minX < other.maxX && other.minX < maxX && minY < other.maxY && other.minY < maxY;
    }

    /** The band covering row {@code py}, or null. */
    private int[] bandAt(int py) {
        int lo = 0;
        int hi = bands.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int[] band = bands[mid];
            if (py < band[0]) {
                hi = mid - 1;
            } else if (py >= band[1]) {
                lo = mid + 1;
            } else {
                return band;
            }
        }
        return null;
    }

    private static boolean outsideInt(long v) {
        return v < Integer.MIN_VALUE || v > Integer.MAX_VALUE;
    }

    private static Region combineRegions(Region a, Region b, RegionBands.Op op) {
        int[][] bands = RegionBands.combine(a.bands, b.bands, op);
        return bands.length == 0 ? EMPTY : new Region(bands);
    }
}
