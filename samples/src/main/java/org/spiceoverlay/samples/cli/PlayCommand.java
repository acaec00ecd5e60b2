package org.spiceoverlay.samples.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.spiceoverlay.api.GuestDisplay;
import org.spiceoverlay.api.Rect;
import org.spiceoverlay.api.transport.Endpoint;
import org.spiceoverlay.guest.GuestConnectionException;
import org.spiceoverlay.guest.GuestGeometry;
import org.spiceoverlay.guest.GuestOptions;
import org.spiceoverlay.guest.GuestTiming;
import org.spiceoverlay.guest.OverlayException;
import org.spiceoverlay.guest.OverlayGuest;
import org.spiceoverlay.samples.player.PlaybackEventLog;
import org.spiceoverlay.samples.player.PlayerScript;
import org.spiceoverlay.samples.player.SamplePlayer;
import org.spiceoverlay.samples.player.TrackedPlayerWindow;
import org.spiceoverlay.x11.X11Exception;
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
@Command(
        name = "play",
        description = {
            "The sample player: send a clip's compressed samples and its video rectangle to "
                    + "an overlay client (the guest side of redirection)."
        })
public final class PlayCommand implements Callable<Integer> {

    static final String DEFAULT_DISPLAY = "1024x768";
    static final String DEFAULT_RECT = "300,250,640,360";

