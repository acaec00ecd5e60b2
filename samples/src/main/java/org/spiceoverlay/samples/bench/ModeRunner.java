package org.spiceoverlay.samples.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.spiceoverlay.api.Rect;
import org.spiceoverlay.bridge.window.SpiceScene;
import org.spiceoverlay.samples.OverlayCommand;
import org.spiceoverlay.samples.PrivateXServer;

/**
 * Runs one {@link BenchMode} on a scene of its own and measures it: brings up the displays (a Spice
 * session of Xspice and a full-screen remote-viewer at 1:1, or a plain Xvfb for local playback), a
 * private sound server on the client side, counting relays in front of the Spice server and the
 * overlay channel, the player (and the client service for redirect), then watches the client
 * screen, records the sound, snapshots CPU and bytes at the warm-up and steady-state marks, and
 * tears everything down.
 *
 * <p>The player's timeline: it plays from its start; the warm-up ends {@link BenchPlan#warmupNanos}
 * after its clock origin, the steady window runs until just before its scripted pause, then it
 * pauses, resumes and seeks back (reaction times), and the runner ends the run
 * {@link BenchPlan#secondsNanos} after the origin.
 *
 * <p>Threads: the calling thread only (the reader, recorder and relays have their own).
 */
final class ModeRunner {

    /** How the run is laid out and what it plays; immutable. */
    record BenchPlan(Path clipFile, ClipFacts clip, Rect video, int screenWidth, int screenHeight, long secondsNanos,
            long warmupNanos, long pauseAtNanos, WanLink link, Path workDir) {

        long resumeAtNanos() {
            return pauseAtNanos + 1_000_000_000L;
        }

        long seekAtNanos() {
            return pauseAtNanos + 2_500_000_000L;
        }

        long seekToNanos() {
            return 2_000_000_000L;
        }

        /** The player's script, its times from the player's own start (close to its clock origin). */
        String script() {
            return String.format(java.util.Locale.ROOT, "pause@%dms,resume@%dms,seek@%dms:%dms", pauseAtNanos / 1_000_000,
                    resumeAtNanos() / 1_000_000, seekAtNanos() / 1_000_000, seekToNanos() / 1_000_000);
        }
    }

    private static final long READER_PERIOD_NANOS = 4_000_000L;

    /**
     * JVM options of the players (guest side, and the local player): a player's Java code only
     * paces and hands buffers on, so the optimising compiler's work (seconds of CPU in the first
     * half minute) would be measured as playback cost; C1 alone compiles it well enough. The client
     * service runs with the JVM's defaults.
     */
    static final List<String> PLAYER_JVM_OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
    private static final int PICTURE_GRABS = 8;

    private final BenchPlan plan;
    private final List<Process> processes = new ArrayList<>();
    private final List<AutoCloseable> resources = new ArrayList<>();

    ModeRunner(BenchPlan plan) {
        this.plan = plan;
    }

    ModeResult run(BenchMode mode) {
        ModeResult result = new ModeResult(mode);
        Path dir = plan.workDir().resolve(mode.label());
        try {
            Files.createDirectories(dir);
            measure(mode, dir, result);
        } catch (Exception e) {
            result.error = e.getMessage() == null ? e.toString() : e.getMessage();
        } finally {
            tearDown();
        }
        return result;
    }

