package org.spiceoverlay.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spiceoverlay.media.ClipGenerator;
import org.spiceoverlay.media.SampleClip;
import org.spiceoverlay.samples.bench.OverlayJava;
import picocli.CommandLine;

/**
 * {@code play} started before the client: it waits (and says so), and once the client comes up it
 * plays the whole clip to it.
 */
@Tag("integration")
class PlayBeforeClientTest {

    @Test
    void playStartedBeforeTheClientPlaysOnceTheClientComes(@TempDir Path dir) throws Exception {
        Path clip = ClipGenerator.generate(SampleClip.VP8_480P, dir.resolve("clips"), Duration.ofSeconds(2), false)
                .file();
        Path socket = dir.resolve("client.sock");
        StringWriter out = new StringWriter();
        CompletableFuture<Integer> play = CompletableFuture.supplyAsync(() -> {
            CommandLine cl = OverlayCommand.commandLine();
            cl.setOut(new PrintWriter(out, true));
            cl.setErr(new PrintWriter(out, true));
            return cl.execute(
                    "play", clip.toString(), "--connect", "unix:" + socket, "--connect-wait", "60", "--seconds", "8");
        });
        Thread.sleep(2000);
        assertFalse(play.isDone(), "play waits for the client instead of failing: " + out);

        Path log = dir.resolve("client.log");
        Process client = new ProcessBuilder(
                        OverlayJava.command(List.of(), List.of("client", "--listen", "unix:" + socket, "--no-window")))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            int exit = play.get(90, TimeUnit.SECONDS);
            assertEquals(0, exit, out.toString());
            Matcher m = Pattern.compile("client: (\\d+) frames decoded").matcher(out.toString());
            assertTrue(m.find(), "play prints what the client decoded: " + out);
            assertEquals(60, Integer.parseInt(m.group(1)), "every frame of the 2 s clip decoded: " + out);
        } finally {
            client.destroy();
            if (!client.waitFor(20, TimeUnit.SECONDS)) {
                client.destroyForcibly();
            }
        }
        assertTrue(Files.exists(log));
    }
}
