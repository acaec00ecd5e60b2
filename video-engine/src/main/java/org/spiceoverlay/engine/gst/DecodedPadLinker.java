package org.spiceoverlay.engine.gst;

import org.freedesktop.gstreamer.Caps;
import org.freedesktop.gstreamer.Element;
import org.freedesktop.gstreamer.Pad;
import org.freedesktop.gstreamer.Structure;
import org.spiceoverlay.engine.EngineErrorCode;
import org.spiceoverlay.engine.SessionSpec;

/**
 * Links the pads decodebin adds to a session's pipeline: the first video stream to the video
 * chain (refused, as LIMIT_EXCEEDED, when it decodes larger than the spec allows), the first audio
 * stream to the audio chain when the session plays audio, any other stream to a discarding sink.
 * Runs on a streaming thread: failures go to the session's event thread, nothing is thrown.
 */
final class DecodedPadLinker implements Element.PAD_ADDED {

    private final SessionSpec spec;
    private final SessionEvents events;
    private volatile SessionPipeline pipeline;
    private volatile boolean videoLinked;
    private volatile boolean audioLinked;

    DecodedPadLinker(SessionSpec spec, SessionEvents events) {
        this.spec = spec;
        this.events = events;
    }

    /** The pipeline to link into; set once it is built, before it leaves the NULL state. */
    void attach(SessionPipeline built) {
        this.pipeline = built;
    }

    private SessionPipeline p() {
        SessionPipeline built = pipeline;
        if (built == null) {
            throw new IllegalStateException("a decoded stream appeared before the pipeline was built");
        }
        return built;
    }

    /** A decoded stream appeared (a streaming thread: hand off, never throw). */
    @Override
    public void padAdded(Element element, Pad pad) {
        try {
            Caps caps = pad.getCurrentCaps();
            if (caps == null) {
                caps = pad.queryCaps(null);
            }
            Structure s = caps == null || caps.size() == 0 ? null : caps.getStructure(0);
            String media = s == null ? "" : s.getName();
            if (media.startsWith("video/") && !videoLinked) {
                if (s.hasIntField("width")
                        && s.hasIntField("height")
                        && (s.getInteger("width") > spec.maxWidth() || s.getInteger("height") > spec.maxHeight())) {
                    String msg = "the stream decodes to " + s.getInteger("width") + "x" + s.getInteger("height")
                            + ", over this client's limit of " + spec.maxWidth() + "x" + spec.maxHeight();
                    events.post(() -> events.fail(EngineErrorCode.LIMIT_EXCEEDED, msg));
                    return;
                }
                pad.link(p().videoConvert.getStaticPad("sink"));
                videoLinked = true;
            } else if (media.startsWith("audio/") && p().audioHead != null && !audioLinked) {
                pad.link(p().audioHead.getStaticPad("sink"));
                audioLinked = true;
            } else {
                pad.link(p().discardSink().getStaticPad("sink"));
            }
        } catch (RuntimeException e) {
            String msg = "could not connect a decoded stream: " + e.getMessage();
            events.post(() -> events.fail(EngineErrorCode.INTERNAL, msg));
        }
    }
}
