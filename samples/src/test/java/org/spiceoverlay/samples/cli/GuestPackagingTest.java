package org.spiceoverlay.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The guest side's packaging (packaging/guest): the systemd unit of the guest proxy daemon passes
 * {@code systemd-analyze verify} without a warning, and the unit and the udev rule name the same
 * port, the one the VM gives the guest ({@code overlay vm} starts the daemon with the unit's
 * arguments and checks the rule's group and mode on the real device).
 */
@Tag("integration")
class GuestPackagingTest {

    private static final Path UNIT = VmScene.repositoryFile("packaging/guest/spice-overlay-guest-proxy.service");
    private static final Path RULE = VmScene.repositoryFile("packaging/guest/60-spice-overlay.rules");

    @Test
    void theUnitVerifies() throws Exception {
        Process p = new ProcessBuilder("systemd-analyze", "verify", UNIT.toString())
                .redirectErrorStream(true)
                .start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "systemd-analyze verify did not finish");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.lines().noneMatch(l -> l.contains(UNIT.getFileName().toString())), "warnings: " + out);
    }

    @Test
    void theUnitAndTheRuleServeThePortTheVmHas() throws Exception {
        List<String> args = VmGuestScript.daemonArguments(Files.readString(UNIT));
        assertEquals(
                List.of(
                        "guest-proxy",
                        "--listen",
                        "unix:" + VmGuestScript.APP_SOCKET,
                        "--connect",
                        "serial:" + VmGuestScript.PORT_DEVICE),
                args);
        String unit = Files.readString(UNIT);
        assertTrue(unit.contains("BindsTo=dev-virtio\\x2dports-org.spiceoverlay.0.device"), unit);
        String rule = Files.readString(RULE);
        assertTrue(rule.contains("ATTR{name}==\"org.spiceoverlay.0\""), rule);
        assertTrue(rule.contains("ENV{SYSTEMD_WANTS}+=\"" + UNIT.getFileName() + "\""), rule);
        assertTrue(VmGuestScript.PORT_DEVICE.endsWith("/org.spiceoverlay.0"));
    }
}
