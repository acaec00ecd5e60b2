package org.spiceoverlay.samples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.freedesktop.gstreamer.ElementFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spiceoverlay.api.FrameNumberCode;
import org.spiceoverlay.api.Rect;
import org.spiceoverlay.bridge.window.ClientWindowProfile;
import org.spiceoverlay.bridge.window.ScreenImage;
import org.spiceoverlay.bridge.window.WindowSelector;
import org.spiceoverlay.bridge.window.X11WindowTracker;
import org.spiceoverlay.engine.gst.GstRuntime;
import org.spiceoverlay.media.ClipGenerator;
import org.spiceoverlay.media.PrivateXServer;
import org.spiceoverlay.media.SampleClip;
import org.spiceoverlay.samples.player.PlaybackEventLog;

/**
 * {@code overlay bench-player} on a private Xvfb: the frame numbers read back from screen grabs of
 * its window agree with the clock it logged, a pause holds the picture, and the events file has the
 * scripted actions. Both sinks.
 */
@Tag("integration")
class BenchPlayerTest {

    /** The odd-size clip: 321x241 at 30 fps, cheap to decode on a shared machine. */
    private static final SampleClip CLIP = SampleClip.H264_ODD;

    private static final Rect WINDOW = new Rect(50, 40, 321, 241);
    private static final double FRAME_NS = 1e9 / 30;

    private static PrivateXServer xvfb;
    private static String display;
    private static X11WindowTracker screen;
    private static Path clip;

    @BeforeAll
    static void start() throws Exception {
        clip = ClipGenerator.generate(CLIP, Path.of("target", "test-clips"), Duration.ofSeconds(6), false)
                .file();
        xvfb = PrivateXServer.start();
        display = xvfb.display();
        screen = X11WindowTracker.open(display, ClientWindowProfile.remoteViewer(), WindowSelector.any());
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (screen != null) {
            screen.close();
        }
        if (xvfb != null) {
            xvfb.close();
        }
    }

    /** A grab of the window's place: when (mid-grab) and the frame number read, or -1. */
    private record Shot(long atNs, int frame) {}

    @Test
    void ximagesinkShowsFramesOnItsClock(@TempDir Path dir) throws Exception {
        playAndCheck("ximagesink", dir);
    }

    @Test
    void glimagesinkShowsFramesOnItsClock(@TempDir Path dir) throws Exception {
        GstRuntime.ensureInitialised();
        assertNotNull(
                ElementFactory.find("glimagesink"), "GStreamer's glimagesink is missing: install gstreamer1.0-gl");
        playAndCheck("glimagesink", dir);
    }

    private void playAndCheck(String sink, Path dir) throws Exception {
        Path events = dir.resolve("events.jsonl");
        // In a process of its own, as the bench runs it: a GL sink leaves its X connection behind in
        // the process, and Xlib would end a test JVM when this test's X server goes away.
        Path output = dir.resolve("bench-player.log");
        Process player = new ProcessBuilder(OverlayJava.command(
                        List.of(),
                        List.of(
                                "bench-player",
                                clip.toString(),
                                "--x-display",
                                display,
                                "--window-at",
                                WINDOW.x() + "," + WINDOW.y() + "," + WINDOW.width() + "," + WINDOW.height(),
                                "--sink",
                                sink,
                                "--audio",
                                "none",
                                "--seconds",
                                "5",
                                "--script",
                                "pause@1500ms,resume@2500ms,seek@3s:1s",
                                "--events",
                                events.toString())))
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        List<Shot> shots = new ArrayList<>();
        while (player.isAlive()) {
            long t0 = System.nanoTime();
            ScreenImage img = screen.grab(WINDOW);
            long t1 = System.nanoTime();
            OptionalInt f = FrameNumberCode.read(
                    (x, y) -> {
                        int p = img.rgb(x, y);
                        return (((p >> 16) & 0xff) + ((p >> 8) & 0xff) + (p & 0xff)) / 3;
                    },
                    0,
                    0,
                    img.width(),
                    img.height());
            shots.add(new Shot(t0 + (t1 - t0) / 2, f.orElse(-1)));
            Thread.sleep(20);
        }
        assertTrue(player.waitFor(30, TimeUnit.SECONDS), "bench-player " + sink + " did not end");
        assertEquals(0, player.exitValue(), "bench-player " + sink + ": " + Files.readString(output));

        List<PlaybackEventLog.Event> log = PlaybackEventLog.read(events);
        String kinds = log.stream().map(PlaybackEventLog.Event::event).collect(Collectors.joining(","));
        assertEquals("clock,pause,resume,clock,seek,clock,stopped", kinds, "events: " + log);
        PlaybackEventLog.Event pause = log.get(1);
        PlaybackEventLog.Event resume = log.get(2);
        PlaybackEventLog.Event seek = log.get(4);
        assertEquals(1_000_000_000L, seek.toNs());
        assertTrue(pause.atNs() < resume.atNs() && resume.atNs() < seek.atNs(), log.toString());

        // While a clock holds (from its line to the next action, or the stop): the frame shown is
        // the one due, within a few frames.
        List<Long> errors = new ArrayList<>();
        int[][] spans = {{0, 1}, {3, 4}, {5, 6}};
        for (int[] span : spans) {
            long origin = log.get(span[0]).originNs();
            long until = log.get(span[1]).atNs();
            // from 0.3 s after the action that set this clock (the new position runs by then)
            long from = span[0] == 0 ? origin : log.get(span[0] - 1).atNs() + 300_000_000L;
            int before = errors.size();
            for (Shot s : shots) {
                if (s.frame() >= 0 && s.atNs() > from && s.atNs() < until) {
                    long due = (long) Math.floor((s.atNs() - origin) / FRAME_NS);
                    errors.add(s.frame() - due);
                }
            }
            assertTrue(
                    errors.size() - before >= 5, sink + ": too few readable grabs in span " + span[0] + ": " + shots);
        }
        List<Long> sorted = errors.stream().map(Math::abs).sorted().toList();
        long median = sorted.get(sorted.size() / 2);
        long within = sorted.stream().filter(e -> e <= 4).count();
        System.out.printf("bench-player %s: %d grabs checked, frame errors %s%n", sink, errors.size(), errors);
        assertTrue(median <= 2, sink + ": shown minus due frame, median " + median + " frames: " + errors);
        assertTrue(
                within >= 0.9 * sorted.size(), sink + ": shown minus due frame beyond 4 frames too often: " + errors);

        // Paused: once the pause took hold, the picture does not change until the resume.
        List<Integer> held = shots.stream()
                .filter(s -> s.frame() >= 0 && s.atNs() > pause.atNs() + 200_000_000L && s.atNs() < resume.atNs())
                .map(Shot::frame)
                .distinct()
                .toList();
        assertEquals(1, held.size(), sink + ": frames shown while paused: " + held);
    }
}
