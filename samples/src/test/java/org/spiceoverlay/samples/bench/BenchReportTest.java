package org.spiceoverlay.samples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The bench's report format: every figure the JSON promises is there for every mode, measured or
 * null (never a made-up number), and the mode list parses as documented.
 */
class BenchReportTest {

    private static final List<String> FIELDS = List.of(
            "bytes_on_wire",
            "mbit_s",
            "x_source",
            "guest_cpu_s/total",
            "guest_cpu_s/steady",
            "client_cpu_s/total",
            "client_cpu_s/steady",
            "lag_ms/p50",
            "lag_ms/p95",
            "lag_ms/p99",
            "frames_shown",
            "frames_skipped",
            "frames_repeated",
            "av_offset_ms/p50",
            "av_offset_ms/max",
            "av_offset_ms/after_resume/p50",
            "av_offset_ms/after_seek/max",
            "psnr_db",
            "reaction_ms/pause",
            "reaction_ms/seek");

    @Test
    void everyFieldIsPresentMeasuredOrNull() {
        ModeResult measured = new ModeResult(BenchMode.REDIRECT_LIVE);
        measured.bytesOnWire = 1234;
        measured.mbitPerSecond = 4.04;
        measured.timesSource = 1.01;
        measured.cpu.put("guest:player", new double[] {3.0, 0.5});
        measured.cpu.put("client:client service", new double[] {9.0, 2.0});
        measured.lagsMs = new double[] {10, 20, 30, 40};
        measured.framesShown = 4;
        measured.avOffsetsMs = new double[] {-5, 7, 3};
        measured.avAfterResumeMs = new double[] {-12};
        measured.avAfterSeekMs = new double[] {4, -9};
        measured.psnrDb = 100;
        measured.pauseReactionMs = 40;
        measured.seekReactionMs = 200;
        ModeResult empty = new ModeResult(BenchMode.LOCAL_GL);
        ObjectMapper json = new ObjectMapper();
        JsonNode m = measured.toJson(json);
        JsonNode e = empty.toJson(json);
        for (String f : FIELDS) {
            JsonNode a = at(m, f);
            JsonNode b = at(e, f);
            assertTrue(a != null && !a.isMissingNode() && a.isNumber(), f + " measured: " + a);
            assertTrue(b != null && !b.isMissingNode() && (b.isNumber() || b.isNull()), f + " unmeasured: " + b);
        }
        assertEquals(20.0, at(m, "lag_ms/p50").asDouble());
        assertEquals(40.0, at(m, "lag_ms/p99").asDouble());
        assertEquals(3.0, at(m, "av_offset_ms/p50").asDouble());
        assertEquals(7.0, at(m, "av_offset_ms/max").asDouble());
        assertEquals(-12.0, at(m, "av_offset_ms/after_resume/p50").asDouble());
        assertEquals(-9.0, at(m, "av_offset_ms/after_seek/max").asDouble());
        assertEquals(2, at(m, "av_offset_ms/after_seek/beeps").asInt());
        assertEquals(0.5, at(m, "guest_cpu_s/steady").asDouble());
        assertTrue(at(e, "lag_ms/p50").isNull(), "no lag measured is null, not 0");
        assertTrue(at(e, "psnr_db").isNull());
    }

    @Test
    void modesParseByGroupAndName() {
        assertEquals(
                List.of(
                        BenchMode.REDIRECT_BUFFERED,
                        BenchMode.REDIRECT_LIVE,
                        BenchMode.HAIRPIN_FILTER,
                        BenchMode.HAIRPIN_MJPEG,
                        BenchMode.LOCAL_XIMAGE,
                        BenchMode.LOCAL_GL),
                BenchMode.parse(List.of("redirect", "hairpin", "local")));
        assertEquals(
                List.of(BenchMode.HAIRPIN_H264, BenchMode.LOCAL_GL),
                BenchMode.parse(List.of("local-glimagesink", "hairpin-h264")));
        IllegalArgumentException x =
                assertThrows(IllegalArgumentException.class, () -> BenchMode.parse(List.of("hairpin-av1")));
        assertTrue(
                x.getMessage().contains("unknown mode 'hairpin-av1'")
                        && x.getMessage().contains("hairpin-mjpeg"),
                x.getMessage());
    }

    private static JsonNode at(JsonNode root, String path) {
        JsonNode n = root;
        for (String p : path.split("/")) {
            n = n.get(p);
            if (n == null) {
                return null;
            }
        }
        return n;
    }
}
