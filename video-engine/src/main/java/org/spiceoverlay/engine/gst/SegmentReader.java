package org.spiceoverlay.engine.gst;

import com.sun.jna.Pointer;
import org.freedesktop.gstreamer.event.Event;
import org.freedesktop.gstreamer.event.SegmentEvent;
import org.freedesktop.gstreamer.lowlevel.GstAPI;
import org.freedesktop.gstreamer.lowlevel.GstEventAPI;

/**
 * Reads the segment out of a SEGMENT event seen by a pad probe. The bindings reuse a Java wrapper
 * for a native address that held another event before, so {@code instanceof SegmentEvent} alone
 * can be wrong; a segment that parses is certain (the native parser refuses other event types).
 *
 * <p>Stateless; any thread (called from streaming threads).
 */
final class SegmentReader {

    /** The fields of a segment this project uses. */
    record Segment(long start, long time, double rate) {
        /** Where media time 0 is on the pts timeline (never negative). */
        long offset() {
            return Math.max(0, start - time);
        }
    }

    private SegmentReader() {}

    /**
     * The event's segment, or null when it is not a segment event; then releases the wrapper, so
     * that a later event at the same native address gets a wrapper of its own type.
     */
    static Segment readAndRelease(Event event) {
        try {
            return read(event);
        } finally {
            event.dispose();
        }
    }

    /** The event's segment, or null when it is not a segment event. */
    static Segment read(Event event) {
        if (!(event instanceof SegmentEvent)) {
            return null;
        }
        Pointer[] out = new Pointer[1];
        GstEventAPI.GSTEVENT_API.gst_event_parse_segment(event, out);
        if (out[0] == null) {
            return null;
        }
        GstAPI.GstSegmentStruct s = new GstAPI.GstSegmentStruct(out[0]);
        s.read();
        return new Segment(s.start, s.time, s.rate);
    }
}
