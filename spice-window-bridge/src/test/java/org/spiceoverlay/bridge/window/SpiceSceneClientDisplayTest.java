package org.spiceoverlay.bridge.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spiceoverlay.media.PrivateXServer;
import org.spiceoverlay.media.SpiceScene;

/**
 * {@code spice-scene.sh up --client-display} ({@link SpiceScene.Options#withClientDisplay}): the
 * scene puts remote-viewer on a display that is already there (here a private Xvfb standing for the
 * user's desktop) and {@code down} leaves that display running.
 */
@Tag("integration")
class SpiceSceneClientDisplayTest {

    @Test
    void remoteViewerOpensOnTheGivenDisplayAndDownLeavesItRunning() throws Exception {
        try (PrivateXServer xvfb = PrivateXServer.start(1280, 800)) {
            String display = xvfb.display();
            Path dir = Files.createDirectories(Path.of("target", "spice-scenes"))
                    .resolve("given-display-" + System.currentTimeMillis());
            long viewerPid;
            try (SpiceScene scene =
                    SpiceScene.start(dir, SpiceScene.Options.defaults().withClientDisplay(display))) {
                assertEquals(display, scene.clientDisplay());
                assertTrue(scene.clientDisplayGiven());
                viewerPid = scene.remoteViewerPid();
                String title = run(display, "xdotool", "getwindowname", Long.toString(scene.remoteViewerWindow()));
                assertTrue(
                        title.contains("spice-scene ("),
                        "remote-viewer's window on " + display + " is titled '" + title + "'");
                String state = Files.readString(dir.resolve("scene.env"), StandardCharsets.UTF_8);
                assertFalse(
                        state.contains("CLIENT_XVFB_PID") || state.contains("OPENBOX_PID"),
                        "the scene started a client display of its own: " + state);
                assertTrue(state.contains("CLIENT_SIZE=1280x800"), state);
            }
            Optional<ProcessHandle> viewer = ProcessHandle.of(viewerPid);
            assertTrue(viewer.isEmpty() || !viewer.get().isAlive(), "remote-viewer still runs after down");
            assertTrue(xvfb.isAlive(), "down stopped the given display's X server");
            assertTrue(run(display, "xdpyinfo").contains("1280x800"), "the given display answers after down");
        }
    }

    @Test
    void aGivenDisplayHasItsOwnSize(@TempDir Path dir) throws Exception {
        Process p = new ProcessBuilder(
                        SpiceScene.script().toString(),
                        "up",
                        dir.toString(),
                        "--client-display",
                        ":0",
                        "--client-size",
                        "800x600")
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(1, p.waitFor(), out);
        assertTrue(out.contains("--client-size and --client-display are mutually exclusive"), out);
        assertFalse(Files.exists(dir.resolve("scene.env")), "nothing was started");
        assertThrows(IllegalArgumentException.class, () -> SpiceScene.Options.defaults()
                .withClientDisplay("0"));
    }

    private static String run(String display, String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("DISPLAY", display);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), String.join(" ", command) + " hung");
        assertEquals(0, p.exitValue(), String.join(" ", command) + ": " + out);
        return out.trim();
    }
}
