package org.spiceoverlay.samples.bench;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parts of a GStreamer caps string a person reads first: the media type and, for video, the
 * size, e.g. {@code video/x-h264 1280x720} out of
 * {@code "video/x-h264, stream-format=(string)avc, ..., width=(int)1280, height=(int)720, ..."}.
 * Read from the string alone, so the command line needs no GStreamer type.
 *
 * <p>Immutable; any thread.
 *
 * @param mediaType e.g. "video/x-h264"; empty for an empty caps string
 * @param width     width in pixels, or 0 when the caps do not say
 * @param height    height in pixels, or 0 when the caps do not say
 */
public record CapsSummary(String mediaType, int width, int height) {

    private static final Pattern WIDTH = Pattern.compile("(?:^|[,\\s])width=(?:\\(int\\))?(\\d+)");
    private static final Pattern HEIGHT = Pattern.compile("(?:^|[,\\s])height=(?:\\(int\\))?(\\d+)");

    /** @param caps a caps string, or null */
    static CapsSummary of(String caps) {
        if (caps == null || caps.isBlank()) {
            return new CapsSummary("", 0, 0);
        }
        int comma = caps.indexOf(',');
        String media = (comma < 0 ? caps : caps.substring(0, comma)).trim();
        return new CapsSummary(media, intField(WIDTH, caps), intField(HEIGHT, caps));
    }

    private static int intField(Pattern p, String caps) {
        Matcher m = p.matcher(caps);
        if (!m.find()) {
            return 0;
        }
        try {
            return Integer.parseInt(m.group(1));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** "video/x-h264 1280x720", or the media type alone when the size is unknown. */
    @Override
    public String toString() {
        return width > 0 && height > 0 ? mediaType + " " + width + "x" + height : mediaType;
    }
}
