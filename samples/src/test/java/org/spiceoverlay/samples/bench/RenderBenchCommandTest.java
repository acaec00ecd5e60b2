package org.spiceoverlay.samples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spiceoverlay.samples.cli.OverlayCommand;
import picocli.CommandLine;

/** {@code overlay render-bench} end to end on a tiny frame (offscreen: no X server needed). */
@Tag("integration")
class RenderBenchCommandTest {

    private record Run(int exit, String out, String err) {}

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
    void printsTheTableAndWritesJson(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("bench.json");
        Run r = run(
                "render-bench",
                "--size",
                "160x90",
                "--format",
                "I420",
                "--upload",
                "pbo",
                "--frames",
                "5",
                "--warmup",
                "1",
                "--json",
                json.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(
                r.out().contains("memcpy")
                        && r.out().contains("present")
                        && r.out().contains("valid: yes"),
                r.out());
        String written = Files.readString(json);
        assertTrue(written.contains("\"benchmark\": \"render-bench\"") && written.contains("\"valid\": true"), written);
        assertTrue(written.contains("\"copiesPerFrame\": 2"), written);
    }

    @Test
    void badOptionsAreUsageErrors() {
        Run format = run("render-bench", "--format", "YUY2");
        assertEquals(CommandLine.ExitCode.USAGE, format.exit());
        assertTrue(format.err().contains("--format"), format.err());
        Run size = run("render-bench", "--size", "big");
        assertEquals(CommandLine.ExitCode.USAGE, size.exit());
        assertTrue(size.err().contains("--size"), size.err());
        Run upload = run("render-bench", "--upload", "dma");
        assertEquals(CommandLine.ExitCode.USAGE, upload.exit());
    }
}
