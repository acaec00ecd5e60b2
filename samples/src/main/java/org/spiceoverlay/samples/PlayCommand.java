package org.spiceoverlay.samples;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import org.spiceoverlay.api.GuestDisplay;
import org.spiceoverlay.api.Rect;
import org.spiceoverlay.api.thrift.OverlayError;
import org.spiceoverlay.api.thrift.TimingMode;
import org.spiceoverlay.api.transport.Endpoint;
import org.spiceoverlay.guest.GuestConnectionException;
import org.spiceoverlay.guest.GuestOptions;
import org.spiceoverlay.guest.OverlayGuest;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code overlay play CLIP}: the sample player, in the guest. Demuxes the clip (never decodes it),
 * sends its samples and the geometry of its video rectangle to the client through the guest
 * library, and reports what the client said.
 *
 * <p>Main thread.
 */
@Command(name = "play", description = {"The sample player: send a clip's compressed samples and its video rectangle to "
        + "an overlay client (the guest side of redirection)."})
final class PlayCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Parameters(index = "0", paramLabel = "CLIP", description = "The media file to play.")
    Path clip;

    @Option(names = "--connect", paramLabel = "ENDPOINT", defaultValue = "tcp:127.0.0.1:" + Endpoint.DEFAULT_PORT,
            description = "The client: tcp:HOST:PORT or unix:PATH (default: ${DEFAULT-VALUE}).")
    String connect;

    @Option(names = "--token", paramLabel = "SECRET", description = "The client's auth token, when it asks for one.")
    String token;

    @Option(names = "--display", paramLabel = "WxH", defaultValue = "1024x768",
            description = "The guest display's size (default: ${DEFAULT-VALUE}).")
    String display;

    @Option(names = "--rect", paramLabel = "X,Y,W,H", defaultValue = "300,250,640,360",
            description = "Where the player's video is on the guest display (default: ${DEFAULT-VALUE}).")
    String rect;

    @Option(names = "--seconds", paramLabel = "N", defaultValue = "3600", description = "Stop after N seconds.")
    double seconds;

    @Option(names = "--timing", paramLabel = "MODE", defaultValue = "BUFFERED",
            description = "BUFFERED (default) or LIVE.")
    TimingMode timing;

    @Option(names = "--script", paramLabel = "STEPS",
            description = "Actions during playback, e.g. \"pause@2s,resume@3s,seek@4s:1s,close@6s\".")
    String script;

    private static void onKey(SamplePlayer player, TerminalKeys.Key key, PrintWriter err) {
        try {
            switch (key) {
                case TOGGLE_PAUSE -> player.control(player.paused() ? PlayerScript.Action.RESUME : PlayerScript.Action.PAUSE, 0);
                case SEEK_BACK -> player.control(PlayerScript.Action.SEEK, -5_000_000_000L);
                case SEEK_FORWARD -> player.control(PlayerScript.Action.SEEK, 5_000_000_000L);
                case QUIT -> player.control(PlayerScript.Action.CLOSE, 0);
            }
        } catch (OverlayError e) {
            err.println("overlay play: " + e.getCode() + ": " + e.getMessage());
            err.flush();
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!Files.isRegularFile(clip)) {
            err.println("overlay play: no such file: " + clip.toAbsolutePath());
            return 2;
        }
        Endpoint endpoint;
        Rect videoRect;
        int w;
        int h;
        try {
            endpoint = Endpoint.parse(connect);
            videoRect = ClientCommand.parseRect(rect);
            String[] wh = display.toLowerCase(Locale.ROOT).split("x");
            w = Integer.parseInt(wh[0]);
            h = Integer.parseInt(wh[1]);
            GuestDisplay.of(0, w, h);
        } catch (RuntimeException e) {
            err.println("overlay play: " + e.getMessage());
            return 2;
        }
        PlayerScript steps;
        try {
            steps = PlayerScript.parse(script);
        } catch (IllegalArgumentException e) {
            err.println("overlay play: " + e.getMessage());
            return 2;
        }
        GuestOptions.Builder options = GuestOptions.builder(GuestDisplay.of(0, w, h)).guestName("overlay play");
        if (token != null) {
            options.authToken(token);
        }
        try (OverlayGuest guest = OverlayGuest.connect(endpoint, options.build())) {
            out.println("connected to " + endpoint + "; playing " + clip.getFileName() + " at " + videoRect);
            out.flush();
            SamplePlayer player = new SamplePlayer(guest, clip, w, h, videoRect, timing,
                    timing == TimingMode.LIVE ? 0 : TimeUnit.MILLISECONDS.toNanos(250)).withScript(steps);
            TerminalKeys keys = steps.steps().isEmpty() ? TerminalKeys.startIfInteractive(k -> onKey(player, k, err)) : null;
            if (keys != null) {
                out.println("keys: space pause/resume, left/right seek 5 s, q quit");
                out.flush();
            }
            SamplePlayer.Outcome o;
            try {
                o = player.play(seconds);
            } finally {
                if (keys != null) {
                    keys.close();
                }
            }
            for (String e : o.events()) {
                out.println("client: " + e);
            }
            out.printf(Locale.ROOT, "sent %d frames (%d samples, %d bytes); %s%n", o.framesSent(), o.samplesSent(),
                    o.bytesSent(), o.endedOnClient() ? "the client played to the end" : "stopped");
            if (o.lastQos() != null) {
                out.printf(Locale.ROOT, "client: %d frames decoded, %d presented, %d dropped%n",
                        o.lastQos().getFramesDecoded(), o.lastQos().getFramesPresented(), o.lastQos().getFramesDropped());
            }
            for (String e : o.errors()) {
                out.println("client error: " + e);
            }
            return o.errors().isEmpty() ? 0 : 1;
        } catch (GuestConnectionException e) {
            err.println("overlay play: " + e.getMessage());
            return 1;
        } catch (OverlayError e) {
            // e.g. UNSUPPORTED_CODEC: a real player would play the file locally instead
            err.println("overlay play: the client refused: " + e.getCode() + ": " + e.getMessage());
            return 1;
        }
    }
}
