package org.spiceoverlay.render;

import java.util.Objects;
import org.spiceoverlay.api.Rect;
import org.spiceoverlay.api.Region;

/**
 * Where a stream is drawn on the screen: the rectangle its video fills (the guest's video window,
 * in screen pixels), the part of it that is visible (what other windows do not cover, in screen
 * pixels), and whether it is hidden altogether. The picture is letterboxed inside {@link #rect()}
 * by the frame's display aspect ratio ({@link Letterbox}); only pixels in {@link #shownRegion()}
 * are drawn.
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param rect    the video rectangle on the screen, in screen pixels
 * @param visible the visible part, in screen pixels; whatever lies outside {@code rect} is ignored
 * @param hidden  true to show nothing, whatever the other two say
 */
public record Placement(Rect rect, Region visible, boolean hidden) {

    /** Nothing shown. */
    public static final Placement HIDDEN = new Placement(Rect.EMPTY, Region.EMPTY, true);

    public Placement {
        Objects.requireNonNull(rect, "rect");
        Objects.requireNonNull(visible, "visible");
    }

    /** The whole rectangle visible. */
    public static Placement of(Rect rect) {
        Objects.requireNonNull(rect, "rect");
        return new Placement(rect, Region.of(rect), false);
    }

    /** The rectangle with only {@code visible} of it showing. */
    public static Placement of(Rect rect, Region visible) {
        return new Placement(rect, visible, false);
    }

    /** The pixels that are drawn: the visible region inside the rectangle, or none when hidden. */
    public Region shownRegion() {
        return hidden || rect.isEmpty() ? Region.EMPTY : visible.intersect(rect);
    }

    /** Whether any pixel is drawn. */
    public boolean isShown() {
        return !shownRegion().isEmpty();
    }

    @Override
    public String toString() {
        return hidden ? "Placement[hidden]" : "Placement[" + rect + ", visible " + visible + "]";
    }
}
