package org.spiceoverlay.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class TerminalKeysTest {

    @Test
    void keysAndArrowsDecode() {
        byte[] input = {' ', 0x1b, '[', 'C', 'x', 0x1b, '[', 'D', 'q'};
        assertEquals(
                List.of(
                        TerminalKeys.Key.TOGGLE_PAUSE,
                        TerminalKeys.Key.SEEK_FORWARD,
                        TerminalKeys.Key.SEEK_BACK,
                        TerminalKeys.Key.QUIT),
                TerminalKeys.decode(input));
        assertEquals(List.of(), TerminalKeys.decode(new byte[] {0x1b}), "a lone escape is no key");
    }
}
