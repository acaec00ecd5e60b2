package org.spiceoverlay.samples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.spiceoverlay.api.Rect;
import org.spiceoverlay.bridge.window.ClientWindowProfile;
import org.spiceoverlay.bridge.window.ScreenImage;
import org.spiceoverlay.bridge.window.WindowSelector;
import org.spiceoverlay.bridge.window.X11WindowTracker;
import org.spiceoverlay.guest.GuestTiming;
import org.spiceoverlay.media.ClipGenerator;
import org.spiceoverlay.media.SampleClip;
import org.spiceoverlay.media.SpiceScene;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code overlay vm}: the real deployment on one machine. A Linux guest under QEMU (KVM where KVM
 * guests run, TCG otherwise) with QEMU's Spice server and a QXL display; in the guest, an X server,
 * the guest proxy daemon on the real virtio-serial port and the sample player in a window; on this
 * machine remote-viewer connected to QEMU, and the client service listening where the port's
 * chardev connects and drawing over remote-viewer's window. Reports what {@code demo} reports, plus
 * the accelerator, boot time and CPU of the guest's processes and of QEMU's vCPUs.
 */
@Command(
        name = "vm",
        sortOptions = false,
        description = {
            "The real deployment: a QEMU guest (this machine's kernel and root filesystem, no image) with QEMU's Spice "
                    + "server and a QXL display; inside it an X server, the guest proxy daemon on the virtio-serial port "
                    + "org.spiceoverlay.0 and the sample player in a window; here remote-viewer and the client service "
                    + "(mux+unix:). Prints and writes frames sent / presented, latency, placement_error_px, the "
                    + "accelerator, boot time and CPU. Exit 0 when the guest sent >= 95 %% of the clip's frames, >= 95 %% of "
                    + "those were presented and the placement error is <= 1 px; 1 when not, 2 on a usage error."
        })
