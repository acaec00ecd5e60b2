package org.spiceoverlay.samples.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.spiceoverlay.api.Rect;
import org.spiceoverlay.samples.bench.OverlayJava;

/**
 * The script the VM's guest runs once its X server is up (scripts/vm/guest-init.sh runs it as
 * root, DISPLAY=:0): what a real guest does. It waits for the host's word that the client service
 * listens ({@code /mnt/share/go}), starts the guest proxy daemon on the real port device, then the
 * sample player in a window on the guest display connected to the daemon, and records each step,
 * the player's output and both processes' CPU time in the share.
 *
 * <p>The guest runs this machine's own root filesystem, so the same Java command line (class path,
 * clip path) works there. Its JVMs stop at the first JIT tier and use the serial collector: under
 * TCG every instruction is emulated, and C2 compilations would cost the guest more than they save.
 */
public final class VmGuestScript {

    /** Where the daemon listens for apps in the guest. */
    static final String APP_SOCKET = "/run/spice-overlay/guest.sock";
    /**
     * How far ahead the guest's player sends in BUFFERED timing: under TCG its sends come in bursts
     * between long pauses (every guest instruction is emulated, and the machine's cores are shared
     * with QEMU's other threads and the client), so it keeps two seconds in hand instead of the
     * usual quarter second.
     */
    static final long LEAD_MS = 2000;
    /** The overlay's port as the guest's udev names it. */
    static final String PORT_DEVICE = "/dev/virtio-ports/org.spiceoverlay.0";

    private VmGuestScript() {}

    /**
     * The script: play {@code clip} at {@code rect} for {@code seconds} at most. The daemon runs with
     * the arguments of the systemd unit's {@code ExecStart} ({@code daemonArguments}), as root: the
     * guest sees this machine's build under its owner's home.
     */
    static String play(String clip, Rect rect, double seconds, String timing, List<String> daemonArguments) {
        List<String> jvm = List.of("-XX:+UseSerialGC");
        String proxy = shell(OverlayJava.command(jvm, daemonArguments));
        List<String> playArgs = new ArrayList<>(List.of(
                "play",
                clip,
                "--window-at",
                rect.x() + "," + rect.y() + "," + rect.width() + "," + rect.height(),
                "--x-display",
                ":0",
                "--connect",
                "unix:" + APP_SOCKET,
                "--seconds",
                Double.toString(seconds),
                "--timing",
                timing,
                "--lead-ms",
                Long.toString(LEAD_MS)));
        String player = shell(OverlayJava.command(jvm, playArgs));
        return String.join(
                "\n",
                "#!/bin/sh",
                "S=/mnt/share",
                "mark() { echo \"$(cut -d' ' -f1 /proc/uptime) $*\" >> $S/guest.log; }",
                "while [ ! -e $S/go ]; do sleep 0.1; done",
                "mark go",
                "mkdir -p /run/spice-overlay",
                proxy + " > $S/guest-proxy.log 2>&1 &",
                "PROXY=$!",
                "i=0",
                "while [ ! -S " + APP_SOCKET + " ]; do",
                "  i=$((i + 1)); [ $i -gt 600 ] && { mark 'proxy-failed'; exit 1; }",
                "  kill -0 $PROXY 2>/dev/null || { mark 'proxy-exited'; exit 1; }",
                "  sleep 0.1",
                "done",
                "mark proxy-up",
                "/usr/bin/time -f '%e %U %S' -o $S/player.time " + player + " > $S/player.log 2>&1",
                "RC=$?",
                "mark \"player-exit $RC\"",
                // utime and stime of the daemon, in clock ticks (fields 14 and 15; its name has no space)
                "cut -d' ' -f14,15 /proc/$PROXY/stat > $S/proxy.ticks",
                "kill $PROXY",
                "exit $RC",
                "");
    }

    /**
     * The overlay command's arguments in the systemd unit's {@code ExecStart} (after the jar), so
     * that the VM starts the daemon exactly as the unit would.
     *
     * @throws IllegalArgumentException when the unit has no such line
     */
    static List<String> daemonArguments(String unit) {
        for (String line : unit.split("\n")) {
            if (line.startsWith("ExecStart=")) {
                List<String> words =
                        List.of(line.substring("ExecStart=".length()).trim().split("\\s+"));
                for (int i = 0; i < words.size(); i++) {
                    if (words.get(i).endsWith("overlay.jar")) {
                        return words.subList(i + 1, words.size());
                    }
                }
            }
        }
        throw new IllegalArgumentException("the unit's ExecStart runs no overlay.jar");
    }

    private static String shell(List<String> command) {
        return command.stream().map(VmGuestScript::quote).collect(Collectors.joining(" "));
    }

    /** One argument for sh, single-quoted. */
    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
