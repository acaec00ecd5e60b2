package org.spiceoverlay.samples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spiceoverlay.samples.cli.OverlayCommand;
import picocli.CommandLine;

/**
 * {@code overlay bench} end to end on real Spice sessions (Xspice + remote-viewer), with the small
 * A/V clip: redirect (LIVE) against hairpin (MJPEG streaming forced). What a user of the bench
 * relies on: it exits 0 and writes JSON and a PNG; redirection sends about the clip's own bytes
 * while hair-pinning sends several times more; the redirected picture is bit-identical at 1:1 and
 * the re-encoded one is not; frames showed on the client screen in both; the guest does far less
 * work with redirection. No timing is asserted.
 */
@Tag("integration")
class BenchCommandTest {

    @TempDir
    Path work;

    @Test
    void redirectAgainstHairpinOnRealSpiceSessions() throws Exception {
        Path json = work.resolve("bench.json");
        Path chart = work.resolve("bench.png");
        StringWriter out = new StringWriter();
        CommandLine cli = OverlayCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(out, true));
        int exit = cli.execute(
                "bench",
                "--clip",
                "av-360p",
                "--seconds",
                "12",
                "--warmup",
                "3",
                "--modes",
                "redirect-live,hairpin-mjpeg",
                "--json",
                json.toString(),
                "--chart",
                chart.toString());
        System.out.println(out);
        assertEquals(0, exit, "bench exit status; output:\n" + out);
        assertTrue(Files.size(chart) > 10_000, "a chart was drawn");
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        JsonNode redirect = root.path("modes").get(0);
        JsonNode hairpin = root.path("modes").get(1);
        assertEquals("redirect-live", redirect.path("mode").asText());
        assertEquals("hairpin-mjpeg", hairpin.path("mode").asText());

        double redirectTimes = redirect.path("x_source").asDouble();
        double hairpinTimes = hairpin.path("x_source").asDouble();
        assertTrue(redirectTimes > 0.8 && redirectTimes < 1.3, "redirect sends the clip's own bytes: " + redirectTimes);
        assertTrue(hairpinTimes > 2 * redirectTimes, "hair-pinning sends more: " + hairpinTimes);
        assertTrue(hairpin.path("bytes_by_channel").path("spice").asLong() > 0);
        assertEquals(0, hairpin.path("bytes_by_channel").path("overlay").asLong());

        assertTrue(redirect.path("psnr_frames").asInt() > 0);
        assertEquals(
                redirect.path("psnr_frames").asInt(),
                redirect.path("psnr_frames_identical").asInt(),
                "the redirected picture is the clip's own");
        assertTrue(hairpin.path("psnr_db").asDouble() < PictureQuality.IDENTICAL_DB, "MJPEG is lossy");
        for (JsonNode m : root.path("modes")) {
            assertTrue(m.path("frames_shown").asInt() > 30, m.path("mode") + " showed frames");
            assertTrue(m.path("lag_ms").path("p50").isNumber(), m.path("mode") + " lag measured");
            assertTrue(m.path("reaction_ms").path("pause").isNumber(), m.path("mode") + " pause reaction measured");
        }
        assertTrue(
                redirect.path("guest_cpu_s").path("steady").asDouble()
                        < hairpin.path("guest_cpu_s").path("steady").asDouble(),
                "redirection spares the guest");
    }
}
