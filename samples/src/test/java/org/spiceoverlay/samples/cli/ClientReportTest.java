package org.spiceoverlay.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spiceoverlay.media.ClipGenerator;
import org.spiceoverlay.media.PrivateXServer;
import org.spiceoverlay.media.SampleClip;
import org.spiceoverlay.samples.bench.OverlayJava;
import picocli.CommandLine;

/**
 * {@code overlay client --report}: the client in its own process, a clip played to it by
 * {@code overlay play}, the report read after SIGTERM. With a window (on a private Xvfb) it holds
 * what the overlay presented and the latency to on screen; with {@code --no-window} it says that
 * nothing was shown (null, not zeros) and counts what was decoded.
 */
@Tag("integration")
class ClientReportTest {

    @Test
    void withoutWindowTheReportSaysNothingWasPresented(@TempDir Path dir) throws Exception {
        String json = runClientAndPlay(dir, null, "--no-window");

        assertTrue(json.contains("\"output\": \"none\""), json);
        assertTrue(json.contains("\"frames_presented\": null"), "no presented count that looks measured: " + json);
        assertTrue(json.contains("\"latency_ms\": null"), "no latency that looks measured: " + json);
        assertFalse(json.contains("\"p50\""), json);
        assertTrue(number(json, "frames_decoded") > 0, "frames decoded are counted: " + json);
    }

    @Test
    void withWindowTheReportHoldsWhatWasPresented(@TempDir Path dir) throws Exception {
        try (PrivateXServer x = PrivateXServer.start(1024, 768)) {
            String json = runClientAndPlay(dir, x.display(), "--display-rect", "0,0,1024,768");

            assertTrue(json.contains("\"output\": \"window\""), json);
            assertTrue(number(json, "frames_presented") > 0, json);
            assertTrue(number(json, "frames_repeated") >= 0, json);
            double p50 = number(json, "p50");
            assertTrue(p50 > 0 && number(json, "p95") >= p50, "latency sent -> on screen measured: " + json);
        }
    }

    /** Starts the client with {@code clientArgs}, plays a 2 s clip to it, stops it; returns its report. */
    private static String runClientAndPlay(Path dir, String display, String... clientArgs) throws Exception {
        Path clip = ClipGenerator.generate(
                        SampleClip.VP8_480P, Path.of("target", "test-clips"), Duration.ofSeconds(2), false)
                .file();
        Path socket = dir.resolve("client.sock");
        Path report = dir.resolve("report.json");
        Path log = dir.resolve("client.log");
        List<String> cmd = new ArrayList<>(OverlayJava.command(
                List.of(),
                List.of("client", "--listen", "unix:" + socket, "--trust-guest-clock", "--report", report.toString())));
        cmd.addAll(List.of(clientArgs));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        if (display != null) {
            pb.environment().put("DISPLAY", display);
        }
        Process client = pb.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Files.exists(socket)) {
                assertTrue(client.isAlive(), "the client exited: " + Files.readString(log));
                assertTrue(System.nanoTime() < deadline, "the client did not listen: " + Files.readString(log));
                Thread.sleep(50);
            }
            Thread.sleep(200); // the socket file appears a moment before the client accepts on it
            StringWriter out = new StringWriter();
            CommandLine cl = OverlayCommand.commandLine();
            cl.setOut(new PrintWriter(out, true));
            cl.setErr(new PrintWriter(out, true));
            assertEquals(
                    0,
                    cl.execute("play", clip.toString(), "--connect", "unix:" + socket, "--seconds", "6"),
                    out.toString());
        } finally {
            client.destroy(); // SIGTERM: the client closes its streams and writes the report
            if (!client.waitFor(20, TimeUnit.SECONDS)) {
                client.destroyForcibly();
            }
        }
        assertTrue(Files.exists(report), "the client wrote no report; its log:\n" + readOrEmpty(log));
        return Files.readString(report);
    }

    private static String readOrEmpty(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : "";
    }

    private static double number(String json, String key) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\"\\s*:\\s*(-?[0-9.]+)")
                .matcher(json);
        assertTrue(m.find(), "no number \"" + key + "\" in " + json);
        return Double.parseDouble(m.group(1));
    }
}
