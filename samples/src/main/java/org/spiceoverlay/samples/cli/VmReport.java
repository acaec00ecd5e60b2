package org.spiceoverlay.samples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.spiceoverlay.api.Rect;
import org.spiceoverlay.media.SampleClip;

/**
 * What {@code overlay vm} prints and writes when the guest's player is done: frames sent (from the
 * player's output in the share) and presented (the client's report), latency, placement, the
 * guest's CPU (GNU time's and /proc's figures from the share), QEMU's vCPU time; and its exit rule.
 *
 * <p>Stateless; the command's thread.
 */
public final class VmReport {

    private static final Pattern SENT = Pattern.compile("sent (\\d+) frames \\((\\d+) samples, (\\d+) bytes\\)");

    private VmReport() {}

    static int write(
            Path report,
            double seconds,
            int clipFrames,
            PrintWriter out,
            PrintWriter err,
            SampleClip clip,
            VmScene vm,
            ClientProcess.Report r,
            int placementError,
            Rect video,
            Rect shown,
            double vcpu)
            throws IOException {
        Path share = vm.share();
        String playerLog =
                Files.exists(share.resolve("player.log")) ? Files.readString(share.resolve("player.log")) : "";
        Matcher m = SENT.matcher(playerLog);
        if (!m.find()) {
            err.println("overlay vm: the guest's player did not finish; its output:\n"
                    + ClientProcess.tail(share.resolve("player.log"), 20) + "\nguest log:\n"
                    + ClientProcess.tail(share.resolve("guest.log"), 20));
            return 1;
        }
        long sent = Long.parseLong(m.group(1));
        long bytes = Long.parseLong(m.group(3));
        long presented = r.framesPresented();
        double sharePresented = sent == 0 ? 0 : 100.0 * presented / sent;
        double[] playerCpu = readPlayerTime(share.resolve("player.time"));
        double proxyCpu = readTicks(share.resolve("proxy.ticks"));
        out.printf(
                Locale.ROOT,
                "frames sent %d of the clip's %d, presented %d (%.1f%%), bytes sent %d; the player "
                        + "ran %.1f s (JVM start included) for a %.1f s clip%n",
                sent,
                clipFrames,
                presented,
                sharePresented,
                bytes,
                playerCpu[0],
                seconds);
        if (r.latencyMs() != null) {
            // The guest has a clock of its own: latency runs from a sample's arrival at the client.
            out.printf(
                    Locale.ROOT,
                    "latency arrived -> on screen: p50 %.1f ms, p95 %.1f ms, p99 %.1f ms%n",
                    r.latencyMs()[0],
                    r.latencyMs()[1],
                    r.latencyMs()[2]);
        }
        r.printStages(out);
        out.printf(
                Locale.ROOT,
                "placement: video at %s, player window shows at %s: error %d px%n",
                video,
                shown,
                placementError);
        out.printf(
                Locale.ROOT,
                "guest CPU: player %.2f s (of %.1f s wall), proxy daemon %.2f s; QEMU vCPUs %.1f s; " + "%s%n",
                playerCpu[1],
                playerCpu[0],
                proxyCpu,
                vcpu,
                vm.accel().toUpperCase(Locale.ROOT));
        if (report != null) {
            Map<String, Object> j = new java.util.LinkedHashMap<>();
            j.put("clip", clip.clipName());
            j.put("seconds", seconds);
            j.put("accel", vm.accel());
            j.put("boot_to_x_ms", vm.bootToXMillis());
            j.put("clip_frames", clipFrames);
            j.put("frames_sent", sent);
            j.put("frames_presented", presented);
            j.put("bytes_sent", bytes);
            j.put(
                    "arrival_to_screen_ms",
                    r.latencyMs() == null
                            ? null
                            : Map.of("p50", r.latencyMs()[0], "p95", r.latencyMs()[1], "p99", r.latencyMs()[2]));
            j.put("placement_error_px", placementError);
            j.put("player_wall_s", playerCpu[0]);
            j.put("port_device", portDevice(share));
            j.put("guest_cpu_s", Map.of("player", playerCpu[1], "proxy", proxyCpu));
            j.put("qemu_vcpu_s", Double.isNaN(vcpu) ? null : vcpu);
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(report.toFile(), j);
            out.println("report: " + report.toAbsolutePath());
        }
        out.flush();
        boolean wholeClip = sent * 100 >= clipFrames * 95L;
        if (!wholeClip) {
            out.println("the guest sent too few of the clip's frames (it is too slow here: a smaller clip, --clip)");
        }
        return wholeClip && sharePresented >= 95.0 && placementError >= 0 && placementError <= 1 ? 0 : 1;
    }

    /** The port device's group and mode as the guest's udev left them ("spice-overlay 660"), or null. */
    static String portDevice(Path share) throws IOException {
        Path log = share.resolve("guest.log");
        if (Files.exists(log)) {
            for (String line : Files.readAllLines(log)) {
                int i = line.indexOf(" port ");
                if (i >= 0) {
                    return line.substring(i + " port ".length()).trim();
                }
            }
        }
        return null;
    }

    /** {@code /usr/bin/time -f '%e %U %S'}: wall and user + system seconds; NaN when missing. */
    static double[] readPlayerTime(Path file) {
        try {
            String[] f = Files.readString(file).trim().split("\\s+");
            int n = f.length;
            return new double[] {
                Double.parseDouble(f[n - 3]), Double.parseDouble(f[n - 2]) + Double.parseDouble(f[n - 1])
            };
        } catch (IOException | RuntimeException e) {
            return new double[] {Double.NaN, Double.NaN};
        }
    }

    static double readTicks(Path file) {
        try {
            String[] f = Files.readString(file).trim().split("\\s+");
            return (Long.parseLong(f[0]) + Long.parseLong(f[1])) / 100.0;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }
}
