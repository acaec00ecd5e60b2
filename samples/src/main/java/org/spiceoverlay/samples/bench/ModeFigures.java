package org.spiceoverlay.samples.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.spiceoverlay.samples.player.PlaybackEventLog;

/**
 * Figures of a mode that come after the run: the picture compared with GStreamer's decode, and the
 * screen timeline written out for a person to read.
 *
 * <p>Stateless; the mode's thread.
 */
public final class ModeFigures {

    private ModeFigures() {}

    /** What the screen showed, for a person to read: each appearance and the player's actions, ms from the origin. */
    static void writeAppearances(Path file, ScreenTimeline timeline, long origin, List<PlaybackEventLog.Event> events)
            throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("first_seen_ms,until_ms,frame_or_action");
        for (PlaybackEventLog.Event e : events) {
            if (e.atNs() >= 0 && !e.event().equals("clock")) {
                lines.add(String.format(
                        java.util.Locale.ROOT,
                        "%.1f,,%s%s",
                        (e.atNs() - origin) / 1e6,
                        e.event(),
                        e.toNs() >= 0 ? " to " + e.toNs() / 1_000_000 + " ms" : ""));
            }
        }
        for (ScreenTimeline.Appearance a : timeline.appearances()) {
            lines.add(String.format(
                    java.util.Locale.ROOT,
                    "%.1f,%.1f,%d",
                    (a.firstAtNanos() - origin) / 1e6,
                    (a.untilNanos() - origin) / 1e6,
                    a.frame()));
        }
        lines.sort(java.util.Comparator.comparingDouble(l ->
                l.startsWith("first") ? Double.NEGATIVE_INFINITY : Double.parseDouble(l.substring(0, l.indexOf(',')))));
        Files.write(file, lines);
    }

    static void picture(Path clipFile, List<ScreenFrameReader.FullGrab> grabs, ModeResult result) throws IOException {
        Set<Integer> wanted = new HashSet<>();
        for (ScreenFrameReader.FullGrab g : grabs) {
            if (g.frame() >= 0) {
                wanted.add(g.frame());
            }
        }
        if (wanted.isEmpty()) {
            result.notes.put("psnr", "no whole-picture grab carried a readable frame number");
            return;
        }
        Map<Integer, int[]> reference = ReferenceFrames.decode(clipFile, wanted);
        List<Double> psnrs = new ArrayList<>();
        for (ScreenFrameReader.FullGrab g : grabs) {
            int[] ref = reference.get(g.frame());
            if (ref != null && ref.length == g.image().width() * g.image().height()) {
                double p = PictureQuality.psnr(g.image(), ref);
                psnrs.add(p);
                if (p >= PictureQuality.IDENTICAL_DB) {
                    result.framesIdentical++;
                }
            }
        }
        result.framesCompared = psnrs.size();
        result.psnrDb = ScreenTimeline.percentile(
                psnrs.stream().mapToDouble(Double::doubleValue).toArray(), 50);
    }
}