    private void measure(BenchMode mode, Path dir, ModeResult result) throws Exception {
        PrivateSoundServer sound = PrivateSoundServer.start();
        resources.add(sound);
        Map<String, Long> guestPids = new LinkedHashMap<>();
        Map<String, Long> clientPids = new LinkedHashMap<>();
        clientPids.put("sound server", sound.pid());
        String clientDisplay;
        CountingRelay spiceRelay = null;
        CountingRelay overlayRelay = null;
        Path events = dir.resolve("player-events.jsonl");
        Process player;
        if (mode.local()) {
            PrivateXServer x = PrivateXServer.start(plan.screenWidth(), plan.screenHeight());
            resources.add(x);
            clientDisplay = x.display();
            clientPids.put("X server (Xvfb)", x.pid());
            player = start(dir, "player", sound.environment(), PLAYER_JVM_OPTIONS, "bench-player", plan.clipFile().toString(),
                    "--x-display", clientDisplay, "--window-at", rect(plan.video()), "--sink", mode.sink(),
                    "--audio", "pulse", "--seconds", seconds(plan.secondsNanos() + 10_000_000_000L),
                    "--script", plan.script(), "--events", events.toString());
            clientPids.put("player", player.pid());
        } else {
            int spicePort = freePort();
            spiceRelay = CountingRelay.start(new InetSocketAddress("127.0.0.1", spicePort), plan.link());
            resources.add(spiceRelay);
            List<String> server = new ArrayList<>(List.of("--spice-port", Integer.toString(spicePort),
                    "--viewer-port", Integer.toString(spiceRelay.port())));
            Path fifoDir = null;
            if (mode.hairpin()) {
                server.addAll(List.of("--streaming-video", mode.streamingVideo()));
                if (mode.videoCodecs() != null) {
                    server.addAll(List.of("--video-codecs", mode.videoCodecs()));
                }
                fifoDir = dir.resolve("playback");
                Files.createDirectories(fifoDir);
                server.addAll(List.of("--playback-fifo-dir", fifoDir.toString()));
            }
            SpiceScene scene = SpiceScene.start(dir.resolve("scene"), SpiceScene.Options.defaults()
                    .withGuestSize(plan.screenWidth(), plan.screenHeight())
                    .withClientSize(plan.screenWidth(), plan.screenHeight()).withFullScreen(true), server,
                    sound.environment());
            resources.add(scene);
            if (fifoDir != null) {
                // Xspice opens the FIFOs that appear in the directory once it runs (it watches it).
                mkfifo(fifoDir.resolve("player.fifo"));
            }
            clientDisplay = scene.clientDisplay();
            guestPids.put("Xspice (guest X + Spice server)", scene.guestServerPid());
            clientPids.put("remote-viewer", scene.remoteViewerPid());
            clientPids.put("X server (Xvfb)", scene.clientServerPid());
            if (mode.redirect()) {
                int overlayPort = freePort();
                Map<String, String> clientEnv = new LinkedHashMap<>(sound.environment());
                clientEnv.put("DISPLAY", clientDisplay);
                Process client = start(dir, "client", clientEnv, List.of(), "client", "--listen", "tcp:127.0.0.1:" + overlayPort,
                        "--trust-guest-clock", "--report", dir.resolve("client-report.json").toString());
                clientPids.put("client service", client.pid());
                awaitListening(client, overlayPort, dir.resolve("client.log"));
                overlayRelay = CountingRelay.start(new InetSocketAddress("127.0.0.1", overlayPort), plan.link());
                resources.add(overlayRelay);
                player = start(dir, "player", Map.of(), PLAYER_JVM_OPTIONS, "play", plan.clipFile().toString(), "--window-at",
                        rect(plan.video()), "--x-display", scene.guestDisplay(), "--connect",
                        "tcp:127.0.0.1:" + overlayRelay.port(), "--timing", mode.timing(), "--seconds",
                        seconds(plan.secondsNanos() + 10_000_000_000L), "--script", plan.script(), "--events",
                        events.toString());
            } else {
                player = start(dir, "player", Map.of(), PLAYER_JVM_OPTIONS, "bench-player", plan.clipFile().toString(), "--x-display",
                        scene.guestDisplay(), "--window-at", rect(plan.video()), "--sink", mode.sink(), "--audio",
                        "fifo:" + fifoDir.resolve("player.fifo"), "--seconds",
                        seconds(plan.secondsNanos() + 10_000_000_000L), "--script", plan.script(), "--events",
                        events.toString());
            }
            guestPids.put("player", player.pid());
        }

        ScreenFrameReader reader = ScreenFrameReader.start(clientDisplay, plan.video(), READER_PERIOD_NANOS);
        resources.add(reader);
        MonitorRecorder recorder = new MonitorRecorder(sound).start();
        resources.add(recorder);
        long[] wire0 = wire(spiceRelay, overlayRelay);
        long spiceDown0 = spiceRelay == null ? 0 : spiceRelay.bytesFromTarget();
        long overlayDown0 = overlayRelay == null ? 0 : overlayRelay.bytesFromTarget();

        long origin = awaitOrigin(events, player, dir.resolve("player.log"));
        sleepUntil(origin + plan.warmupNanos());
        Map<String, Double> guest1 = ProcessCpu.snapshot(guestPids);
        Map<String, Double> client1 = ProcessCpu.snapshot(clientPids);
        long[] wire1 = wire(spiceRelay, overlayRelay);
        long steadyFrom = System.nanoTime();
        long steadyEnd = origin + plan.pauseAtNanos() - 500_000_000L;
        long grabEvery = (steadyEnd - steadyFrom) / (PICTURE_GRABS + 1);
        for (int i = 1; i <= PICTURE_GRABS; i++) {
            sleepUntil(steadyFrom + i * grabEvery);
            reader.grabWholePicture();
        }
        sleepUntil(steadyEnd);
        Map<String, Double> guest2 = ProcessCpu.snapshot(guestPids);
        Map<String, Double> client2 = ProcessCpu.snapshot(clientPids);
        long[] wire2 = wire(spiceRelay, overlayRelay);
        long steadyTo = System.nanoTime();
        sleepUntil(origin + plan.secondsNanos());
        Map<String, Double> guest3 = ProcessCpu.snapshot(guestPids);
        Map<String, Double> client3 = ProcessCpu.snapshot(clientPids);
        long[] wire3 = wire(spiceRelay, overlayRelay);
        long spiceDown3 = spiceRelay == null ? 0 : spiceRelay.bytesFromTarget();
        long overlayDown3 = overlayRelay == null ? 0 : overlayRelay.bytesFromTarget();
        reader.stop();
        recorder.close();
        if (reader.failure() != null) {
            throw new IllegalStateException("reading the client screen failed: " + reader.failure().getMessage(),
                    reader.failure());
        }

        // Bytes and CPU.
        result.spiceBytes = wire3[0] - wire0[0];
        result.overlayBytes = wire3[1] - wire0[1];
        result.spiceBytesToClient = spiceDown3 - spiceDown0;
        result.overlayBytesToGuest = overlayDown3 - overlayDown0;
        result.bytesOnWire = result.spiceBytes + result.overlayBytes;
        double steadySeconds = (steadyTo - steadyFrom) / 1e9;
        result.steadySeconds = steadySeconds;
        result.warmupSeconds = plan.warmupNanos() / 1e9;
        result.mbitPerSecond = (wire2[0] + wire2[1] - wire1[0] - wire1[1]) * 8 / steadySeconds / 1e6;
        // Against the bytes of the media sent in that window (the redirect player sends 250 ms ahead
        // in BUFFERED timing), not the file's average rate.
        long lead = "BUFFERED".equals(mode.timing()) ? 250_000_000L : 0;
        long mediaBytes = plan.clip().timeline().between(steadyFrom - origin + lead, steadyTo - origin + lead);
        result.timesSource = mediaBytes <= 0 ? Double.NaN
                : (double) (wire2[0] + wire2[1] - wire1[0] - wire1[1]) / mediaBytes;
        guestPids.keySet().forEach(k -> result.cpu.put("guest:" + k,
                new double[] {guest3.get(k), guest2.get(k) - guest1.get(k)}));
        clientPids.keySet().forEach(k -> result.cpu.put("client:" + k,
                new double[] {client3.get(k), client2.get(k) - client1.get(k)}));

        // What the screen showed.
        List<PlaybackEventLog.Event> ev = PlaybackEventLog.readSoFar(events);
        ScreenTimeline timeline = ScreenTimeline.of(reader.sightings());
        writeAppearances(dir.resolve("screen-timeline.csv"), timeline, origin, ev);
        Optional<PlaybackEventLog.Event> pause = PlaybackEventLog.first(ev, "pause");
        long lagEnd = pause.map(PlaybackEventLog.Event::atNs).orElse(steadyTo);
        // The clock the player had when the steady state began (a player may read its clock again as
        // an audio clock settles; the actions that follow move it, and are measured apart).
        long steadyOrigin = PlaybackEventLog.originAt(ev, steadyFrom).orElse(origin);
        ScreenTimeline.FrameFigures f = timeline.frames(steadyOrigin, plan.clip().fps(), origin + plan.warmupNanos(),
                lagEnd);
        result.lagsMs = f.lagsMs();
        result.framesShown = f.shown();
        result.framesSkipped = f.skipped();
        result.framesRepeated = f.repeated();
        if (f.shown() == 0) {
            result.notes.put("lag", "no frame number was read on the client screen");
        }
        Optional<PlaybackEventLog.Event> resume = PlaybackEventLog.first(ev, "resume");
        Optional<PlaybackEventLog.Event> seek = PlaybackEventLog.first(ev, "seek");
        if (pause.isPresent() && resume.isPresent()) {
            result.pauseReactionMs = timeline.pauseReactionMs(pause.get().atNs(), resume.get().atNs());
        } else {
            result.notes.put("reaction_pause", "the player did not report its pause and resume");
        }
        if (seek.isPresent()) {
            int target = (int) (seek.get().toNs() * plan.clip().fps() / 1_000_000_000L);
            timeline.seekReactionNanos(seek.get().atNs(), target, plan.clip().fps() * 3 / 2)
                    .ifPresentOrElse(n -> result.seekReactionMs = n / 1e6,
                            () -> result.notes.put("reaction_seek", "no frame near the seek target showed"));
        } else {
            result.notes.put("reaction_seek", "the player did not report its seek");
        }
        if (plan.clip().avMarks()) {
            // Over the steady window, as the lag: sound output settles in the first seconds.
            result.avOffsetsMs = timeline.avOffsetsMs(plan.clip()::isFlash, recorder.beepOnsetsNanos(),
                    origin + plan.warmupNanos(), lagEnd);
            if (result.avOffsetsMs.length == 0) {
                result.notes.put("av_offset", recorder.beepOnsetsNanos().isEmpty()
                        ? "no beep was heard on the client's sound server" : "no beep came near a flash frame");
            }
        } else {
            result.notes.put("av_offset", "the clip has no A/V marks (flash frames with beeps); use av-720p or av-1080p");
        }
        picture(reader.fullGrabs(), result);
    }

