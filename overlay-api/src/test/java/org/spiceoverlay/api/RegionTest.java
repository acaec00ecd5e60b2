package org.spiceoverlay.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RegionTest {

    private static final long SEED = 20261125L;
    private static final int CASES = 2_000;

    // Random rects live in [LO, HI); the model grid is one pixel wider on every side so that contains()
    // is also checked just outside anything a rect can cover.
    private static final int LO = -8;
    private static final int HI = 40;
    private static final int GRID_LO = LO - 1;
    private static final int GRID_HI = HI + 1;
    private static final int GRID = GRID_HI - GRID_LO;

    // ---------------------------------------------------------------------------------------------
    // Randomised cross-check against a brute-force pixel model

    @Test
    void randomOperationsMatchPixelModel() {
        Random rnd = new Random(SEED);
        for (int c = 0; c < CASES; c++) {
            List<Rect> rectsA = randomRects(rnd);
            List<Rect> rectsB = randomRects(rnd);
            Rect single = randomRect(rnd);
            String ctx = "seed " + SEED + " case " + c + ": A=" + rectsA + " B=" + rectsB + " r=" + single;

            boolean[][] modelA = raster(rectsA);
            boolean[][] modelB = raster(rectsB);
            boolean[][] modelR = raster(List.of(single));

            Region a = Region.of(rectsA);
            Region b = Region.of(rectsB);
            check(ctx + " [of(A)]", a, modelA, rnd);
            check(ctx + " [of(B)]", b, modelB, rnd);
            assertEquals(a, Region.of(rectsA.toArray(new Rect[0])), ctx + " [of(varargs) vs of(collection)]");

            check(ctx + " [A union B]", a.union(b), combine(modelA, modelB, '|'), rnd);
            check(ctx + " [A intersect B]", a.intersect(b), combine(modelA, modelB, '&'), rnd);
            check(ctx + " [A subtract B]", a.subtract(b), combine(modelA, modelB, '-'), rnd);
            check(ctx + " [A union r]", a.union(single), combine(modelA, modelR, '|'), rnd);
            check(ctx + " [A intersect r]", a.intersect(single), combine(modelA, modelR, '&'), rnd);
            check(ctx + " [A subtract r]", a.subtract(single), combine(modelA, modelR, '-'), rnd);

            // contains(Rect) against the model: every pixel of r set in A.
            boolean expectContains = true;
            for (int y = single.y(); y < single.bottom(); y++) {
                for (int x = single.x(); x < single.right(); x++) {
                    expectContains &= modelA[y - GRID_LO][x - GRID_LO];
                }
            }
            assertEquals(expectContains, a.contains(single), ctx + " [A contains r]");
        }
    }

    /** 0 to 5 rects, about one in six of them empty. */
    private static List<Rect> randomRects(Random rnd) {
        int n = rnd.nextInt(6);
        List<Rect> rects = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            rects.add(randomRect(rnd));
        }
        return rects;
    }

    private static Rect randomRect(Random rnd) {
        int x = LO + rnd.nextInt(HI - LO);
        int y = LO + rnd.nextInt(HI - LO);
        int w = rnd.nextInt(6) == 0 ? 0 : Math.min(1 + rnd.nextInt(16), HI - x);
        int h = rnd.nextInt(6) == 0 ? 0 : Math.min(1 + rnd.nextInt(16), HI - y);
        return new Rect(x, y, w, h);
    }

    private static boolean[][] raster(Collection<Rect> rects) {
        boolean[][] grid = new boolean[GRID][GRID];
        for (Rect r : rects) {
            for (int y = r.y(); y < r.bottom(); y++) {
                for (int x = r.x(); x < r.right(); x++) {
                    grid[y - GRID_LO][x - GRID_LO] = true;
                }
            }
        }
        return grid;
    }

    private static boolean[][] combine(boolean[][] a, boolean[][] b, char op) {
        boolean[][] out = new boolean[GRID][GRID];
        for (int y = 0; y < GRID; y++) {
            for (int x = 0; x < GRID; x++) {
                out[y][x] = switch (op) {
                    case '|' -> a[y][x] || b[y][x];
                    case '&' -> a[y][x] && b[y][x];
                    case '-' -> a[y][x] && !b[y][x];
                    default -> throw new IllegalArgumentException("op " + op);
                };
            }
        }
        return out;
    }

    /** Checks {@code region} against the pixel model {@code expected}, and that its form is canonical. */
    private static void check(String ctx, Region region, boolean[][] expected, Random rnd) {
        long count = 0;
        int minX = Integer.MAX_VALUE;
        int minY = Integer.MAX_VALUE;
        int maxX = Integer.MIN_VALUE;
        int maxY = Integer.MIN_VALUE;
        for (int y = GRID_LO; y < GRID_HI; y++) {
            for (int x = GRID_LO; x < GRID_HI; x++) {
                boolean want = expected[y - GRID_LO][x - GRID_LO];
                if (region.contains(x, y) != want) {
                    fail(ctx + ": contains(" + x + "," + y + ") should be " + want + " in " + region);
                }
                if (want) {
                    count++;
                    minX = Math.min(minX, x);
                    minY = Math.min(minY, y);
                    maxX = Math.max(maxX, x + 1);
                    maxY = Math.max(maxY, y + 1);
                }
            }
        }

        // Rasterise rects(): each must be non-empty, inside the grid, and hit no pixel another one hit.
        List<Rect> rects = region.rects();
        boolean[][] drawn = new boolean[GRID][GRID];
        for (Rect r : rects) {
            if (r.isEmpty()) {
                fail(ctx + ": rects() holds empty rect " + r + " in " + region);
            }
            if (r.x() < GRID_LO || r.y() < GRID_LO || r.right() > GRID_HI || r.bottom() > GRID_HI) {
                fail(ctx + ": rect " + r + " leaves the model window in " + region);
            }
            for (int y = r.y(); y < r.bottom(); y++) {
                for (int x = r.x(); x < r.right(); x++) {
                    if (drawn[y - GRID_LO][x - GRID_LO]) {
                        fail(ctx + ": rects overlap at " + x + "," + y + " in " + region);
                    }
                    drawn[y - GRID_LO][x - GRID_LO] = true;
                }
            }
        }
        for (int y = 0; y < GRID; y++) {
            for (int x = 0; x < GRID; x++) {
                if (drawn[y][x] != expected[y][x]) {
                    fail(ctx + ": rects() pixel " + (x + GRID_LO) + "," + (y + GRID_LO) + " should be " + expected[y][x]
                            + " in " + region);
                }
            }
        }

        assertEquals(count, region.area(), () -> ctx + ": area of " + region);
        assertEquals(count == 0, region.isEmpty(), () -> ctx + ": isEmpty of " + region);
        Rect wantBounds = count == 0 ? Rect.EMPTY : Rect.ofEdges(minX, minY, maxX, maxY);
        assertEquals(wantBounds, region.bounds(), () -> ctx + ": bounds of " + region);
        assertEquals(rects.size(), region.rectCount(), () -> ctx + ": rectCount of " + region);
        assertTrue(count == 0 || !rects.isEmpty(), () -> ctx + ": no rects for a non-empty region");

        // Rebuild the same pixel set a different way: one 1-pixel-high rect per run of each row,
        // unioned in shuffled order. Equality proves the normal form does not depend on history.
        List<Rect> runs = new ArrayList<>();
        for (int y = 0; y < GRID; y++) {
            int x = 0;
            while (x < GRID) {
                if (!expected[y][x]) {
                    x++;
                    continue;
                }
                int start = x;
                while (x < GRID && expected[y][x]) {
                    x++;
                }
                runs.add(new Rect(start + GRID_LO, y + GRID_LO, x - start, 1));
            }
        }
        Collections.shuffle(runs, rnd);
        Region folded = Region.EMPTY;
        for (Rect run : runs) {
            folded = folded.union(run);
        }
        Region rebuilt = folded;
        assertEquals(rebuilt, region, () -> ctx + ": not canonical, rebuilt from runs as " + rebuilt);
        assertEquals(rebuilt.hashCode(), region.hashCode(), () -> ctx + ": hashCode differs from rebuilt");
        assertEquals(rebuilt.rects(), rects, () -> ctx + ": rects() differ from rebuilt");
        Region batch = Region.of(runs);
        assertEquals(batch, region, () -> ctx + ": Region.of(runs) gave " + batch);
    }

    // ---------------------------------------------------------------------------------------------
    // Targeted cases

    @Test
    void emptyRegionBehaviour() {
        Region e = Region.EMPTY;
        assertTrue(e.isEmpty());
        assertEquals(0, e.area());
        assertEquals(Rect.EMPTY, e.bounds());
        assertEquals(List.of(), e.rects());
        assertEquals(0, e.rectCount());
        assertFalse(e.contains(0, 0));
        assertTrue(e.contains(Rect.EMPTY));
        assertFalse(e.contains(new Rect(0, 0, 1, 1)));
        assertEquals(e, e.translate(5, 5));
        assertEquals(e, Region.of());
        assertEquals(e, Region.of(List.of()));

        Region r = Region.of(new Rect(1, 2, 3, 4));
        assertEquals(r, e.union(r));
        assertEquals(r, r.union(e));
        assertEquals(e, e.intersect(r));
        assertEquals(e, r.intersect(e));
        assertEquals(e, e.subtract(r));
        assertEquals(r, r.subtract(e));
        assertEquals(e, r.subtract(r));
        assertNotEquals(e, r);
    }

    @Test
    void emptyRectsGiveEmptyRegion() {
        assertTrue(Region.of(Rect.EMPTY).isEmpty());
        assertSame(Region.EMPTY, Region.of(Rect.EMPTY));
        assertTrue(Region.of(new Rect(5, 5, 0, 10), new Rect(-3, 4, 7, 0)).isEmpty());
        assertEquals(Region.of(new Rect(0, 0, 2, 2)), Region.of(new Rect(0, 0, 2, 2), new Rect(9, 9, 0, 3)));
    }

    @Test
    void sideBySideRectsMergeIntoOne() {
        Region r = Region.of(new Rect(0, 0, 5, 3), new Rect(5, 0, 7, 3));
        assertEquals(List.of(new Rect(0, 0, 12, 3)), r.rects());
        assertEquals(Region.of(new Rect(0, 0, 12, 3)), r);
    }

    @Test
    void stackedRectsMergeIntoOne() {
        Region r = Region.of(new Rect(2, 0, 4, 3)).union(new Rect(2, 3, 4, 6));
        assertEquals(List.of(new Rect(2, 0, 4, 9)), r.rects());
        assertEquals(1, r.rectCount());
        assertEquals(Region.of(new Rect(2, 0, 4, 9)).hashCode(), r.hashCode());
    }

    @Test
    void touchingCornersStaySeparate() {
        Region r = Region.of(new Rect(0, 0, 2, 2), new Rect(2, 2, 2, 2));
        assertEquals(List.of(new Rect(0, 0, 2, 2), new Rect(2, 2, 2, 2)), r.rects());
        assertEquals(8, r.area());
    }

    @Test
    void lShapeMinusInnerCornerLeavesTwoArms() {
        // Top arm 10 wide, left arm 4 wide going down; the 4x4 square at the top-left is their junction.
        Region l = Region.of(new Rect(0, 0, 10, 4), new Rect(0, 0, 4, 10));
        assertEquals(List.of(new Rect(0, 0, 10, 4), new Rect(0, 4, 4, 6)), l.rects());
        assertEquals(64, l.area());

        Region arms = l.subtract(new Rect(0, 0, 4, 4));
        assertEquals(List.of(new Rect(4, 0, 6, 4), new Rect(0, 4, 4, 6)), arms.rects());
        assertEquals(48, arms.area());
        assertFalse(arms.contains(0, 0));
        assertFalse(arms.contains(3, 3));
        assertTrue(arms.contains(4, 0));
        assertTrue(arms.contains(0, 4));
        assertEquals(new Rect(0, 0, 10, 10), arms.bounds());
    }

    @Test
    void holeInTheMiddle() {
        Region frame = Region.of(new Rect(0, 0, 10, 10)).subtract(new Rect(3, 3, 4, 4));
        assertEquals(
                List.of(new Rect(0, 0, 10, 3), new Rect(0, 3, 3, 4), new Rect(7, 3, 3, 4), new Rect(0, 7, 10, 3)),
                frame.rects());
        assertEquals(Region.of(new Rect(0, 0, 10, 10)), frame.union(new Rect(3, 3, 4, 4)));
    }

    @Test
    void translateMovesEveryRect() {
        Region r = Region.of(new Rect(0, 0, 10, 4), new Rect(0, 0, 4, 10));
        Region moved = r.translate(-5, 7);
        assertEquals(List.of(new Rect(-5, 7, 10, 4), new Rect(-5, 11, 4, 6)), moved.rects());
        assertEquals(r.area(), moved.area());
        assertEquals(r, moved.translate(5, -7));
        assertTrue(moved.contains(-5, 7));
        assertFalse(moved.contains(0, 0));
    }

    @Test
    void translateOverflowThrows() {
        Region r = Region.of(new Rect(Integer.MAX_VALUE - 10, 0, 5, 5));
        IllegalArgumentException right = assertThrows(IllegalArgumentException.class, () -> r.translate(10, 0));
        assertTrue(right.getMessage().contains("overflow"), right.getMessage());

        Region top = Region.of(new Rect(0, Integer.MIN_VALUE + 1, 5, 5));
        IllegalArgumentException up = assertThrows(IllegalArgumentException.class, () -> top.translate(0, -2));
        assertTrue(up.getMessage().contains("overflow"), up.getMessage());

        // Right up to the edge is fine.
        assertEquals(Region.of(new Rect(Integer.MAX_VALUE - 5, 0, 5, 5)), r.translate(5, 0));
    }

    @Test
    void containsRect() {
        Region l = Region.of(new Rect(0, 0, 10, 4), new Rect(0, 0, 4, 10));
        assertTrue(l.contains(new Rect(0, 0, 10, 4)));
        assertTrue(l.contains(new Rect(1, 1, 3, 8)));
        assertTrue(l.contains(new Rect(0, 0, 4, 10)));
        assertFalse(l.contains(new Rect(0, 0, 5, 5)), "covers the missing inner corner pixel 4,4");
        assertFalse(l.contains(new Rect(-1, 0, 2, 2)), "sticks out on the left");
        assertTrue(l.contains(new Rect(100, 100, 0, 0)), "an empty rect is always contained");
        // Spread over two bands that together cover it.
        Region stacked = Region.of(new Rect(0, 0, 6, 3), new Rect(0, 3, 8, 3));
        assertTrue(stacked.contains(new Rect(1, 1, 5, 5)));
        assertFalse(stacked.contains(new Rect(1, 1, 6, 5)));
    }

    @Test
    void nullArgumentsAreRejected() {
        NullPointerException npe = assertThrows(NullPointerException.class, () -> Region.of((Collection<Rect>) null));
        assertEquals("rects", npe.getMessage());
        assertThrows(NullPointerException.class, () -> Region.of((Rect) null));
        assertThrows(NullPointerException.class, () -> Region.of((Rect[]) null));
        assertThrows(NullPointerException.class, () -> Region.of(Collections.singletonList(null)));
        assertThrows(NullPointerException.class, () -> Region.EMPTY.union((Region) null));
        assertThrows(NullPointerException.class, () -> Region.EMPTY.subtract((Rect) null));
    }

    @Test
    void toStringNamesRects() {
        assertEquals("Region[empty]", Region.EMPTY.toString());
        assertEquals(
                "Region[1 rect: 10x5+0+0]", Region.of(new Rect(0, 0, 10, 5)).toString());
        assertEquals(
                "Region[2 rects: 10x4+0+0, 4x6+0+4]",
                Region.of(new Rect(0, 0, 10, 4), new Rect(0, 0, 4, 10)).toString());
    }

    @Test
    void rectsListIsUnmodifiable() {
        List<Rect> rects = Region.of(new Rect(0, 0, 1, 1)).rects();
        assertThrows(UnsupportedOperationException.class, () -> rects.add(new Rect(2, 2, 1, 1)));
    }

    @Test
    void regionWiderThanARectSplitsItsRects() {
        // [MIN, -1) and [-1, MAX-1) together are 2^32 - 1 pixels wide: more than one Rect can hold.
        Region wide =
                Region.of(new Rect(Integer.MIN_VALUE, 0, Integer.MAX_VALUE, 1), new Rect(-1, 0, Integer.MAX_VALUE, 1));
        assertEquals((long) (Integer.MAX_VALUE - 1) - Integer.MIN_VALUE, wide.area());
        long sum = 0;
        for (Rect r : wide.rects()) {
            sum += r.area();
        }
        assertEquals(wide.area(), sum);
        assertTrue(wide.contains(Integer.MIN_VALUE, 0));
        assertTrue(wide.contains(Integer.MAX_VALUE - 2, 0));
        assertFalse(wide.contains(Integer.MAX_VALUE - 1, 0));
        assertThrows(IllegalArgumentException.class, wide::bounds);
    }

    @Test
    void manyRectsBuildTheSameRegionInAnyOrder() {
        Random rnd = new Random(SEED + 1);
        List<Rect> rects = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            rects.add(new Rect(rnd.nextInt(2000), rnd.nextInt(2000), 1 + rnd.nextInt(100), 1 + rnd.nextInt(100)));
        }
        Region forward = Region.of(rects);
        List<Rect> shuffled = new ArrayList<>(rects);
        Collections.shuffle(shuffled, rnd);
        Region folded = Region.EMPTY;
        for (Rect r : shuffled) {
            folded = folded.union(r);
        }
        assertEquals(forward, folded);
        assertEquals(forward.hashCode(), folded.hashCode());
        for (Rect r : rects) {
            assertTrue(forward.contains(r), () -> "lost " + r);
        }
        assertTrue(forward.subtract(Region.of(forward.rects())).isEmpty());
    }
}