public final class VmCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "Show this help and exit.")
    boolean help;

    @Option(
            names = "--seconds",
            paramLabel = "N",
            defaultValue = "20",
            description = "Length of the clip the guest " + "plays, whole (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(
            names = "--clip",
            paramLabel = "NAME",
            defaultValue = "av-360p",
            description = "Sample clip the guest "
                    + "plays (default: ${DEFAULT-VALUE}: under TCG a guest sends a small clip in time).")
    String clipName;

    @Option(
            names = "--rect",
            paramLabel = "X,Y,W,H",
            defaultValue = "300,250,640,360",
            description = "The player window in the guest display (default: ${DEFAULT-VALUE}).")
    String rect;

    @Option(
            names = "--guest-size",
            paramLabel = "WxH",
            defaultValue = "1024x768",
            description = "The guest display (default: ${DEFAULT-VALUE}).")
    String guestSize;

    @Option(
            names = "--accel",
            paramLabel = "auto|kvm|tcg",
            defaultValue = "auto",
            description = "KVM or TCG; auto: KVM when a probe guest runs under it here (default: ${DEFAULT-VALUE}).")
    String accel;

    @Option(
            names = "--timing",
            paramLabel = "MODE",
            defaultValue = "BUFFERED",
            description = "BUFFERED or LIVE (default: ${DEFAULT-VALUE}).")
    GuestTiming timing;

    @Option(
            names = "--boot-timeout",
            paramLabel = "S",
            defaultValue = "180",
            description = "Seconds the guest may take to bring its X server up (default: ${DEFAULT-VALUE}).")
    int bootTimeout;

    @Option(names = "--report", paramLabel = "FILE", description = "Write the report as JSON.")
    Path report;

    @Option(
            names = "--screenshot",
            paramLabel = "FILE",
            description = "Save a PNG of the client screen while the " + "video plays.")
    Path screenshot;

    private int clipFrames;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Rect videoRect;
        SampleClip clip;
        try {
            videoRect = ClientCommand.parseRect(rect);
            clip = SampleClip.byName(clipName);
            if (!guestSize.matches("[0-9]+x[0-9]+")
                    || !accel.matches("auto|kvm|tcg")
                    || !(seconds > 0)
                    || bootTimeout <= 0) {
                throw new IllegalArgumentException("--guest-size takes WxH, --accel auto, kvm or tcg, --seconds and "
                        + "--boot-timeout a positive number");
            }
        } catch (IllegalArgumentException e) {
            err.println("overlay vm: " + e.getMessage());
            return 2;
        }
        Path work = Files.createTempDirectory("spice-overlay-vm");
        // The guest plays the whole clip, of --seconds: it must send every frame, in time.
        long clipMillis = Math.round(seconds * 1000);
        Path clipDir = Path.of(System.getProperty("user.home"), ".cache", "spice-overlay", "clips", clipMillis + "ms");
        out.println("sample clip: " + clip + ", " + seconds + " s (generating if needed)");
        out.flush();
        Path clipFile = ClipGenerator.generate(clip, clipDir, Duration.ofMillis(clipMillis), false)
                .file();
        clipFrames = clip.frameCount(Duration.ofMillis(clipMillis));
        Path guestScript = work.resolve("guest.sh");
        List<String> daemon = VmGuestScript.daemonArguments(
                Files.readString(VmScene.repositoryFile("packaging/guest/spice-overlay-guest-proxy.service")));
        Files.writeString(
                guestScript, VmGuestScript.play(clipFile.toString(), videoRect, seconds + 300, timing.name(), daemon));
        Path portSocket = work.resolve("port.sock");
        out.println("booting the guest (QEMU, QXL " + guestSize + ", Spice, virtio-serial port org.spiceoverlay.0)");
        out.flush();
        VmScene vm;
        try {
            vm = VmScene.start(work.resolve("vm"), portSocket, guestSize, accel, guestScript, bootTimeout);
        } catch (IllegalStateException e) {
            err.println("overlay vm: the guest did not come up: " + e.getMessage());
            return 1;
        }
        int result = 1;
        try (vm) {
            out.printf(
                    Locale.ROOT,
                    "guest up under %s: X on its QXL display %.1f s after QEMU started; " + "spice://127.0.0.1:%d%n",
                    vm.accel().toUpperCase(Locale.ROOT),
                    vm.bootToXMillis() / 1000.0,
                    vm.spicePort());
            out.flush();
            String[] wh = guestSize.split("x");
            SpiceScene.Options options =
                    SpiceScene.Options.defaults().withGuestSize(Integer.parseInt(wh[0]), Integer.parseInt(wh[1]));
            SpiceScene viewer;
            try {
                viewer = SpiceScene.start(
                        work.resolve("viewer"),
                        options,
                        List.of("--guest-server", Integer.toString(vm.spicePort())),
                        Map.of());
            } catch (IllegalStateException e) {
                err.println("overlay vm: remote-viewer did not connect to the guest: " + e.getMessage());
                return 1;
            }
            try (viewer) {
                result = play(out, err, clip, vm, viewer, work, portSocket);
                return result;
            }
        } finally {
            if (result == 0) {
                deleteTree(work);
            } else {
                err.println("overlay vm: logs are in " + work + " (the guest's in " + work.resolve("vm/share")
                        + ", QEMU's and its console in " + work.resolve("vm/logs") + ")");
            }
        }
    }

    private static void deleteTree(Path dir) {
        try (java.util.stream.Stream<Path> all = Files.walk(dir)) {
            all.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temporary folder is harmless
        }
    }

    private int play(
            PrintWriter out,
            PrintWriter err,
            SampleClip clip,
            VmScene vm,
            SpiceScene viewer,
            Path work,
            Path portSocket)
            throws Exception {
        try (ClientProcess client = ClientProcess.start(
                        viewer.clientDisplay(),
                        "mux+unix:" + portSocket,
                        work.resolve("client.json"),
                        work.resolve("client.log"),
                        null,
                        false);
                X11WindowTracker grabber = X11WindowTracker.open(
                        viewer.clientDisplay(), ClientWindowProfile.remoteViewer(), WindowSelector.any())) {
            client.awaitSocket(portSocket);
            out.println("remote-viewer on " + viewer.clientDisplay() + "; client service listening on mux+unix:"
                    + portSocket + " (QEMU's chardev connects there)");
            out.flush();
            long vcpuStart = (long) (vm.vcpuSeconds() * 1000);
            Files.writeString(vm.share().resolve("go"), "go\n");
            // Where remote-viewer shows the player window: its probe colour, before the video covers it.
            PlacementMeasure.ProbeSighting sighting = PlacementMeasure.awaitProbe(
                    grabber, Duration.ofSeconds(120), vm::running, work.resolve("before.png"));
            ScreenImage before = sighting.grab();
            Rect shown = sighting.shown();
            if (shown == null) {
                err.println("overlay vm: the guest's player window never showed in remote-viewer (see "
                        + work.resolve("before.png") + ", " + vm.share().resolve("player.log") + ")");
                return 1;
            }
            out.println("player window at " + rect + " in the guest shows at " + shown + " on the client screen");
            out.flush();
            // The picture while the video plays: the first grab, after the player started, where video
            // covers the player window's place.
            ScreenImage during = awaitVideo(vm, grabber, before, shown);
            if (screenshot != null && during != null) {
                ImageIO.write(PlacementMeasure.image(during), "png", screenshot.toFile());
            }
            // The guest powers off when its script ends.
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos((long) seconds + 180);
            double vcpuLast = Double.NaN;
            while (vm.running() && System.nanoTime() < end) {
                double v = vm.vcpuSeconds();
                if (!Double.isNaN(v) && !(v < vcpuLast)) {
                    vcpuLast = v; // the highest: at power-off the vCPU threads end before QEMU does
                }
                Thread.sleep(200);
            }
            double vcpu = vcpuLast - vcpuStart / 1000.0;
            ClientProcess.Report r;
            try {
                r = client.stop();
            } catch (IOException e) {
                err.println("overlay vm: " + e.getMessage());
                return 1;
            }
            Rect video = during == null
                    ? null
                    : PlacementMeasure.changed(before, during).orElse(null);
            int placementError = video == null ? -1 : PlacementMeasure.edgeError(shown, video);
            return VmReport.write(
                    report, seconds, clipFrames, out, err, clip, vm, r, placementError, video, shown, vcpu);
        }
    }

    /**
     * Grabs the client screen until video covers the player window's place (no probe colour left in
     * it, the picture changed there), a second after the first such grab; null when the guest's
     * player ended first.
     */
    private ScreenImage awaitVideo(VmScene vm, X11WindowTracker grabber, ScreenImage before, Rect shown)
            throws IOException, InterruptedException {
        Path log = vm.share().resolve("guest.log");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos((long) seconds + 120);
        long coveredAt = 0;
        while (System.nanoTime() < deadline && vm.running()) {
            if (Files.exists(log) && Files.readString(log).contains(" player-exit")) {
                return null;
            }
            ScreenImage now = grabber.grab(PlacementMeasure.SCREEN);
            boolean covered = PlacementMeasure.probePixels(now, shown) == 0
                    && PlacementMeasure.changed(before, now).isPresent();
            if (covered && coveredAt == 0) {
                coveredAt = System.nanoTime();
            } else if (covered && System.nanoTime() - coveredAt > TimeUnit.SECONDS.toNanos(1)) {
                return now;
            } else if (!covered) {
                coveredAt = 0;
            }
            Thread.sleep(200);
        }
        return null;
    }
}