    /** What the screen showed, for a person to read: each appearance and the player's actions, ms from the origin. */
    private static void writeAppearances(Path file, ScreenTimeline timeline, long origin,
            List<PlaybackEventLog.Event> events) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("first_seen_ms,until_ms,frame_or_action");
        for (PlaybackEventLog.Event e : events) {
            if (e.atNs() >= 0 && !e.event().equals("clock")) {
                lines.add(String.format(java.util.Locale.ROOT, "%.1f,,%s%s", (e.atNs() - origin) / 1e6, e.event(),
                        e.toNs() >= 0 ? " to " + e.toNs() / 1_000_000 + " ms" : ""));
            }
        }
        for (ScreenTimeline.Appearance a : timeline.appearances()) {
            lines.add(String.format(java.util.Locale.ROOT, "%.1f,%.1f,%d", (a.firstAtNanos() - origin) / 1e6,
                    (a.untilNanos() - origin) / 1e6, a.frame()));
        }
        lines.sort(java.util.Comparator.comparingDouble(l -> l.startsWith("first") ? Double.NEGATIVE_INFINITY
                : Double.parseDouble(l.substring(0, l.indexOf(',')))));
        Files.write(file, lines);
    }

    private void picture(List<ScreenFrameReader.FullGrab> grabs, ModeResult result) throws IOException {
        Set<Integer> wanted = new HashSet<>();
        for (ScreenFrameReader.FullGrab g : grabs) {
            if (g.frame() >= 0) {
                wanted.add(g.frame());
            }
        }
        if (wanted.isEmpty()) {
            result.notes.put("psnr", "no whole-picture grab carried a readable frame number");
            return;
        }
        Map<Integer, int[]> reference = ReferenceFrames.decode(plan.clipFile(), wanted);
        List<Double> psnrs = new ArrayList<>();
        for (ScreenFrameReader.FullGrab g : grabs) {
            int[] ref = reference.get(g.frame());
            if (ref != null && ref.length == g.image().width() * g.image().height()) {
                double p = PictureQuality.psnr(g.image(), ref);
                psnrs.add(p);
                if (p >= PictureQuality.IDENTICAL_DB) {
                    result.framesIdentical++;
                }
            }
        }
        result.framesCompared = psnrs.size();
        result.psnrDb = ScreenTimeline.percentile(psnrs.stream().mapToDouble(Double::doubleValue).toArray(), 50);
    }

    private static long[] wire(CountingRelay spice, CountingRelay overlay) {
        return new long[] {spice == null ? 0 : spice.bytesToTarget() + spice.bytesFromTarget(),
                overlay == null ? 0 : overlay.bytesToTarget() + overlay.bytesFromTarget()};
    }

    private long awaitOrigin(Path events, Process player, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            Optional<PlaybackEventLog.Event> clock = PlaybackEventLog.first(PlaybackEventLog.readSoFar(events), "clock");
            if (clock.isPresent()) {
                return clock.get().originNs();
            }
            if (!player.isAlive()) {
                throw new IllegalStateException("the player ended (exit " + player.exitValue()
                        + ") before it played: " + tail(log));
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("the player did not start playing within 60 s: " + tail(log));
    }

    private Process start(Path dir, String name, Map<String, String> env, List<String> jvmOptions, String... args)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(OverlayCommand.class.getName());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        processes.add(p);
        return p;
    }

    private static void awaitListening(Process client, int port, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                if (!client.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("the client service did not listen on port " + port + ": "
                            + tail(log));
                }
                Thread.sleep(100);
            }
        }
    }

    private static void mkfifo(Path path) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("mkfifo", "-m", "600", path.toString()).redirectErrorStream(true).start();
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("mkfifo " + path + " failed: " + new String(p.getInputStream().readAllBytes()));
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    private static String rect(Rect r) {
        return r.x() + "," + r.y() + "," + r.width() + "," + r.height();
    }

    private static String seconds(long nanos) {
        return Long.toString(Math.max(1, nanos / 1_000_000_000L));
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Stops the players and client first (so they finish their reports), then the rest, newest first. */
    private void tearDown() {
        for (Process p : processes) {
            p.destroy();
        }
        for (Process p : processes) {
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
        processes.clear();
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                System.err.println("overlay bench: closing " + resources.get(i) + ": " + e.getMessage());
            }
        }
        resources.clear();
    }
}
