package org.spiceoverlay.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spiceoverlay.api.PixelFormat;
import org.spiceoverlay.api.transport.Endpoint;
import org.spiceoverlay.bridge.service.ClientService;
import org.spiceoverlay.bridge.service.HeadlessVideoOutput;
import org.spiceoverlay.bridge.service.ServiceLimits;
import org.spiceoverlay.engine.gst.GstMediaEngine;
import org.spiceoverlay.media.ClipGenerator;
import org.spiceoverlay.media.SampleClip;
import org.spiceoverlay.samples.player.PlaybackEventLog;
import org.spiceoverlay.samples.player.PlayerScript;
import picocli.CommandLine;

/** Pause, resume, seek and close from the sample player reach the client and come back as events. */
@Tag("integration")
class PlayScriptTest {

    @Test
    void scriptParses() {
        PlayerScript s = PlayerScript.parse("seek@4s:1s, pause@2s,resume@2500ms,close@6s");
        assertEquals(4, s.steps().size());
        assertEquals(PlayerScript.Action.PAUSE, s.steps().get(0).action());
        assertEquals(1_000_000_000L, s.steps().get(2).targetNanos());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PlayerScript.parse("jump@2s"));
        assertTrue(e.getMessage().contains("jump@2s"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PlayerScript.parse("seek@2s"));
        assertThrows(IllegalArgumentException.class, () -> PlayerScript.parse("pause@soon"));
    }

    @Test
    void controlsFromThePlayerComeBackAsEvents(@TempDir Path dir) throws Exception {
        Path clip = ClipGenerator.generate(
                        SampleClip.VP8_480P, Path.of("target", "test-clips-6s"), Duration.ofSeconds(6), false)
                .file();
        try (ClientService service = new ClientService(
                new GstMediaEngine(),
                new HeadlessVideoOutput(60),
                ServiceLimits.DEFAULT,
                null,
                PixelFormat.I420,
                false)) {
            Endpoint endpoint = service.listen(Endpoint.unix(dir.resolve("c.sock")));
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            CommandLine cl = OverlayCommand.commandLine();
            cl.setOut(new PrintWriter(out, true));
            cl.setErr(new PrintWriter(err, true));
            int exit = cl.execute(
                    "play",
                    clip.toString(),
                    "--connect",
                    endpoint.toString(),
                    "--seconds",
                    "8",
                    "--script",
                    "pause@1s,resume@1800ms,seek@2500ms:4s,close@3500ms");
            String o = out.toString();
            assertEquals(0, exit, o + err);
            assertTrue(o.contains("client: state PAUSED"), o);
            int paused = o.indexOf("client: state PAUSED");
            assertTrue(o.indexOf("client: state PLAYING", paused) > paused, "resumed after the pause:\n" + o);
            assertTrue(o.contains("client: seek done at 4.00 s"), o);
            assertTrue(o.contains("client: closed"), o);
        }
    }

    @Test
    void theEventsFileHasThePlayersClockAndActions(@TempDir Path dir) throws Exception {
        // A clip of its own length: other tests leave shorter clips of the same name in target/test-clips,
        // and a player that has sent its last sample before the seek has nothing to send after it.
        Path clip = ClipGenerator.generate(
                        SampleClip.VP8_480P, Path.of("target", "test-clips-6s"), Duration.ofSeconds(6), false)
                .file();
        Path events = dir.resolve("events.jsonl");
        try (ClientService service = new ClientService(
                new GstMediaEngine(),
                new HeadlessVideoOutput(60),
                ServiceLimits.DEFAULT,
                null,
                PixelFormat.I420,
                false)) {
            Endpoint endpoint = service.listen(Endpoint.unix(dir.resolve("c.sock")));
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            CommandLine cl = OverlayCommand.commandLine();
            cl.setOut(new PrintWriter(out, true));
            cl.setErr(new PrintWriter(err, true));
            // The clock after the seek comes with the first sample sent from the new position: leave
            // time for it on a busy machine.
            int exit = cl.execute(
                    "play",
                    clip.toString(),
                    "--connect",
                    endpoint.toString(),
                    "--seconds",
                    "6",
                    "--script",
                    "pause@1s,resume@1800ms,seek@2500ms:1s",
                    "--events",
                    events.toString());
            assertEquals(0, exit, out.toString() + err);
        }
        java.util.List<PlaybackEventLog.Event> log = PlaybackEventLog.read(events);
        String kinds =
                log.stream().map(PlaybackEventLog.Event::event).collect(java.util.stream.Collectors.joining(","));
        assertTrue(kinds.startsWith("clock,pause,resume,clock,seek,clock,") && kinds.endsWith(",stopped"), kinds);
        PlaybackEventLog.Event pause = log.get(1);
        PlaybackEventLog.Event resume = log.get(2);
        PlaybackEventLog.Event seek = log.get(4);
        assertTrue(log.get(0).originNs() < pause.atNs(), "playing before the pause: " + log);
        assertEquals(
                log.get(0).originNs() + (resume.atNs() - pause.atNs()),
                log.get(3).originNs(),
                "the resume moves the clock on by the pause: " + log);
        assertEquals(1_000_000_000L, seek.toNs());
        assertTrue(log.get(5).originNs() + seek.toNs() > seek.atNs(), "the seek target is due after the seek: " + log);
    }
}
