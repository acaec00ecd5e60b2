package org.spiceoverlay.samples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The verdicts on decoded frame numbers, from sequences a broken decode would give. */
class FrameNumberCheckTest {

    private static FrameNumberCheck.Result check(int expected, int... numbers) {
        FrameNumberCheck c = new FrameNumberCheck(expected);
        for (int n : numbers) {
            c.accept(n);
        }
        return c.result();
    }

    @Test
    void allNumbersInOrderIsComplete() {
        FrameNumberCheck.Result r = check(5, 0, 1, 2, 3, 4);
        assertEquals(FrameNumberCheck.Verdict.COMPLETE_IN_ORDER, r.verdict());
        assertTrue(r.ok());
        assertEquals("complete and in order: 0..4 (5 frames)", r.describe());
    }

    @Test
    void aGapAndLostFramesAtTheEndAreMissing() {
        FrameNumberCheck.Result r = check(6, 0, 1, 3, 4);
        assertEquals(FrameNumberCheck.Verdict.BROKEN, r.verdict());
        assertFalse(r.ok());
        assertEquals(List.of(2, 5), r.missing());
        assertEquals(2, r.missingCount());
        assertTrue(r.describe().contains("2 missing (first [2, 5])"), r.describe());
    }

    @Test
    void repeatsAndLateFramesAreToldApart() {
        FrameNumberCheck.Result r = check(-1, 0, 2, 1, 2, 3);
        assertEquals(FrameNumberCheck.Verdict.BROKEN, r.verdict());
        assertEquals(List.of(1), r.outOfOrder());
        assertEquals(List.of(2), r.duplicates());
        assertEquals(0, r.missingCount());
    }

    @Test
    void unnumberedFramesAmongNumberedOnesAreAFault() {
        FrameNumberCheck.Result r = check(3, 0, -1, 2);
        assertEquals(FrameNumberCheck.Verdict.BROKEN, r.verdict());
        assertEquals(1, r.unreadable());
        assertTrue(r.describe().contains("1 frame(s) without a readable number"), r.describe());
    }

    @Test
    void noNumberAtAllIsNotASampleClipAndFine() {
        FrameNumberCheck.Result r = check(3, -1, -1, -1);
        assertEquals(FrameNumberCheck.Verdict.NOT_A_SAMPLE_CLIP, r.verdict());
        assertTrue(r.ok());
    }

    @Test
    void noFrameAtAllIsNotFine() {
        FrameNumberCheck.Result r = check(3);
        assertEquals(FrameNumberCheck.Verdict.NO_FRAMES, r.verdict());
        assertFalse(r.ok());
    }
}
