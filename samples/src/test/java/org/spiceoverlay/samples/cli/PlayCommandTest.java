package org.spiceoverlay.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The sample player's errors a user sees. */
class PlayCommandTest {

    private record Run(int exit, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = OverlayCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return new Run(cl.execute(args), out.toString(), err.toString());
    }

    @Test
    void missingClipIsAUsageError(@TempDir Path dir) {
        Run r = run("play", dir.resolve("nope.mp4").toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("no such file") && r.err().contains("nope.mp4"), r.err());
    }

    @Test
    void unreachableClientIsReportedWithTheEndpoint(@TempDir Path dir) throws Exception {
        Path clip = Files.write(dir.resolve("x.mp4"), new byte[] {1, 2, 3});
        Path socket = dir.resolve("nobody.sock");
        Run r = run("play", clip.toString(), "--connect", "unix:" + socket, "--connect-wait", "0.5");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("nobody.sock") && r.err().contains("waited 0.5 s"), r.err());
    }

    @Test
    void aNegativeConnectWaitIsAUsageError(@TempDir Path dir) throws Exception {
        Path clip = Files.write(dir.resolve("x.mp4"), new byte[] {1, 2, 3});
        Run r = run("play", clip.toString(), "--connect-wait", "-1");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--connect-wait"), r.err());
    }

    @Test
    void badRectangleIsAUsageError(@TempDir Path dir) throws Exception {
        Path clip = Files.write(dir.resolve("x.mp4"), new byte[] {1, 2, 3});
        Run r = run("play", clip.toString(), "--rect", "1,2,-3,4");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("width"), r.err());
    }
}
