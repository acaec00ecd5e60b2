package org.spiceoverlay.samples.bench;

import java.nio.file.Path;
import org.spiceoverlay.api.Rect;

/** How a benchmark mode's run is laid out and what it plays; immutable. */
public record BenchPlan(
        Path clipFile,
        ClipFacts clip,
        Rect video,
        int screenWidth,
        int screenHeight,
        long secondsNanos,
        long warmupNanos,
        long pauseAtNanos,
        WanLink link,
        Path workDir) {

    long resumeAtNanos() {
        return pauseAtNanos + 1_000_000_000L;
    }

    long seekAtNanos() {
        return pauseAtNanos + 2_500_000_000L;
    }

    long seekToNanos() {
        return 2_000_000_000L;
    }

    /** The player's script, its times from the player's own start (close to its clock origin). */
    String script() {
        return String.format(
                java.util.Locale.ROOT,
                "pause@%dms,resume@%dms,seek@%dms:%dms",
                pauseAtNanos / 1_000_000,
                resumeAtNanos() / 1_000_000,
                seekAtNanos() / 1_000_000,
                seekToNanos() / 1_000_000);
    }
}
