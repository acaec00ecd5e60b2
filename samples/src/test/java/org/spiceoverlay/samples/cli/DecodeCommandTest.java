package org.spiceoverlay.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spiceoverlay.media.ClipGenerator;
import org.spiceoverlay.media.SampleClip;
import picocli.CommandLine;

/**
 * {@code overlay decode} run in-process through picocli on a real, freshly generated sample clip:
 * what a user reads (the printed report, the JSON file, the exit status).
 */
@Tag("integration")
class DecodeCommandTest {

    private static final Duration LENGTH = Duration.ofSeconds(2);
    private static final SampleClip CLIP = SampleClip.VP8_480P;

    @TempDir
    static Path dir;

    private static Path clip;

    private record Run(int exit, String out, String err) {}

    @BeforeAll
    static void generateClip() throws Exception {
        clip = ClipGenerator.generate(CLIP, dir, LENGTH, false).file();
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = OverlayCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void decodesEveryFrameInOrderAndSaysSoInTextAndJson() throws Exception {
        int frames = CLIP.frameCount(LENGTH);
        Path json = dir.resolve("report.json");

        Run r = run("decode", clip.toString(), "--json", json.toString());

        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("complete and in order: 0.." + (frames - 1) + " (" + frames + " frames)"), r.out());
        assertTrue(r.out().contains(frames + " taken, " + frames + " video samples in the file"), r.out());
        assertTrue(r.out().contains("video/x-vp8 854x480"), r.out());
        assertTrue(r.out().contains("result          OK (exit 0)"), r.out());

        String j = Files.readString(json, StandardCharsets.UTF_8);
        assertEquals("COMPLETE_IN_ORDER", stringField(j, "verdict"), j);
        assertEquals(frames, intField(j, "frames"), j);
        assertEquals(frames, intField(j, "videoSamples"), j);
        assertEquals(frames, intField(j, "expectedFrames"), j);
        assertEquals(0, intField(j, "firstNumber"), j);
        assertEquals(frames - 1, intField(j, "lastNumber"), j);
        assertEquals(0, intField(j, "missingCount"), j);
        assertEquals(0, intField(j, "exitCode"), j);
        assertTrue(j.contains("\"completeInOrder\": true"), j);
        assertTrue(j.contains("\"errors\": []"), j);
    }

    @Test
    void aMissingFileIsAUsageErrorNamingTheFile() {
        Path missing = dir.resolve("no-such-clip.mp4");

        Run r = run("decode", missing.toString());

        assertEquals(CommandLine.ExitCode.USAGE, r.exit(), r.out() + r.err());
        assertTrue(
                r.err().contains("no such file")
                        && r.err().contains(missing.toAbsolutePath().toString()),
                r.err());
        assertEquals("", r.out());
    }

    @Test
    void anUnknownFormatIsAUsageErrorListingTheFormats() {
        Run r = run("decode", clip.toString(), "--format", "YUY2");

        assertEquals(CommandLine.ExitCode.USAGE, r.exit(), r.err());
        assertTrue(r.err().contains("unknown format 'YUY2'") && r.err().contains("BGRx"), r.err());
    }

    /** The first {@code "name": "value"} in the JSON text. */
    private static String stringField(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\": \"([^\"]*)\"").matcher(json);
        assertTrue(m.find(), "no string field " + name + " in " + json);
        return m.group(1);
    }

    /** The first {@code "name": number} in the JSON text. */
    private static int intField(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\": (-?\\d+)").matcher(json);
        assertTrue(m.find(), "no number field " + name + " in " + json);
        return Integer.parseInt(m.group(1));
    }
}
