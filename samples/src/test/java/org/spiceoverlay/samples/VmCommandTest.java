package org.spiceoverlay.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import picocli.CommandLine;

/**
 * The real deployment end to end: a QEMU guest (KVM where it runs, else TCG) with QEMU's Spice
 * server and QXL display, the guest proxy daemon on the real virtio-serial port and the sample
 * player in a guest window; remote-viewer and the client service here. The command's own rule
 * (>= 95 % of the frames sent presented, placement within 1 px) decides its exit code, and the
 * report carries the figures.
 */
@Tag("integration")
class VmCommandTest {

    @Test
    void aGuestInAVirtualMachinePlaysThroughItsPort(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("r.json");
        Path shot = dir.resolve("s.png");
        StringWriter out = new StringWriter();
        CommandLine cl = OverlayCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(out, true));
        int exit = cl.execute("vm", "--seconds", "10", "--report", report.toString(), "--screenshot", shot.toString());
        assertEquals(0, exit, out.toString());
        JsonNode r = new ObjectMapper().readTree(report.toFile());
        assertTrue(Set.of("kvm", "tcg").contains(r.path("accel").asText()), r.toString());
        assertTrue(r.path("boot_to_x_ms").asLong() > 0, r.toString());
        long sent = r.path("frames_sent").asLong();
        long presented = r.path("frames_presented").asLong();
        assertEquals(300, r.path("clip_frames").asLong(), r.toString());
        assertTrue(sent >= 285, "the 10 s clip (300 frames) sent: " + r);
        assertTrue(presented * 100 >= sent * 95, "frames presented: " + r);
        assertTrue(r.path("placement_error_px").asInt(-1) <= 1 && r.path("placement_error_px").asInt(-1) >= 0,
                r.toString());
        assertTrue(r.path("guest_cpu_s").path("player").asDouble() > 0, "the player's CPU measured in the guest: " + r);
        assertEquals("spice-overlay 660", r.path("port_device").asText(), "the udev rule of packaging/guest: " + r);
        assertTrue(Files.size(shot) > 1000, "screenshot saved");
    }
}
