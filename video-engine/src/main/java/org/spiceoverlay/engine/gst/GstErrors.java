package org.spiceoverlay.engine.gst;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import org.freedesktop.gstreamer.glib.GQuark;
import org.freedesktop.gstreamer.lowlevel.GlibAPI;
import org.freedesktop.gstreamer.lowlevel.GstAPI;
import org.freedesktop.gstreamer.lowlevel.GstMessageAPI;
import org.freedesktop.gstreamer.message.Message;
import org.spiceoverlay.engine.EngineErrorCode;

/**
 * GStreamer's errors as the engine's: a bus ERROR message carries a GError whose domain (core,
 * library, resource, stream) and code say what failed, independent of the language the message is
 * written in. {@link #classify} maps them (a pure function); {@link #parse} reads them from a
 * message.
 *
 * <p>Stateless; any thread.
 */
final class GstErrors {

    /** The GStreamer error domains ({@code GST_CORE_ERROR} ...). */
    enum Domain {
        CORE,
        LIBRARY,
        RESOURCE,
        STREAM,
        OTHER
    }

    /** An ERROR message: its domain and code, its message and the element's debug text. */
    record BusError(Domain domain, int code, String message, String debug) {}

    /** What the engine reports: its code, and what it means for the stream, for the message. */
    record Verdict(EngineErrorCode code, String what) {}

    // GstCoreError
    static final int CORE_NEGOTIATION = 7;
    static final int CORE_CAPS = 10;
    static final int CORE_MISSING_PLUGIN = 12;
    // GstStreamError
    static final int STREAM_FAILED = 1;
    static final int STREAM_NOT_IMPLEMENTED = 3;
    static final int STREAM_TYPE_NOT_FOUND = 4;
    static final int STREAM_WRONG_TYPE = 5;
    static final int STREAM_CODEC_NOT_FOUND = 6;
    static final int STREAM_DECRYPT = 12;
    static final int STREAM_DECRYPT_NOKEY = 13;

    private static final Verdict UNSUPPORTED =
            new Verdict(EngineErrorCode.UNSUPPORTED_CODEC, "cannot decode this stream");
    private static final Verdict UNAVAILABLE =
            new Verdict(EngineErrorCode.RESOURCE_UNAVAILABLE, "a resource the stream needs is unavailable");
    private static final Verdict UNDECODABLE =
            new Verdict(EngineErrorCode.DECODE_ERROR, "the stream's data cannot be decoded");

    private GstErrors() {}

    /**
     * The engine's verdict on an error.
     *
     * @param debug the element's debug text: for a stream that stopped with a flow error
     *        (STREAM FAILED) it names the flow return ({@code not-negotiated}: no decoder output
     *        fits), a GStreamer token rather than prose
     * @param networkSource whether the element is a source that fetches over a network
     */
    static Verdict classify(Domain domain, int code, String debug, boolean networkSource) {
        switch (domain) {
            case CORE -> {
                if (code == CORE_MISSING_PLUGIN || code == CORE_NEGOTIATION || code == CORE_CAPS) {
                    return UNSUPPORTED;
                }
                return UNDECODABLE;
            }
            case STREAM -> {
                switch (code) {
                    case STREAM_NOT_IMPLEMENTED,
                            STREAM_TYPE_NOT_FOUND,
                            STREAM_WRONG_TYPE,
                            STREAM_CODEC_NOT_FOUND,
                            STREAM_DECRYPT,
                            STREAM_DECRYPT_NOKEY -> {
                        return UNSUPPORTED;
                    }
                    case STREAM_FAILED -> {
                        if (debug != null && debug.contains("not-negotiated")) {
                            return UNSUPPORTED;
                        }
                        return networkSource ? UNAVAILABLE : UNDECODABLE;
                    }
                    default -> {
                        return UNDECODABLE;
                    }
                }
            }
            case RESOURCE -> {
                return UNAVAILABLE;
            }
            case LIBRARY -> {
                return UNDECODABLE;
            }
            default -> {
                return networkSource ? UNAVAILABLE : UNDECODABLE;
            }
        }
    }

    /** The GError of an ERROR message (freed here). */
    static BusError parse(Message message) {
        PointerByReference err = new PointerByReference();
        PointerByReference debug = new PointerByReference();
        GstMessageAPI.GSTMESSAGE_API.gst_message_parse_error(message, err, debug);
        Pointer e = err.getValue();
        Pointer d = debug.getValue();
        try {
            if (e == null) {
                return new BusError(Domain.OTHER, 0, "(no error)", d == null ? null : d.getString(0));
            }
            GstAPI.GErrorStruct s = new GstAPI.GErrorStruct(e);
            s.read();
            return new BusError(domainOf(s.domain), s.code, s.message, d == null ? null : d.getString(0));
        } finally {
            if (e != null) {
                GlibAPI.GLIB_API.g_error_free(e);
            }
            if (d != null) {
                GlibAPI.GLIB_API.g_free(d);
            }
        }
    }

    private static Domain domainOf(int quark) {
        if (quark == Quarks.CORE) {
            return Domain.CORE;
        } else if (quark == Quarks.LIBRARY) {
            return Domain.LIBRARY;
        } else if (quark == Quarks.RESOURCE) {
            return Domain.RESOURCE;
        } else if (quark == Quarks.STREAM) {
            return Domain.STREAM;
        }
        return Domain.OTHER;
    }

    /** The domains' quarks, looked up once GStreamer is loaded. */
    private static final class Quarks {
        static final int CORE = GQuark.valueOf("gst-core-error-quark").intValue();
        static final int LIBRARY = GQuark.valueOf("gst-library-error-quark").intValue();
        static final int RESOURCE = GQuark.valueOf("gst-resource-error-quark").intValue();
        static final int STREAM = GQuark.valueOf("gst-stream-error-quark").intValue();
    }
}
