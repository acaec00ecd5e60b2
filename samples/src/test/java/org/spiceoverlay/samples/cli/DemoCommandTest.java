package org.spiceoverlay.samples.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The demo end to end on its embedded Spice session (Xspice guest display, remote-viewer on a
 * private Xvfb): client service in its own process following remote-viewer, the sample player in a
 * guest window; the report says what was sent and shown and how far the video is from where
 * remote-viewer shows the player window.
 */
@Tag("integration")
class DemoCommandTest {

    private static long field(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*([0-9]+)").matcher(json);
        assertTrue(m.find(), key + " in " + json);
        return Long.parseLong(m.group(1));
    }

    @Test
    void headlessDemoShowsTheClip(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("r.json");
        Path shot = dir.resolve("s.png");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = OverlayCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(
                "demo", "--headless", "--seconds", "4", "--report", report.toString(), "--screenshot", shot.toString());
        String json = Files.exists(report) ? Files.readString(report) : "";
        assertTrue(Files.exists(report), "report written; exit " + exit + "\n" + out + err);
        long sent = field(json, "frames_sent");
        long presented = field(json, "frames_presented");
        assertTrue(sent >= 90, "about 4 s of 30 fps sent: " + json);
        // Most frames reach the screen (the acceptance figure, >= 95 %, is measured by the demo itself).
        assertTrue(presented * 2 > sent, "frames shown: " + json + "\n" + out);
        assertTrue(Files.size(shot) > 1000, "screenshot saved");
        long error = field(json, "placement_error_px");
        assertTrue(error <= 1, "video within 1 px of the player window's place in remote-viewer: " + json + "\n" + out);
        assertTrue(out.toString().contains("0 probe pixels left uncovered"), out.toString());
    }

    @Test
    void firstFormWithoutSpice(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("r.json");
        StringWriter out = new StringWriter();
        CommandLine cl = OverlayCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(out, true));
        int exit = cl.execute("demo", "--no-spice", "--headless", "--seconds", "3", "--report", report.toString());
        String json = Files.exists(report) ? Files.readString(report) : "";
        assertTrue(Files.exists(report), "report written; exit " + exit + "\n" + out);
        assertTrue(field(json, "frames_presented") * 2 > field(json, "frames_sent"), json);
        assertTrue(!json.contains("placement_error_px"), "nothing to place without Spice: " + json);
    }
}
