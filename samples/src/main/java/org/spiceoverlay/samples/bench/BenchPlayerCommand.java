package org.spiceoverlay.samples.bench;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.spiceoverlay.api.Rect;
import org.spiceoverlay.samples.player.PlaybackEventLog;
import org.spiceoverlay.samples.player.PlayerScript;
import org.spiceoverlay.x11.X11Exception;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code overlay bench-player FILE}: the benchmark's plain GStreamer player ({@link BenchPlayer}),
 * run by {@code overlay bench} inside the guest display (hairpin) or on the client display (local).
 * Hidden: a tool of the benchmark, not a user's command.
 *
 * <p>Main thread.
 */
@Command(
        name = "bench-player",
        hidden = true,
        description = {
            "The benchmark's plain GStreamer player: plays FILE into a window at a given place "
                    + "(filesrc ! decodebin, videoconvert ! SINK, audioconvert ! audioresample ! AUDIO) and writes "
                    + "its clock and actions as JSON lines."
        })
public final class BenchPlayerCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "Show this help and exit.")
    boolean help;

    @Parameters(index = "0", paramLabel = "FILE", description = "The media file to play.")
    Path file;

    @Option(names = "--x-display", paramLabel = ":N", description = "The X display to show it on (default: $DISPLAY).")
    String xDisplay;

    @Option(
            names = "--window-at",
            paramLabel = "X,Y,W,H",
            required = true,
            description = "Where the window's inside goes; W,H should be the clip's size (the video is not scaled).")
    String windowAt;

    @Option(
            names = "--sink",
            paramLabel = "SINK",
            defaultValue = "ximagesink",
            description = "ximagesink (default) or glimagesink.")
    String sink;

    @Option(
            names = "--audio",
            paramLabel = "OUT",
            defaultValue = "pulse",
            description = "pulse (default; PULSE_SERVER picks the server), fifo:PATH (raw S16LE 48 kHz stereo, "
                    + "as Xspice reads its playback audio) or none (decoded, then dropped on the clock).")
    String audio;

    @Option(
            names = "--seconds",
            paramLabel = "N",
            defaultValue = "3600",
            description = "Stop after N seconds of playback, or at the end of the file.")
    double seconds;

    @Option(
            names = "--script",
            paramLabel = "STEPS",
            description = "Actions during playback, from when it started, e.g. \"pause@12s,resume@13s,seek@15s:2s\".")
    String script;

    @Option(names = "--events", paramLabel = "FILE", description = "Write the clock and actions here, as JSON lines.")
    Path events;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        if (!Files.isRegularFile(file)) {
            err.println("overlay bench-player: no such file: " + file.toAbsolutePath());
            return 2;
        }
        BenchPlayer.Options options;
        try {
            Rect at = parseRect(windowAt);
            options = new BenchPlayer.Options(
                    file,
                    xDisplay,
                    at,
                    BenchPipeline.Sink.parse(sink),
                    BenchPipeline.AudioOut.parse(audio),
                    seconds,
                    PlayerScript.parse(script));
        } catch (IllegalArgumentException e) {
            err.println("overlay bench-player: " + e.getMessage());
            return 2;
        }
        try (PlaybackEventLog log = PlaybackEventLog.open(events)) {
            BenchPlayer.Result r = BenchPlayer.play(options, log);
            PrintWriter out = spec.commandLine().getOut();
            out.println(r.reachedEos() ? "played to the end" : "stopped");
            out.flush();
            return 0;
        } catch (BenchPlayerException e) {
            err.println("overlay bench-player: " + e.getMessage());
            return 1;
        } catch (X11Exception e) {
            err.println("overlay bench-player: " + e.getMessage());
            return 1;
        }
    }

    /** X,Y,W,H with W and H above 0. */
    static Rect parseRect(String text) {
        String[] p = text.split(",");
        try {
            if (p.length == 4) {
                Rect r = new Rect(
                        Integer.parseInt(p[0].trim()),
                        Integer.parseInt(p[1].trim()),
                        Integer.parseInt(p[2].trim()),
                        Integer.parseInt(p[3].trim()));
                if (r.width() > 0 && r.height() > 0) {
                    return r;
                }
            }
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new IllegalArgumentException("--window-at " + text + " is not X,Y,W,H with W and H above 0");
    }
}
