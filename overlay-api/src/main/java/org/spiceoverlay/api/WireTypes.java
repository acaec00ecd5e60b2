package org.spiceoverlay.api;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.spiceoverlay.api.thrift.ErrorCode;
import org.spiceoverlay.api.thrift.IRect;
import org.spiceoverlay.api.thrift.OverlayError;

/**
 * Converts between the protocol's wire structs and the validated value types, turning a bad value
 * from the wire into an {@link OverlayError} with code {@code INVALID_ARGUMENT} whose message names
 * the field (e.g. {@code "geometry.videoRect.width must be >= 0, got -4"}).
 *
 * <p>Stateless; safe to call from any thread.
 */
public final class WireTypes {

    private WireTypes() {}

    /** A wire rectangle as a {@link Rect}; {@code field} names it in error messages. */
    public static Rect toRect(IRect wire, String field) throws OverlayError {
        if (wire == null) {
            throw invalid(field + " is missing");
        }
        try {
            return new Rect(wire.getX(), wire.getY(), wire.getWidth(), wire.getHeight());
        } catch (IllegalArgumentException e) {
            throw invalid(field + "." + e.getMessage());
        }
    }

    public static IRect toWire(Rect rect) {
        Objects.requireNonNull(rect, "rect");
        return new IRect(rect.x(), rect.y(), rect.width(), rect.height());
    }

    /**
     * A list of wire rectangles as the {@link Region} they cover.
     *
     * @param maxRects the most rectangles accepted (LIMIT_EXCEEDED beyond)
     */
    public static Region toRegion(List<IRect> wire, String field, int maxRects) throws OverlayError {
        if (wire == null) {
            throw invalid(field + " is missing");
        }
        if (wire.size() > maxRects) {
            throw new OverlayError(
                    ErrorCode.LIMIT_EXCEEDED, field + " has " + wire.size() + " rectangles; the limit is " + maxRects);
        }
        List<Rect> rects = new ArrayList<>(wire.size());
        for (int i = 0; i < wire.size(); i++) {
            rects.add(toRect(wire.get(i), field + "[" + i + "]"));
        }
        return Region.of(rects);
    }

    public static List<IRect> toWire(Region region) {
        Objects.requireNonNull(region, "region");
        List<IRect> out = new ArrayList<>(region.rectCount());
        for (Rect r : region.rects()) {
            out.add(toWire(r));
        }
        return out;
    }

    /** One wire display as a {@link GuestDisplay}. */
    public static GuestDisplay toDisplay(org.spiceoverlay.api.thrift.GuestDisplay wire, String field)
            throws OverlayError {
        if (wire == null) {
            throw invalid(field + " is missing");
        }
        try {
            return new GuestDisplay(wire.getDisplayId(), wire.getX(), wire.getY(), wire.getWidth(), wire.getHeight());
        } catch (IllegalArgumentException e) {
            throw invalid(field + "." + e.getMessage());
        }
    }

    /**
     * A guest's display layout: at least one display, at most {@code maxDisplays}, ids distinct.
     */
    public static List<GuestDisplay> toDisplays(
            List<org.spiceoverlay.api.thrift.GuestDisplay> wire, String field, int maxDisplays) throws OverlayError {
        if (wire == null || wire.isEmpty()) {
            throw invalid(field + " must list at least one display");
        }
        if (wire.size() > maxDisplays) {
            throw new OverlayError(
                    ErrorCode.LIMIT_EXCEEDED, field + " has " + wire.size() + " displays; the limit is " + maxDisplays);
        }
        List<GuestDisplay> out = new ArrayList<>(wire.size());
        Set<Integer> ids = new HashSet<>();
        for (int i = 0; i < wire.size(); i++) {
            GuestDisplay d = toDisplay(wire.get(i), field + "[" + i + "]");
            if (!ids.add(d.displayId())) {
                throw invalid(field + "[" + i + "].displayId " + d.displayId() + " is used by an earlier display");
            }
            out.add(d);
        }
        return List.copyOf(out);
    }

    public static org.spiceoverlay.api.thrift.GuestDisplay toWire(GuestDisplay display) {
        Objects.requireNonNull(display, "display");
        return new org.spiceoverlay.api.thrift.GuestDisplay(display.displayId(), display.width(), display.height())
                .setX(display.x())
                .setY(display.y());
    }

    private static OverlayError invalid(String message) {
        return new OverlayError(ErrorCode.INVALID_ARGUMENT, message);
    }
}
