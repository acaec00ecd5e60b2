package org.spiceoverlay.samples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.spiceoverlay.api.Rect;
import org.spiceoverlay.api.transport.Endpoint;
import org.spiceoverlay.bridge.LatencyStages;
import org.spiceoverlay.bridge.OverlayClient;
import org.spiceoverlay.bridge.window.ClientWindowProfile;
import org.spiceoverlay.bridge.window.WindowSelector;
import org.spiceoverlay.engine.UriPolicy;
import org.spiceoverlay.samples.bench.JsonWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code overlay client}: the client side of redirection on the Spice client machine. Serves the
 * overlay protocol to guests, decodes their streams and shows them in an overlay window on the
 * current X display (or counts them, with {@code --no-window}). Runs until SIGTERM / Ctrl-C, then
 * closes every stream and window and, with {@code --report}, writes what it presented as JSON (with
 * {@code --no-window}: what it decoded, and null for what nothing presented).
 *
 * <p>Main thread: sets up, then waits for the shutdown hook.
 */
@Command(
        name = "client",
        mixinStandardHelpOptions = false,
        description = {
            "Run the overlay client service: guests connect, their video is decoded and drawn over the",
            "guest display's place on this screen. Stops on SIGTERM or Ctrl-C."
        })
public final class ClientCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "Show this help and exit.")
    boolean help;

    @Option(
            names = "--listen",
            paramLabel = "ENDPOINT",
            description = "tcp:HOST:PORT, unix:PATH, mux+unix:PATH, "
                    + "mux+tcp:HOST:PORT (a multiplexed byte stream, as a VM's virtio-serial port socket) or serial:DEVICE; "
                    + "repeatable (default: tcp:127.0.0.1:" + Endpoint.DEFAULT_PORT + ").")
    List<String> listen = new ArrayList<>();

    @Option(
            names = "--token",
            paramLabel = "SECRET",
            description = "Require this auth token in hello (needed to " + "listen beyond loopback).")
    String token;

    @Option(names = "--no-window", description = "Do not draw: decode and count frames only (servers, CI).")
    boolean noWindow;

    @Option(
            names = "--display-rect",
            paramLabel = "X,Y,W,H",
            description = "Draw the guest display letterboxed into this fixed screen rectangle instead of following "
                    + "the Spice client window.")
    String displayRect;

    @Option(
            names = "--spice-window",
            paramLabel = "WHICH",
            defaultValue = "auto",
            description = "The Spice client window to follow: auto (the visible window of the client), a window id "
                    + "(0x... or decimal), pid:N or title:TEXT (default: ${DEFAULT-VALUE}).")
    String spiceWindow;

    @Option(
            names = "--spice-client",
            paramLabel = "NAME",
            defaultValue = "remote-viewer",
            description = "Which client's window layout: remote-viewer or spicy (default: ${DEFAULT-VALUE}).")
    String spiceClient;

    @Option(
            names = "--no-calibrate",
            description = "Trust the client's default header and margins instead of "
                    + "locating the guest player window's probe colour on screen.")
    boolean noCalibrate;

    @Option(
            names = "--allow-uri",
            paramLabel = "SCHEME://HOST",
            split = ",",
            description = "Let guests open URI sources with this scheme and host (repeatable; none by default).")
    List<String> allowUri = new ArrayList<>();

    @Option(
            names = "--trust-guest-clock",
            description = "Guest and client share a clock (one machine): measure "
                    + "latency from when the guest sent each sample.")
    boolean trustGuestClock;

    @Option(
            names = "--report",
            paramLabel = "FILE",
            description = "On exit, write frames shown and latency as JSON "
                    + "(with --no-window: frames decoded; shown and latency null, as nothing is shown).")
    Path report;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<Endpoint> endpoints = new ArrayList<>();
        try {
            for (String l : listen.isEmpty() ? List.of("tcp:127.0.0.1:" + Endpoint.DEFAULT_PORT) : listen) {
                Endpoint e = Endpoint.parse(l);
                if (!e.isLoopback() && token == null) {
                    err.println("overlay client: " + e + " is reachable from other machines: set --token");
                    return 2;
                }
                endpoints.add(e);
            }
        } catch (IllegalArgumentException e) {
            err.println("overlay client: " + e.getMessage());
            return 2;
        }
        Rect screenRect = null;
        if (displayRect != null) {
            try {
                screenRect = parseRect(displayRect);
            } catch (IllegalArgumentException e) {
                err.println("overlay client: --display-rect: " + e.getMessage());
                return 2;
            }
        }
        ClientWindowProfile profile;
        WindowSelector selector;
        try {
            profile = ClientWindowProfile.named(spiceClient);
            selector = parseSelector(spiceWindow);
        } catch (IllegalArgumentException e) {
            err.println("overlay client: " + e.getMessage());
            return 2;
        }
        UriPolicy policy = UriPolicy.denyAll();
        if (!allowUri.isEmpty()) {
            Set<String> schemes = new HashSet<>();
            Set<String> hosts = new HashSet<>();
            for (String a : allowUri) {
                int sep = a.indexOf("://");
                if (sep <= 0) {
                    err.println("overlay client: --allow-uri " + a + " is not SCHEME://HOST");
                    return 2;
                }
                schemes.add(a.substring(0, sep));
                hosts.add(a.substring(sep + 3));
            }
            policy = UriPolicy.allow(schemes, hosts);
        }

        OverlayClient.Builder builder =
                OverlayClient.builder().token(token).uriPolicy(policy).trustGuestClock(trustGuestClock);
        endpoints.forEach(builder::listen);
        if (noWindow) {
            builder.headless();
        } else if (screenRect != null) {
            builder.fixedDisplay(screenRect);
        } else {
            builder.follow(profile, selector, !noCalibrate);
        }
        if (!noWindow && System.getenv("DISPLAY") == null) {
            err.println("overlay client: no X display (DISPLAY is not set); use --no-window, or run the demo "
                    + "with --headless");
            return 2;
        }
        OverlayClient client;
        try {
            client = builder.start();
        } catch (IllegalStateException e) {
            err.println("overlay client: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println("overlay client: cannot listen: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(
                () -> {
                    client.close();
                    if (report != null) {
                        writeReport(report, client.stats());
                    }
                    stopped.countDown();
                },
                "overlay-client-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        for (Endpoint e : client.listening()) {
            out.println("overlay client listening on " + e);
        }
        out.println("decoding to " + client.format() + "; " + client.placedBy());
        out.flush();
        stopped.await();
        return 0;
    }

    /** {@code auto}, a window id (0x... or decimal), {@code pid:N} or {@code title:TEXT}. */
    static WindowSelector parseSelector(String text) {
        if (text.equals("auto")) {
            return WindowSelector.any();
        }
        try {
            if (text.startsWith("pid:")) {
                return WindowSelector.pid(Long.parseLong(text.substring(4)));
            }
            if (text.startsWith("title:")) {
                return WindowSelector.title(text.substring(6));
            }
            return WindowSelector.window(
                    text.startsWith("0x") ? Long.parseLong(text.substring(2), 16) : Long.parseLong(text));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "--spice-window " + text + " is not auto, a window id, pid:N or title:TEXT");
        }
    }

    static Rect parseRect(String text) {
        String[] p = text.split(",");
        if (p.length != 4) {
            throw new IllegalArgumentException("\"" + text + "\" is not X,Y,W,H");
        }
        int[] v = Arrays.stream(p).mapToInt(s -> Integer.parseInt(s.trim())).toArray();
        return new Rect(v[0], v[1], v[2], v[3]);
    }

    /**
     * With a window: what the overlay presented, from the compositor's present callbacks. Without
     * one ({@code --no-window}) nothing is presented, so no present count or latency is written
     * (null, not 0); what was decoded is.
     */
    private static void writeReport(Path file, OverlayClient.Stats stats) {
        JsonWriter j = new JsonWriter();
        j.beginObject();
        if (!stats.windowed()) {
            j.name("output").value("none");
            j.name("frames_decoded").value(stats.framesDecoded());
            j.name("frames_presented").nullValue();
            j.name("frames_repeated").nullValue();
            j.name("latency_ms").nullValue();
        } else {
            j.name("output").value("window");
            j.name("frames_presented").value(stats.framesPresented());
            j.name("frames_repeated").value(stats.framesRepeated());
            j.name("latency_ms");
            if (stats.latencySamples() == 0) {
                j.nullValue(); // no frame said when it was received: nothing measured
            } else {
                j.beginObject();
                j.name("p50").value(stats.latencyP50Nanos() / 1e6, 1);
                j.name("p95").value(stats.latencyP95Nanos() / 1e6, 1);
                j.name("p99").value(stats.latencyP99Nanos() / 1e6, 1);
                j.endObject();
            }
            j.name("stages_ms").beginObject();
            for (LatencyStages.Figures f : stats.stages()) {
                j.name(f.stage().key()).beginObject();
                j.name("frames").value(f.frames());
                j.name("p50").value(f.p50Nanos() / 1e6, 2);
                j.name("p95").value(f.p95Nanos() / 1e6, 2);
                j.name("p99").value(f.p99Nanos() / 1e6, 2);
                j.endObject();
            }
            j.endObject();
        }
        j.endObject();
        write(file, j);
    }

    private static void write(Path file, JsonWriter j) {
        try {
            j.writeTo(file);
        } catch (IOException e) {
            System.err.println("overlay client: cannot write " + file + ": " + e.getMessage());
        }
    }
}
