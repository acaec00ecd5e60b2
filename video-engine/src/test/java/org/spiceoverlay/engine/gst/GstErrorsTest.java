package org.spiceoverlay.engine.gst;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.spiceoverlay.engine.EngineErrorCode;
import org.spiceoverlay.engine.gst.GstErrors.Domain;

/** GStreamer's error domains and codes as the engine's error codes: the whole table. */
class GstErrorsTest {

    private static EngineErrorCode code(Domain d, int code, String debug, boolean network) {
        return GstErrors.classify(d, code, debug, network).code();
    }

    @Test
    void aMissingDecoderOrAnUnknownFormatIsUnsupported() {
        assertEquals(EngineErrorCode.UNSUPPORTED_CODEC, code(Domain.CORE, GstErrors.CORE_MISSING_PLUGIN, null, false));
        assertEquals(EngineErrorCode.UNSUPPORTED_CODEC, code(Domain.CORE, GstErrors.CORE_NEGOTIATION, null, false));
        assertEquals(EngineErrorCode.UNSUPPORTED_CODEC, code(Domain.CORE, GstErrors.CORE_CAPS, null, false));
        for (int c : new int[] {
            GstErrors.STREAM_NOT_IMPLEMENTED,
            GstErrors.STREAM_TYPE_NOT_FOUND,
            GstErrors.STREAM_WRONG_TYPE,
            GstErrors.STREAM_CODEC_NOT_FOUND,
            GstErrors.STREAM_DECRYPT,
            GstErrors.STREAM_DECRYPT_NOKEY
        }) {
            assertEquals(EngineErrorCode.UNSUPPORTED_CODEC, code(Domain.STREAM, c, null, false), "stream code " + c);
        }
        // A stream that stopped because no decoder output fits.
        assertEquals(
                EngineErrorCode.UNSUPPORTED_CODEC,
                code(
                        Domain.STREAM,
                        GstErrors.STREAM_FAILED,
                        "../libs/gst/base/gstbasesrc.c(3132): gst_base_src_loop (): streaming stopped, reason not-negotiated (-4)",
                        false));
    }

    @Test
    void badDataIsADecodeError() {
        assertEquals(EngineErrorCode.DECODE_ERROR, code(Domain.STREAM, 7, null, false)); // DECODE
        assertEquals(EngineErrorCode.DECODE_ERROR, code(Domain.STREAM, 9, null, false)); // DEMUX
        assertEquals(EngineErrorCode.DECODE_ERROR, code(Domain.STREAM, 11, null, false)); // FORMAT
        assertEquals(
                EngineErrorCode.DECODE_ERROR,
                code(Domain.STREAM, GstErrors.STREAM_FAILED, "streaming stopped, reason error (-5)", false));
        assertEquals(EngineErrorCode.DECODE_ERROR, code(Domain.LIBRARY, 2, null, false)); // INIT
        assertEquals(EngineErrorCode.DECODE_ERROR, code(Domain.CORE, 1, null, false)); // FAILED
    }

    @Test
    void aMissingFileOrAFailingNetworkIsUnavailable() {
        for (int c = 1; c <= 15; c++) {
            assertEquals(EngineErrorCode.RESOURCE_UNAVAILABLE, code(Domain.RESOURCE, c, null, false), "resource " + c);
        }
        assertEquals(
                EngineErrorCode.RESOURCE_UNAVAILABLE,
                code(Domain.STREAM, GstErrors.STREAM_FAILED, "streaming stopped, reason error (-5)", true));
        assertEquals(EngineErrorCode.RESOURCE_UNAVAILABLE, code(Domain.OTHER, 1, null, true));
        assertEquals(EngineErrorCode.DECODE_ERROR, code(Domain.OTHER, 1, null, false));
    }
}
