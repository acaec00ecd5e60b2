package org.spiceoverlay.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spiceoverlay.api.PixelFormat;
import org.spiceoverlay.api.Rect;
import org.spiceoverlay.api.Region;
import org.spiceoverlay.api.transport.Endpoint;
import org.spiceoverlay.bridge.service.ClientService;
import org.spiceoverlay.bridge.service.GuestPlacement;
import org.spiceoverlay.bridge.service.RecordingVideoOutput;
import org.spiceoverlay.bridge.service.ServiceLimits;
import org.spiceoverlay.engine.gst.GstMediaEngine;
import org.spiceoverlay.guest.x11.PlayerWindow;
import org.spiceoverlay.media.ClipGenerator;
import org.spiceoverlay.media.PrivateXServer;
import org.spiceoverlay.media.SampleClip;
import picocli.CommandLine;

/**
 * {@code play --window} end to end: the sample player opens its window on a private Xvfb (the guest
 * display), and a real client service receives the window's rectangle and visible region as the
 * window is covered, uncovered and moved.
 */
@Tag("integration")
class PlayWindowTest {

    private static final Rect START = new Rect(300, 250, 640, 360);
    private static PrivateXServer guestX;

    @BeforeAll
    static void startGuestDisplay() throws Exception {
        guestX = PrivateXServer.start(1024, 768);
    }

    @AfterAll
    static void stopGuestDisplay() {
        if (guestX != null) {
            guestX.close();
        }
    }

    private record Run(int exit, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = OverlayCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return new Run(cl.execute(args), out.toString(), err.toString());
    }

    private static GuestPlacement shown(Rect rect, Region visible) {
        return new GuestPlacement(0, 1024, 768, rect, visible, false);
    }

    /** Waits until the client's newest placement is {@code expected}. */
    private static void awaitPlacement(RecordingVideoOutput.Recorder view, GuestPlacement expected)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            List<GuestPlacement> p = view.placements;
            if (!p.isEmpty() && p.get(p.size() - 1).equals(expected)) {
                return;
            }
            Thread.sleep(10);
        }
        assertEquals(
                expected,
                view.placements.isEmpty() ? null : view.placements.get(view.placements.size() - 1),
                "the client's placements: " + view.placements);
    }

    @Test
    void theClientFollowsThePlayersWindow(@TempDir Path dir) throws Exception {
        Path clip = ClipGenerator.generate(
                        SampleClip.VP8_480P, Path.of("target", "test-clips"), Duration.ofSeconds(6), false)
                .file();
        RecordingVideoOutput output = new RecordingVideoOutput();
        try (ClientService service =
                new ClientService(new GstMediaEngine(), output, ServiceLimits.DEFAULT, null, PixelFormat.I420, false)) {
            Endpoint endpoint = service.listen(Endpoint.unix(dir.resolve("c.sock")));
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            AtomicInteger exit = new AtomicInteger(-1);
            Thread player = new Thread(
                    () -> {
                        CommandLine cl = OverlayCommand.commandLine();
                        cl.setOut(new PrintWriter(out, true));
                        cl.setErr(new PrintWriter(err, true));
                        exit.set(cl.execute(
                                "play",
                                clip.toString(),
                                "--connect",
                                endpoint.toString(),
                                "--seconds",
                                "5",
                                "--window",
                                "--x-display",
                                guestX.display()));
                    },
                    "play-window");
            player.start();
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (output.views.isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertTrue(!output.views.isEmpty(), "the stream reached the client: " + out + err);
                RecordingVideoOutput.Recorder view = output.views.get(0);
                awaitPlacement(view, shown(START, Region.of(START)));
                Matcher m = Pattern.compile("in window (0x[0-9a-f]+)").matcher(out.toString());
                assertTrue(m.find(), out.toString());
                String id = m.group(1);

                Rect coverRect = new Rect(500, 300, 200, 100);
                try (PlayerWindow cover =
                        PlayerWindow.open(guestX.display(), "cover", coverRect, PlayerWindow.Fill.BLACK)) {
                    awaitPlacement(view, shown(START, Region.of(START).subtract(coverRect)));
                }
                awaitPlacement(view, shown(START, Region.of(START)));

                // another client moves it (no window manager here: xdotool moves it directly)
                ProcessBuilder pb = new ProcessBuilder("xdotool", "windowmove", id, "40", "60").inheritIO();
                pb.environment().put("DISPLAY", guestX.display());
                assertEquals(0, pb.start().waitFor(), "xdotool windowmove (install xdotool: ./overlay setup)");
                Rect moved = new Rect(40, 60, 640, 360);
                awaitPlacement(view, shown(moved, Region.of(moved)));
            } finally {
                player.join(30_000);
            }
            assertEquals(0, exit.get(), out + "\n" + err);
            assertTrue(
                    out.toString().contains("window geometry: GuestGeometry[display 0 (1024x768), video "),
                    out.toString());
        }
    }

    @Test
    void rectAndWindowAreMutuallyExclusive(@TempDir Path dir) throws Exception {
        Path clip = dir.resolve("c.mp4");
        java.nio.file.Files.write(clip, new byte[] {0});
        Run r = run("play", clip.toString(), "--rect", "1,2,3,4", "--window");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--rect and --window are mutually exclusive"), r.err());
        r = run("play", clip.toString(), "--display", "800x600", "--window-at", "1,2,30,40");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--display WxH and --window are mutually exclusive"), r.err());
        r = run("play", clip.toString(), "--window-id", "0x3fffff", "--x-display", guestX.display());
        assertEquals(2, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("no window 0x3fffff on X display " + guestX.display()), r.err());
        r = run("play", clip.toString(), "--window-id", "window");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("is not an X window id"), r.err());
    }
}
