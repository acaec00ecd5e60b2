package org.spiceoverlay.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Maps guest-display pixels to client-screen pixels the way remote-viewer (spice-gtk) lays out a
 * scaled display: the guest framebuffer is scaled by one factor, keeping its aspect ratio, to fill
 * the display container, and centred in it with letterbox or pillarbox bars.
 *
 * <p>With container {@code (cx, cy, cw, ch)} and guest framebuffer {@code fbw x fbh}: when
 * {@code cw/ch > fbw/fbh} the display is {@code dh = ch}, {@code dw = round(ch*fbw/fbh)}, else
 * {@code dw = cw}, {@code dh = round(cw*fbh/fbw)}; it sits at {@code dx = cx + (cw-dw)/2},
 * {@code dy = cy + (ch-dh)/2} (integer division, as GTK computes it); the scale is
 * {@code s = min(dw/fbw, dh/fbh)} and guest {@code (gx, gy)} lands at {@code (dx + gx*s, dy + gy*s)}.
 * Matched against remote-viewer screenshots to ±1 px.
 *
 * <p>Immutable; safe to share between threads.
 */
public final class GuestToScreenMapping {

    private final Rect container;
    private final int guestWidth;
    private final int guestHeight;
    private final Rect displayRect;
    private final double scale;

    private GuestToScreenMapping(Rect container, int guestWidth, int guestHeight) {
        this.container = container;
        this.guestWidth = guestWidth;
        this.guestHeight = guestHeight;
        long cw = container.width();
        long ch = container.height();
        int dw;
        int dh;
        // Compare cw/ch with fbw/fbh exactly, in integers, so equal ratios take the same branch every time.
        if (cw * guestHeight > ch * guestWidth) {
            dh = (int) ch;
            dw = (int) Math.round((double) ch * guestWidth / guestHeight);
        } else {
            dw = (int) cw;
            dh = (int) Math.round((double) cw * guestHeight / guestWidth);
        }
        int dx = container.x() + (int) ((cw - dw) / 2);
        int dy = container.y() + (int) ((ch - dh) / 2);
        this.displayRect = new Rect(dx, dy, dw, dh);
        this.scale = Math.min((double) dw / guestWidth, (double) dh / guestHeight);
    }

    /**
     * The letterbox mapping of a {@code guestWidth x guestHeight} display shown in {@code container}
     * (screen pixels).
     *
     * @throws IllegalArgumentException if the container is empty or the guest size is not positive
     */
    public static GuestToScreenMapping letterbox(Rect container, int guestWidth, int guestHeight) {
        Objects.requireNonNull(container, "container");
        if (container.width() <= 0) {
            throw new IllegalArgumentException("container.width must be > 0, got " + container.width());
        }
        if (container.height() <= 0) {
            throw new IllegalArgumentException("container.height must be > 0, got " + container.height());
        }
        if (guestWidth <= 0) {
            throw new IllegalArgumentException("guestWidth must be > 0, got " + guestWidth);
        }
        if (guestHeight <= 0) {
            throw new IllegalArgumentException("guestHeight must be > 0, got " + guestHeight);
        }
        return new GuestToScreenMapping(container, guestWidth, guestHeight);
    }

    /** The same, for a {@link GuestDisplay}. */
    public static GuestToScreenMapping letterbox(Rect container, GuestDisplay display) {
        Objects.requireNonNull(display, "display");
        return letterbox(container, display.width(), display.height());
    }

    public Rect container() {
        return container;
    }

    public int guestWidth() {
        return guestWidth;
    }

    public int guestHeight() {
        return guestHeight;
    }

    /** Where the guest framebuffer is drawn on screen (inside the container, bars excluded). */
    public Rect displayRect() {
        return displayRect;
    }

    /** Screen pixels per guest pixel. */
    public double scale() {
        return scale;
    }

    /** Screen x of guest x (a pixel edge or a sub-pixel position). */
    public double toScreenX(double guestX) {
        return displayRect.x() + guestX * scale;
    }

    /** Screen y of guest y. */
    public double toScreenY(double guestY) {
        return displayRect.y() + guestY * scale;
    }

    /** Guest x under screen x (inverse of {@link #toScreenX}). */
    public double toGuestX(double screenX) {
        return (screenX - displayRect.x()) / scale;
    }

    /** Guest y under screen y. */
    public double toGuestY(double screenY) {
        return (screenY - displayRect.y()) / scale;
    }

    /**
     * The screen rectangle covering a guest rectangle. Each edge is rounded on its own so that
     * rectangles that share an edge in the guest still share it on screen (no gaps, no overlaps).
     * Not clipped: intersect with {@link #displayRect()} to keep what remote-viewer shows.
     */
    public Rect toScreen(Rect guest) {
        Objects.requireNonNull(guest, "guest");
        return Rect.ofEdges(
                edge(toScreenX(guest.x())), edge(toScreenY(guest.y())),
                edge(toScreenX(guest.right())), edge(toScreenY(guest.bottom())));
    }

    /**
     * Every screen pixel a guest rectangle touches, even in part: its edges rounded outwards. Under a
     * fractional scale the pixels along a window's edges are only partly the window's, and Spice's
     * scaler blends the window's own colour into them; what covers the window must cover them too.
     */
    public Rect toScreenCovering(Rect guest) {
        Objects.requireNonNull(guest, "guest");
        // A hair of tolerance: an edge a rounding error past a pixel boundary does not claim the pixel.
        return Rect.ofEdges(
                edge(Math.floor(toScreenX(guest.x()) + 1e-6)),
                edge(Math.floor(toScreenY(guest.y()) + 1e-6)),
                edge(Math.ceil(toScreenX(guest.right()) - 1e-6)),
                edge(Math.ceil(toScreenY(guest.bottom()) - 1e-6)));
    }

    /** A guest region on screen, edge by edge as {@link #toScreen(Rect)}. */
    public Region toScreen(Region guest) {
        Objects.requireNonNull(guest, "guest");
        List<Rect> out = new ArrayList<>(guest.rectCount());
        for (Rect r : guest.rects()) {
            out.add(toScreen(r));
        }
        return Region.of(out);
    }

    private static int edge(double v) {
        long r = Math.round(v);
        if (r < Integer.MIN_VALUE || r > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("screen coordinate " + v + " does not fit in an int");
        }
        return (int) r;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GuestToScreenMapping m
                && container.equals(m.container)
                && guestWidth == m.guestWidth
                && guestHeight == m.guestHeight;
    }

    @Override
    public int hashCode() {
        return Objects.hash(container, guestWidth, guestHeight);
    }

    @Override
    public String toString() {
        return String.format(
                "GuestToScreenMapping[guest %dx%d in container %s -> display %s, scale %.5f]",
                guestWidth, guestHeight, container, displayRect, scale);
    }
}
