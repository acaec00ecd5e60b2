package org.spiceoverlay.api;

/**
 * An axis-aligned rectangle of pixels covering {@code [x, x+width) x [y, y+height)}, in whatever
 * space the caller says (guest-display pixels, screen pixels).
 *
 * <p>Immutable and validated: sizes are never negative and the far edges {@code x+width} and
 * {@code y+height} always fit in an {@code int}. A rectangle with a zero width or height is empty.
 * Safe to share between threads.
 */
public record Rect(int x, int y, int width, int height) {

    /** The empty rectangle at the origin. */
    public static final Rect EMPTY = new Rect(0, 0, 0, 0);

    public Rect {
        if (width < 0) {
            throw new IllegalArgumentException("width must be >= 0, got " + width);
        }
        if (height < 0) {
            throw new IllegalArgumentException("height must be >= 0, got " + height);
        }
        if ((long) x + width > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("x + width overflows an int (x=" + x + ", width=" + width + ")");
        }
        if ((long) y + height > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("y + height overflows an int (y=" + y + ", height=" + height + ")");
        }
    }

    /**
     * The rectangle between two edges: {@code [left, right) x [top, bottom)}.
     *
     * @throws IllegalArgumentException if right &lt; left or bottom &lt; top, naming the edge
     */
    public static Rect ofEdges(int left, int top, int right, int bottom) {
        if (right < left) {
            throw new IllegalArgumentException("right must be >= left, got left=" + left + " right=" + right);
        }
        if (bottom < top) {
            throw new IllegalArgumentException("bottom must be >= top, got top=" + top + " bottom=" + bottom);
        }
        long w = (long) right - left;
        long h = (long) bottom - top;
        if (w > Integer.MAX_VALUE || h > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("rectangle " + left + "," + top + " - " + right + "," + bottom
                    + " is wider or taller than an int can say");
        }
        return new Rect(left, top, (int) w, (int) h);
    }

    /** The exclusive right edge, {@code x + width}. */
    public int right() {
        return x + width;
    }

    /** The exclusive bottom edge, {@code y + height}. */
    public int bottom() {
        return y + height;
    }

    public boolean isEmpty() {
        return width == 0 || height == 0;
    }

    /** Number of pixels covered. */
    public long area() {
        return (long) width * height;
    }

    /** Whether the pixel at {@code (px, py)} lies inside. */
    public boolean contains(int px, int py) {
        return px >= x && px < right() && py >= y && py < bottom();
    }

    /** Whether every pixel of {@code other} lies inside this one (an empty rectangle always does). */
    public boolean contains(Rect other) {
        return other.isEmpty()
                || (other.x >= x && other.y >= y && other.right() <= right() && other.bottom() <= bottom());
    }

    /** The overlap of the two rectangles, or {@link #EMPTY} when they do not overlap. */
    public Rect intersect(Rect other) {
        int l = Math.max(x, other.x);
        int t = Math.max(y, other.y);
        int r = Math.min(right(), other.right());
        int b = Math.min(bottom(), other.bottom());
        return (r > l && b > t) ? new Rect(l, t, r - l, b - t) : EMPTY;
    }

    public boolean intersects(Rect other) {
        return !intersect(other).isEmpty();
    }

    /**
     * This rectangle moved by {@code (dx, dy)}.
     *
     * @throws IllegalArgumentException if an edge would leave the int range
     */
    public Rect translate(int dx, int dy) {
        long nx = (long) x + dx;
        long ny = (long) y + dy;
        if (nx < Integer.MIN_VALUE || ny < Integer.MIN_VALUE || nx > Integer.MAX_VALUE || ny > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("translating " + this + " by " + dx + "," + dy + " overflows an int");
        }
        return new Rect((int) nx, (int) ny, width, height);
    }

    @Override
    public String toString() {
        return width + "x" + height + "+" + x + "+" + y;
    }
}
