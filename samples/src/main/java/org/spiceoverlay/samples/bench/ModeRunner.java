package org.spiceoverlay.samples.bench;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.spiceoverlay.api.Rect;
import org.spiceoverlay.media.PrivateXServer;
import org.spiceoverlay.media.SpiceScene;
import org.spiceoverlay.samples.player.PlaybackEventLog;

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
public final class ModeRunner {

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
    private final ModeProcesses procs = new ModeProcesses();

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
            procs.close();
        }
        return result;
    }

    private void measure(BenchMode mode, Path dir, ModeResult result) throws Exception {
        PrivateSoundServer sound = PrivateSoundServer.start();
        procs.add(sound);
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
            procs.add(x);
            clientDisplay = x.display();
            clientPids.put("X server (Xvfb)", x.pid());
            player = procs.start(
                    dir,
                    "player",
                    sound.environment(),
                    PLAYER_JVM_OPTIONS,
                    "bench-player",
                    plan.clipFile().toString(),
                    "--x-display",
                    clientDisplay,
                    "--window-at",
                    rect(plan.video()),
                    "--sink",
                    mode.sink(),
                    "--audio",
                    "pulse",
                    "--seconds",
                    seconds(plan.secondsNanos() + 10_000_000_000L),
                    "--script",
                    plan.script(),
                    "--events",
                    events.toString());
            clientPids.put("player", player.pid());
        } else {
            int spicePort = ModeProcesses.freePort();
            spiceRelay = CountingRelay.start(new InetSocketAddress("127.0.0.1", spicePort), plan.link());
            procs.add(spiceRelay);
            List<String> server = new ArrayList<>(List.of(
                    "--spice-port", Integer.toString(spicePort), "--viewer-port", Integer.toString(spiceRelay.port())));
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
            SpiceScene scene = SpiceScene.start(
                    dir.resolve("scene"),
                    SpiceScene.Options.defaults()
                            .withGuestSize(plan.screenWidth(), plan.screenHeight())
                            .withClientSize(plan.screenWidth(), plan.screenHeight())
                            .withFullScreen(true),
                    server,
                    sound.environment());
            procs.add(scene);
            if (fifoDir != null) {
                // Xspice opens the FIFOs that appear in the directory once it runs (it watches it).
                ModeProcesses.mkfifo(fifoDir.resolve("player.fifo"));
            }
            clientDisplay = scene.clientDisplay();
            guestPids.put("Xspice (guest X + Spice server)", scene.guestServerPid());
            clientPids.put("remote-viewer", scene.remoteViewerPid());
            clientPids.put("X server (Xvfb)", scene.clientServerPid());
            if (mode.redirect()) {
                int overlayPort = ModeProcesses.freePort();
                Map<String, String> clientEnv = new LinkedHashMap<>(sound.environment());
                clientEnv.put("DISPLAY", clientDisplay);
                Process client = procs.start(
                        dir,
                        "client",
                        clientEnv,
                        List.of(),
                        "client",
                        "--listen",
                        "tcp:127.0.0.1:" + overlayPort,
                        "--trust-guest-clock",
                        "--report",
                        dir.resolve("client-report.json").toString());
                clientPids.put("client service", client.pid());
                ModeProcesses.awaitListening(client, overlayPort, dir.resolve("client.log"));
                overlayRelay = CountingRelay.start(new InetSocketAddress("127.0.0.1", overlayPort), plan.link());
                procs.add(overlayRelay);
                player = procs.start(
                        dir,
                        "player",
                        Map.of(),
                        PLAYER_JVM_OPTIONS,
                        "play",
                        plan.clipFile().toString(),
                        "--window-at",
                        rect(plan.video()),
                        "--x-display",
                        scene.guestDisplay(),
                        "--connect",
                        "tcp:127.0.0.1:" + overlayRelay.port(),
                        "--timing",
                        mode.timing(),
                        "--seconds",
                        seconds(plan.secondsNanos() + 10_000_000_000L),
                        "--script",
                        plan.script(),
                        "--events",
                        events.toString());
            } else {
                player = procs.start(
                        dir,
                        "player",
                        Map.of(),
                        PLAYER_JVM_OPTIONS,
                        "bench-player",
                        plan.clipFile().toString(),
                        "--x-display",
                        scene.guestDisplay(),
                        "--window-at",
                        rect(plan.video()),
                        "--sink",
                        mode.sink(),
                        "--audio",
                        "fifo:" + fifoDir.resolve("player.fifo"),
                        "--seconds",
                        seconds(plan.secondsNanos() + 10_000_000_000L),
                        "--script",
                        plan.script(),
                        "--events",
                        events.toString());
            }
            guestPids.put("player", player.pid());
        }

        ScreenFrameReader reader = ScreenFrameReader.start(clientDisplay, plan.video(), READER_PERIOD_NANOS);
        procs.add(reader);
        MonitorRecorder recorder = new MonitorRecorder(sound).start();
        procs.add(recorder);
        Wire wire0 = Wire.read(spiceRelay, overlayRelay);

        long origin = awaitOrigin(events, player, dir.resolve("player.log"));
        sleepUntil(origin + plan.warmupNanos());
        Map<String, Double> guest1 = ProcessCpu.snapshot(guestPids);
        Map<String, Double> client1 = ProcessCpu.snapshot(clientPids);
        Wire wire1 = Wire.read(spiceRelay, overlayRelay);
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
        Wire wire2 = Wire.read(spiceRelay, overlayRelay);
        long steadyTo = System.nanoTime();
        sleepUntil(origin + plan.secondsNanos());
        Map<String, Double> guest3 = ProcessCpu.snapshot(guestPids);
        Map<String, Double> client3 = ProcessCpu.snapshot(clientPids);
        Wire wire3 = Wire.read(spiceRelay, overlayRelay);
        reader.stop();
        recorder.close();
        if (reader.failure() != null) {
            throw new IllegalStateException(
                    "reading the client screen failed: " + reader.failure().getMessage(), reader.failure());
        }

        // Bytes and CPU.
        result.spiceBytes = wire3.spice() - wire0.spice();
        result.overlayBytes = wire3.overlay() - wire0.overlay();
        result.spiceBytesToClient = wire3.spiceToClient() - wire0.spiceToClient();
        result.overlayBytesToGuest = wire3.overlayToGuest() - wire0.overlayToGuest();
        result.bytesOnWire = result.spiceBytes + result.overlayBytes;
        double steadySeconds = (steadyTo - steadyFrom) / 1e9;
        result.steadySeconds = steadySeconds;
        result.warmupSeconds = plan.warmupNanos() / 1e9;
        long steadyBytes = wire2.total() - wire1.total();
        result.mbitPerSecond = steadyBytes * 8 / steadySeconds / 1e6;
        // Against the bytes of the media sent in that window (the redirect player sends 250 ms ahead
        // in BUFFERED timing), not the file's average rate.
        long lead = "BUFFERED".equals(mode.timing()) ? 250_000_000L : 0;
        long mediaBytes = plan.clip().timeline().between(steadyFrom - origin + lead, steadyTo - origin + lead);
        result.timesSource = mediaBytes <= 0 ? Double.NaN : (double) steadyBytes / mediaBytes;
        guestPids
                .keySet()
                .forEach(
                        k -> result.cpu.put("guest:" + k, new double[] {guest3.get(k), guest2.get(k) - guest1.get(k)}));
        clientPids
                .keySet()
                .forEach(k ->
                        result.cpu.put("client:" + k, new double[] {client3.get(k), client2.get(k) - client1.get(k)}));

        // What the screen showed.
        List<PlaybackEventLog.Event> ev = PlaybackEventLog.readSoFar(events);
        ScreenTimeline timeline = ScreenTimeline.of(reader.sightings());
        ModeFigures.writeAppearances(dir.resolve("screen-timeline.csv"), timeline, origin, ev);
        Optional<PlaybackEventLog.Event> pause = PlaybackEventLog.first(ev, "pause");
        long lagEnd = pause.map(PlaybackEventLog.Event::atNs).orElse(steadyTo);
        // The clock the player had when the steady state began (a player may read its clock again as
        // an audio clock settles; the actions that follow move it, and are measured apart).
        long steadyOrigin = PlaybackEventLog.originAt(ev, steadyFrom).orElse(origin);
        ScreenTimeline.FrameFigures f =
                timeline.frames(steadyOrigin, plan.clip().fps(), origin + plan.warmupNanos(), lagEnd);
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
            result.pauseReactionMs =
                    timeline.pauseReactionMs(pause.get().atNs(), resume.get().atNs());
        } else {
            result.notes.put("reaction_pause", "the player did not report its pause and resume");
        }
        if (seek.isPresent()) {
            int target = (int) (seek.get().toNs() * plan.clip().fps() / 1_000_000_000L);
            timeline.seekReactionNanos(seek.get().atNs(), target, plan.clip().fps() * 3 / 2)
                    .ifPresentOrElse(
                            n -> result.seekReactionMs = n / 1e6,
                            () -> result.notes.put("reaction_seek", "no frame near the seek target showed"));
        } else {
            result.notes.put("reaction_seek", "the player did not report its seek");
        }
        if (plan.clip().avMarks()) {
            // Over the steady window, as the lag: sound output settles in the first seconds.
            result.avOffsetsMs = timeline.avOffsetsMs(
                    plan.clip()::isFlash, recorder.beepOnsetsNanos(), origin + plan.warmupNanos(), lagEnd);
            // And after the player's actions, each apart (the pause's resume, the seek), from 0.3 s on.
            long settle = 300_000_000L;
            result.avAfterResumeMs = resume.isPresent() && seek.isPresent()
                    ? timeline.avOffsetsMs(
                            plan.clip()::isFlash,
                            recorder.beepOnsetsNanos(),
                            resume.get().atNs() + settle,
                            seek.get().atNs())
                    : new double[0];
            result.avAfterSeekMs = seek.isPresent()
                    ? timeline.avOffsetsMs(
                            plan.clip()::isFlash,
                            recorder.beepOnsetsNanos(),
                            seek.get().atNs() + settle,
                            origin + plan.secondsNanos())
                    : new double[0];
            if (result.avOffsetsMs.length == 0) {
                result.notes.put(
                        "av_offset",
                        recorder.beepOnsetsNanos().isEmpty()
                                ? "no beep was heard on the client's sound server"
                                : "no beep came near a flash frame");
            }
        } else {
            result.notes.put(
                    "av_offset", "the clip has no A/V marks (flash frames with beeps); use av-720p or av-1080p");
        }
        ModeFigures.picture(plan.clipFile(), reader.fullGrabs(), result);
    }

    /** The relays' counters at one moment: each way of each channel (absent relays count 0). */
    private record Wire(long spiceToServer, long spiceToClient, long overlayToClient, long overlayToGuest) {

        static Wire read(CountingRelay spice, CountingRelay overlay) {
            return new Wire(
                    spice == null ? 0 : spice.bytesToTarget(),
                    spice == null ? 0 : spice.bytesFromTarget(),
                    overlay == null ? 0 : overlay.bytesToTarget(),
                    overlay == null ? 0 : overlay.bytesFromTarget());
        }

        long spice() {
            return spiceToServer + spiceToClient;
        }

        long overlay() {
            return overlayToClient + overlayToGuest;
        }

        long total() {
            return spice() + overlay();
        }
    }

    private long awaitOrigin(Path events, Process player, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            Optional<PlaybackEventLog.Event> clock =
                    PlaybackEventLog.first(PlaybackEventLog.readSoFar(events), "clock");
            if (clock.isPresent()) {
                return clock.get().originNs();
            }
            if (!player.isAlive()) {
                throw new IllegalStateException("the player ended (exit " + player.exitValue() + ") before it played: "
                        + ModeProcesses.tail(log));
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("the player did not start playing within 60 s: " + ModeProcesses.tail(log));
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
}
