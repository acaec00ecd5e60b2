package org.spiceoverlay.bridge.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalInt;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Window recognition: classes, display numbers in titles, selectors. */
@Tag("integration")
class ClientWindowProfileTest {

    private static WindowFacts rv(String title) {
        return new WindowFacts(0x400007, "remote-viewer", "Remote-viewer", title, 42);
    }

    @Test
    void remoteViewerTitlesNameTheDisplayFromOne() {
        ClientWindowProfile p = ClientWindowProfile.remoteViewer();
        assertEquals(OptionalInt.of(0), p.displayIdOf(rv("spice-scene (1)")));
        assertEquals(OptionalInt.of(1), p.displayIdOf(rv("win10 (2) - Remote Viewer")));
        assertEquals(OptionalInt.of(2), p.displayIdOf(rv("(Press Ctrl+Alt to release pointer) guest (3)")));
        assertEquals(OptionalInt.empty(), p.displayIdOf(rv("Remote Viewer")));
        assertTrue(p.matches(rv("x")));
        assertFalse(p.matches(new WindowFacts(1, "spicy", "Spicy", "spice display 0:0", 1)));
    }

    @Test
    void spicyTitlesNameChannelAndMonitor() {
        ClientWindowProfile p = ClientWindowProfile.spicy();
        assertEquals(OptionalInt.of(0), p.displayIdOf(new WindowFacts(1, "spicy", "Spicy", "spice display 0:0", 1)));
        assertEquals(OptionalInt.of(1), p.displayIdOf(new WindowFacts(1, "spicy", "Spicy", "spice display 0:1", 1)));
        assertEquals(new Insets(0, 69, 0, 22), p.defaultInsets(false));
    }

    @Test
    void selectorsNarrowTheChoice() {
        ClientWindowProfile p = ClientWindowProfile.remoteViewer();
        assertTrue(WindowSelector.any().selects(rv("a (1)"), p));
        assertTrue(WindowSelector.pid(42).selects(rv("a (1)"), p));
        assertFalse(WindowSelector.pid(43).selects(rv("a (1)"), p));
        assertTrue(WindowSelector.title("a (").selects(rv("a (1)"), p));
        assertFalse(WindowSelector.title("b").selects(rv("a (1)"), p));
        // A window id selects that window whatever its class.
        assertTrue(WindowSelector.window(7).selects(new WindowFacts(7, "xfreerdp", "xfreerdp", "", 0), p));
        assertEquals(ClientWindowProfile.spicy(), ClientWindowProfile.named("spicy"));
    }
}
