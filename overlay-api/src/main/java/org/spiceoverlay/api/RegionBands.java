package org.spiceoverlay.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The band arithmetic behind {@link Region}'s union, intersection and difference, on regions in
 * canonical y-x banded form (each band {@code {y0, y1, x0, x1, x0, x1, ...}}); results come out
 * canonical too. Stateless.
 */
final class RegionBands {

    private RegionBands() {}

    /** Which pixels a binary operation keeps, given whether each operand covers it. */
    enum Op {
        UNION {
            @Override
            boolean keep(boolean inA, boolean inB) {
                return inA || inB;
            }
        },
        INTERSECT {
            @Override
            boolean keep(boolean inA, boolean inB) {
                return inA && inB;
            }
        },
        SUBTRACT {
            @Override
            boolean keep(boolean inA, boolean inB) {
                return inA && !inB;
            }
        };

        abstract boolean keep(boolean inA, boolean inB);
    }

    /**
     * The one binary operation behind union, intersect and subtract: cut the plane into slabs at every
     * band edge of either operand, so each operand's row set is constant across a slab, combine the two
     * rows in 1-D, and append the result, merging it into the band above when that touches and matches.
     * Doing the merge here is what keeps every result canonical.
     */
    static int[][] combine(int[][] a, int[][] b, Op op) {
        int[] ys = new int[2 * (a.length + b.length)];
        int n = 0;
        for (int[] band : a) {
            ys[n++] = band[0];
            ys[n++] = band[1];
        }
        for (int[] band : b) {
            ys[n++] = band[0];
            ys[n++] = band[1];
        }
        Arrays.sort(ys);

        List<int[]> out = new ArrayList<>();
        int ia = 0;
        int ib = 0;
        for (int k = 0; k + 1 < n; k++) {
            int y0 = ys[k];
            int y1 = ys[k + 1];
            if (y0 == y1) {
                continue;
            }
            while (ia < a.length && a[ia][1] <= y0) {
                ia++;
            }
            while (ib < b.length && b[ib][1] <= y0) {
                ib++;
            }
            // Every band edge is a slab edge, so a band starting at or above y0 covers the whole slab.
            int[] rowA = ia < a.length && a[ia][0] <= y0 ? a[ia] : null;
            int[] rowB = ib < b.length && b[ib][0] <= y0 ? b[ib] : null;
            if (rowA == null && rowB == null) {
                continue;
            }
            int[] band = combineRow(rowA, rowB, op, y0, y1);
            if (band == null) {
                continue;
            }
            int[] prev = out.isEmpty() ? null : out.get(out.size() - 1);
            if (prev != null && prev[1] == y0 && sameIntervals(prev, band)) {
                prev[1] = y1; // prev was built by this call, so extending it in place is safe
            } else {
                out.add(band);
            }
        }
        return out.toArray(new int[0][]);
    }

    /**
     * Combines two rows of x-intervals (null for none) by sweeping their boundaries left to right and
     * emitting a boundary wherever the kept/not-kept state flips, which yields sorted, disjoint,
     * non-touching intervals. Returns the band {@code {y0, y1, x0, x1, ...}}, or null when nothing is kept.
     */
    private static int[] combineRow(int[] rowA, int[] rowB, Op op, int y0, int y1) {
        int endA = rowA == null ? 2 : rowA.length;
        int endB = rowB == null ? 2 : rowB.length;
        int[] buf = new int[2 + (endA - 2) + (endB - 2)];
        int w = 2;
        int i = 2;
        int j = 2;
        boolean inA = false;
        boolean inB = false;
        boolean kept = false;
        while (i < endA || j < endB) {
            // long so that a boundary at Integer.MAX_VALUE is not mistaken for "no more boundaries"
            long nextA = i < endA ? rowA[i] : Long.MAX_VALUE;
            long nextB = j < endB ? rowB[j] : Long.MAX_VALUE;
            long x = Math.min(nextA, nextB);
            if (nextA == x) {
                inA = !inA;
                i++;
            }
            if (nextB == x) {
                inB = !inB;
                j++;
            }
            boolean keep = op.keep(inA, inB);
            if (keep != kept) {
                buf[w++] = (int) x;
                kept = keep;
            }
        }
        if (w == 2) {
            return null;
        }
        int[] band = Arrays.copyOf(buf, w);
        band[0] = y0;
        band[1] = y1;
        return band;
    }

    private static boolean sameIntervals(int[] bandA, int[] bandB) {
        return Arrays.equals(bandA, 2, bandA.length, bandB, 2, bandB.length);
    }
}
