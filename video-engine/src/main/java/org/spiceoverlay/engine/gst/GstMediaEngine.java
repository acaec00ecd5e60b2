package org.spiceoverlay.engine.gst;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import org.freedesktop.gstreamer.Caps;
import org.freedesktop.gstreamer.Structure;
import org.spiceoverlay.engine.CodecCapability;
import org.spiceoverlay.engine.DecodeSession;
import org.spiceoverlay.engine.EngineErrorCode;
import org.spiceoverlay.engine.EngineException;
import org.spiceoverlay.engine.FrameSink;
import org.spiceoverlay.engine.MediaEngine;
import org.spiceoverlay.engine.SessionListener;
import org.spiceoverlay.engine.SessionSpec;
import org.spiceoverlay.engine.UriPolicy;

/**
 * The GStreamer media engine. Checks a stream before building anything for it (caps parse, a
 * decoder exists, the claimed size is within limits, the URI is allowed), so a bad request is
 * refused with a typed error instead of failing inside a pipeline.
 *
 * <p>Thread-safe; one instance serves every session of the client.
 */
public final class GstMediaEngine implements MediaEngine {

    private final UriPolicy uriPolicy;
    private volatile List<CodecCapability> capabilities;
    private volatile AudioOutput audioOutput;

    /** @param uriPolicy which URI sources guests may open ({@link UriPolicy#denyAll()} by default) */
    public GstMediaEngine(UriPolicy uriPolicy) {
        this.uriPolicy = Objects.requireNonNull(uriPolicy, "uriPolicy");
        GstRuntime.ensureInitialised();
    }

    public GstMediaEngine() {
        this(UriPolicy.denyAll());
    }

    /**
     * Loads the common decoders, probes the sound server and assembles one session on a background
     * thread, so that the first stream a guest opens does not wait for them. Returns at once.
     */
    @Override
    public void warmUp() {
        EngineWarmUp.start(this);
    }

    @Override
    public String description() {
        return GstRuntime.versionString();
    }

    @Override
    public List<CodecCapability> capabilities() {
        List<CodecCapability> c = capabilities;
        if (c == null) {
            synchronized (this) {
                c = capabilities;
                if (c == null) {
                    c = CodecProbe.probe();
                    capabilities = c;
                }
            }
        }
        return c;
    }

    public UriPolicy uriPolicy() {
        return uriPolicy;
    }

    @Override
    public String whyUndecodable(String caps) {
        Caps parsed;
        try {
            parsed = SessionPipeline.parseCaps(caps, "caps");
        } catch (EngineException e) {
            return e.getMessage();
        }
        String media = parsed.getStructure(0).getName();
        if (media.equals("video/x-raw") || media.equals("audio/x-raw")) {
            return "caps " + media + " is uncompressed; send the compressed stream";
        }
        for (CodecCapability c : capabilities()) {
            if (c.mediaType().equals(media)) {
                return null;
            }
        }
        return "no decoder on this client for caps \"" + caps + "\"";
    }

    @Override
    public DecodeSession open(SessionSpec spec, FrameSink sink, SessionListener listener) throws EngineException {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(sink, "sink");
        Objects.requireNonNull(listener, "listener");
        URI uri = null;
        switch (spec.source()) {
            case SAMPLES -> {
                checkTrack(spec.videoCaps(), "videoCaps", "video/", spec);
                if (spec.audioCaps() != null) {
                    checkTrack(spec.audioCaps(), "audioCaps", "audio/", spec);
                }
            }
            case BYTES -> {
                if (spec.containerCaps() != null) {
                    String why = whyUndecodable(spec.containerCaps());
                    if (why != null) {
                        throw new EngineException(EngineErrorCode.UNSUPPORTED_CODEC, why);
                    }
                }
            }
            case URI -> uri = uriPolicy.check(spec.uri());
            default -> throw new EngineException(EngineErrorCode.INVALID_ARGUMENT, "source " + spec.source());
        }
        return new GstDecodeSession(spec, sink, listener, this::audio, uri);
    }

    private void checkTrack(String caps, String field, String mediaPrefix, SessionSpec spec) throws EngineException {
        Caps parsed = SessionPipeline.parseCaps(caps, field);
        Structure s = parsed.getStructure(0);
        if (!s.getName().startsWith(mediaPrefix)) {
            throw new EngineException(
                    EngineErrorCode.INVALID_ARGUMENT,
                    field + " \"" + s.getName() + "\" is not " + mediaPrefix + "* media");
        }
        String why = whyUndecodable(caps);
        if (why != null) {
            throw new EngineException(EngineErrorCode.UNSUPPORTED_CODEC, why);
        }
        if (mediaPrefix.equals("video/")) {
            int w = s.hasIntField("width") ? s.getInteger("width") : 0;
            int h = s.hasIntField("height") ? s.getInteger("height") : 0;
            if (w > spec.maxWidth() || h > spec.maxHeight()) {
                throw new EngineException(
                        EngineErrorCode.LIMIT_EXCEEDED,
                        field + " claims " + w + "x" + h + "; this client decodes at most " + spec.maxWidth() + "x"
                                + spec.maxHeight());
            }
            if (w < 0 || h < 0) {
                throw new EngineException(
                        EngineErrorCode.INVALID_ARGUMENT, field + " claims a negative size " + w + "x" + h);
            }
        }
    }

    private AudioOutput audio() {
        AudioOutput a = audioOutput;
        if (a == null) {
            synchronized (this) {
                a = audioOutput;
                if (a == null) {
                    a = AudioOutput.probe();
                    audioOutput = a;
                }
            }
        }
        return a;
    }

    @Override
    public String toString() {
        return "GstMediaEngine[" + uriPolicy + "]";
    }
}