    @Spec
    CommandSpec spec;

    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "Show this help and exit.")
    boolean help;

    @Parameters(index = "0", paramLabel = "CLIP", description = "The media file to play.")
    Path clip;

    @Option(
            names = "--connect",
            paramLabel = "ENDPOINT",
            defaultValue = "tcp:127.0.0.1:" + Endpoint.DEFAULT_PORT,
            description = "The client, or the guest proxy: tcp:HOST:PORT, unix:PATH, serial:DEVICE (a virtio-serial "
                    + "port), mux+unix:PATH or mux+tcp:HOST:PORT (default: ${DEFAULT-VALUE}).")
    String connect;

    @Option(names = "--token", paramLabel = "SECRET", description = "The client's auth token, when it asks for one.")
    String token;

    @Option(
            names = "--connect-wait",
            paramLabel = "S",
            defaultValue = "30",
            description = "How long to wait for the client (or the guest proxy) when it is not up yet, trying again "
                    + "with backoff; 0 fails at once (default: ${DEFAULT-VALUE}). A client that refuses hello fails at "
                    + "once.")
    double connectWait;

    @Option(
            names = "--display",
            paramLabel = "WxH",
            description =
                    "The guest display's size (default: " + DEFAULT_DISPLAY + "; with --window it is the X display's).")
    String display;

    @Option(
            names = "--rect",
            paramLabel = "X,Y,W,H",
            description = "Where the player's video is on the guest display, fixed (default: " + DEFAULT_RECT
                    + "). Not with --window.")
    String rect;

    @Option(
            names = "--window",
            description = {
                "Play in a window on the guest X display, painted in the placement "
                        + "probe colour, and send its geometry (position, size, the part other windows leave visible, hidden) "
                        + "on every change instead of a fixed --rect."
            })
    boolean window;

    @Option(
            names = "--window-at",
            paramLabel = "X,Y,W,H",
            description = "Where --window opens its window (default: " + DEFAULT_RECT + "); implies --window.")
    String windowAt;

    @Option(
            names = "--window-id",
            paramLabel = "XID",
            description = "Follow an existing window (e.g. 0x2a00007) instead of opening one; implies --window.")
    String windowId;

    @Option(
            names = "--x-display",
            paramLabel = ":N",
            description = "The guest X display for --window (default: $DISPLAY).")
    String xDisplay;

    @Option(names = "--seconds", paramLabel = "N", defaultValue = "3600", description = "Stop after N seconds.")
    double seconds;

    @Option(
            names = "--timing",
            paramLabel = "MODE",
            defaultValue = "BUFFERED",
            description = "BUFFERED (default) or LIVE.")
    GuestTiming timing;

    @Option(
            names = "--script",
            paramLabel = "STEPS",
            description = "Actions during playback, e.g. \"pause@2s,resume@3s,seek@4s:1s,close@6s\".")
    String script;

    @Option(
            names = "--lead-ms",
            paramLabel = "MS",
            defaultValue = "250",
            description = "BUFFERED: how far ahead of its clock the player sends (default: ${DEFAULT-VALUE}).")
    long leadMs;

    @Option(
            names = "--events",
            paramLabel = "FILE",
            description = "Write the player's clock and actions here, as JSON lines (for the benchmark).")
    Path events;

    /** An X window id as xwininfo prints it (0x2a00007) or in decimal. */
    static long parseWindowId(String text) {
        try {
            long id = Long.decode(text.trim());
            if (id <= 0 || id > 0xFFFFFFFFL) {
                throw new NumberFormatException();
            }
            return id;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--window-id " + text + " is not an X window id (such as 0x2a00007)");
        }
    }

    private static void onKey(SamplePlayer player, TerminalKeys.Key key, PrintWriter err) {
        try {
            switch (key) {
                case TOGGLE_PAUSE -> player.control(
                        player.paused() ? PlayerScript.Action.RESUME : PlayerScript.Action.PAUSE, 0);
                case SEEK_BACK -> player.control(PlayerScript.Action.SEEK, -5_000_000_000L);
                case SEEK_FORWARD -> player.control(PlayerScript.Action.SEEK, 5_000_000_000L);
                case QUIT -> player.control(PlayerScript.Action.CLOSE, 0);
            }
        } catch (OverlayException e) {
            err.println("overlay play: " + e.code() + ": " + e.getMessage());
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
        boolean windowMode = window || windowAt != null || windowId != null;
        if (windowMode && rect != null) {
            err.println("overlay play: --rect and --window are mutually exclusive: with --window the video rectangle "
                    + "is the window's (use --window-at X,Y,W,H to place it)");
            return 2;
        }
        if (windowMode && display != null) {
            err.println("overlay play: --display WxH and --window are mutually exclusive: with --window the display "
                    + "size is read from the X display (choose that with --x-display :N)");
            return 2;
        }
        if (windowAt != null && windowId != null) {
            err.println("overlay play: --window-at and --window-id are mutually exclusive: the one opens a window, "
                    + "the other follows an existing one");
            return 2;
        }
        if (!windowMode && xDisplay != null) {
            err.println("overlay play: --x-display is for --window");
            return 2;
        }
        Endpoint endpoint;
        Rect videoRect;
        Rect windowRect = null;
        long followId = 0;
        int w = 0;
        int h = 0;
        try {
            endpoint = Endpoint.parse(connect);
            if (!(connectWait >= 0) || connectWait > 86_400) {
                throw new IllegalArgumentException("--connect-wait takes 0 to 86400 seconds, got " + connectWait);
            }
            videoRect = ClientCommand.parseRect(rect != null ? rect : DEFAULT_RECT);
            if (windowMode) {
                if (windowId != null) {
                    followId = parseWindowId(windowId);
                } else {
                    windowRect = ClientCommand.parseRect(windowAt != null ? windowAt : DEFAULT_RECT);
                    if (windowRect.isEmpty()) {
                        throw new IllegalArgumentException("--window-at " + windowAt + " has no area");
                    }
                }
            } else {
                String[] wh = (display != null ? display : DEFAULT_DISPLAY)
                        .toLowerCase(Locale.ROOT)
                        .split("x");
                w = Integer.parseInt(wh[0]);
                h = Integer.parseInt(wh[1]);
                GuestDisplay.of(0, w, h);
            }
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
        AtomicReference<SamplePlayer> playing = new AtomicReference<>();
        Runnable stop = () -> {
            SamplePlayer p = playing.get();
            if (p != null) {
                onKey(p, TerminalKeys.Key.QUIT, err);
            }
        };
        TrackedPlayerWindow tracked = null;
        if (windowMode) {
            try {
                tracked = windowRect != null
                        ? TrackedPlayerWindow.open(
                                xDisplay, windowRect, "overlay play: " + clip.getFileName(), out, stop)
                        : TrackedPlayerWindow.follow(xDisplay, followId, out, stop);
            } catch (X11Exception e) {
                err.println("overlay play: " + e.getMessage());
                return e.reason() == X11Exception.Reason.NO_SUCH_WINDOW ? 2 : 1;
            }
            GuestGeometry g = tracked.current();
            w = g.displayWidth();
            h = g.displayHeight();
            videoRect = g.videoRect();
        }
        try (TrackedPlayerWindow closeLast = tracked;
                PlaybackEventLog log = PlaybackEventLog.open(events)) {
            return play(endpoint, w, h, videoRect, steps, tracked, playing, log, out, err);
        }
    }

    private Integer play(
            Endpoint endpoint,
            int w,
            int h,
            Rect videoRect,
            PlayerScript steps,
            TrackedPlayerWindow tracked,
            AtomicReference<SamplePlayer> playing,
            PlaybackEventLog log,
            PrintWriter out,
            PrintWriter err)
            throws Exception {
        GuestOptions.Builder options = GuestOptions.builder(GuestDisplay.of(0, w, h))
                .guestName("overlay play")
                .connectWaitMs(Math.round(connectWait * 1000));
        if (token != null) {
            options.authToken(token);
        }
        try (OverlayGuest guest = OverlayGuest.connect(endpoint, options.build())) {
            out.println("connected to " + endpoint + "; playing " + clip.getFileName() + " at " + videoRect
                    + (tracked != null ? " in window 0x" + Long.toHexString(tracked.windowId()) : ""));
            out.flush();
            SamplePlayer player = new SamplePlayer(
                            guest,
                            clip,
                            w,
                            h,
                            videoRect,
                            timing,
                            timing == GuestTiming.LIVE ? 0 : TimeUnit.MILLISECONDS.toNanos(leadMs))
                    .withScript(steps)
                    .withWindow(tracked)
                    .withEvents(log);
            playing.set(player);
            TerminalKeys keys =
                    steps.steps().isEmpty() ? TerminalKeys.startIfInteractive(k -> onKey(player, k, err)) : null;
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
            out.printf(
                    Locale.ROOT,
                    "sent %d frames (%d samples, %d bytes); %s%n",
                    o.framesSent(),
                    o.samplesSent(),
                    o.bytesSent(),
                    o.endedOnClient() ? "the client played to the end" : "stopped");
            if (o.lastQos() != null) {
                out.printf(
                        Locale.ROOT,
                        "client: %d frames decoded, %d presented, %d dropped%n",
                        o.lastQos().framesDecoded(),
                        o.lastQos().framesPresented(),
                        o.lastQos().framesDropped());
            }
            for (String e : o.errors()) {
                out.println("client error: " + e);
            }
            return o.errors().isEmpty() ? 0 : 1;
        } catch (GuestConnectionException e) {
            err.println("overlay play: " + e.getMessage());
            return 1;
        } catch (OverlayException e) {
            // e.g. UNSUPPORTED_CODEC: a real player would play the file locally instead
            err.println("overlay play: the client refused: " + e.code() + ": " + e.getMessage());
            return 1;
        }
    }
}
