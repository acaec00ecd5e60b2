package org.spiceoverlay.engine.gst;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.freedesktop.gstreamer.Caps;
import org.freedesktop.gstreamer.ElementFactory;
import org.freedesktop.gstreamer.PadDirection;
import org.freedesktop.gstreamer.PluginFeature;
import org.freedesktop.gstreamer.StaticPadTemplate;
import org.freedesktop.gstreamer.Structure;
import org.spiceoverlay.engine.CodecCapability;

/**
 * Reads from the GStreamer registry which compressed formats this machine can decode (decoders'
 * sink pad templates) and which containers it can demux. What decodebin would plug is what counts:
 * factories of at least marginal rank.
 *
 * <p>Call on any thread after {@link GstRuntime#ensureInitialised()}; the result is immutable.
 */
final class CodecProbe {

    private CodecProbe() {}

    static List<CodecCapability> probe() {
        GstRuntime.ensureInitialised();
        Map<String, CodecCapability> found = new LinkedHashMap<>();
        collect(ElementFactory.ListType.DECODER, found, false);
        collect(ElementFactory.ListType.DEMUXER, found, true);
        return List.copyOf(new ArrayList<>(found.values()));
    }

    private static void collect(ElementFactory.ListType type, Map<String, CodecCapability> found, boolean containers) {
        // Sorted by rank, highest first: the first factory seen for a media type is the one decodebin picks.
        for (ElementFactory f : ElementFactory.listGetElements(type, PluginFeature.Rank.MARGINAL)) {
            String klass = f.getKlass();
            boolean video = klass.contains("Video");
            boolean audio = klass.contains("Audio");
            if (!containers && !video && !audio) {
                continue;
            }
            for (StaticPadTemplate t : f.getStaticPadTemplates()) {
                if (t.getDirection() != PadDirection.SINK) {
                    continue;
                }
                Caps caps = t.getCaps();
                if (caps == null || caps.isAny() || caps.isEmpty()) {
                    continue;
                }
                for (int i = 0; i < caps.size(); i++) {
                    Structure s = caps.getStructure(i);
                    String media = s.getName();
                    CodecCapability.Kind kind;
                    if (containers) {
                        kind = CodecCapability.Kind.CONTAINER;
                    } else if (media.startsWith("video/") || media.startsWith("image/")) {
                        kind = CodecCapability.Kind.VIDEO;
                    } else if (media.startsWith("audio/")) {
                        kind = CodecCapability.Kind.AUDIO;
                    } else {
                        continue;
                    }
                    if (media.equals("video/x-raw") || media.equals("audio/x-raw")) {
                        continue;
                    }
                    if (s.hasField("codec-alpha")) {
                        continue; // wrappers for streams with an alpha channel only; not the plain decoder
                    }
                    found.putIfAbsent(kind + " " + media, new CodecCapability(kind, media, f.getName()));
                }
            }
        }
    }
}
