package org.spiceoverlay.samples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.spiceoverlay.media.ClipGenerator;
import org.spiceoverlay.media.SampleClip;
import org.spiceoverlay.media.SampleClips;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code overlay clips}: writes the project's sample clips (every frame numbered, a 440 Hz tone)
 * and prints a table of what it wrote. GStreamer stays in video-engine; this only calls
 * {@link ClipGenerator}. Main thread.
 */
@Command(
        name = "clips",
        description = "Write the sample clips: numbered frames with moving content and a 440 Hz tone, one file per "
                + "codec and size. Existing files are kept unless --force.")
public final class ClipsCommand implements Callable<Integer> {

    private static final String ROW = "%-11s %-9s %-26s %-9s %6s %11s %8s%n";

    @Spec
    CommandSpec spec;

    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "Show this help and exit.")
    boolean help;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory to write the clips to.")
    Path out;

    @Option(
            names = "--seconds",
            paramLabel = "N",
            defaultValue = "10",
            description = "Length of each clip in seconds (default ${DEFAULT-VALUE}); fractions allowed.")
    double seconds;

    @Option(
            names = "--only",
            split = ",",
            paramLabel = "NAME",
            completionCandidates = SampleClips.Names.class,
            description = "Only these clips, comma-separated: ${COMPLETION-CANDIDATES}.")
    List<String> only = new ArrayList<>();

    @Option(names = "--force", description = "Write clips again even when their files exist.")
    boolean force;

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<SampleClip> clips;
        Duration length;
        try {
            clips = SampleClips.select(only);
            length = SampleClips.lengthOf(seconds, clips);
        } catch (IllegalArgumentException e) {
            err.println("overlay clips: " + e.getMessage());
            return CommandLine.ExitCode.USAGE;
        }

        o.printf(Locale.ROOT, ROW, "clip", "size", "codec", "container", "frames", "bytes", "seconds");
        o.flush();
        try {
            ClipGenerator.generateAll(clips, out, length, force, r -> {
                o.printf(
                        Locale.ROOT,
                        ROW,
                        r.clip().clipName(),
                        r.clip().width() + "x" + r.clip().height(),
                        r.clip().videoCodec() + " + " + r.clip().audioCodec(),
                        r.clip().container(),
                        r.reused() ? "-" : Integer.toString(r.frames()),
                        Long.toString(r.bytes()),
                        r.reused()
                                ? "kept"
                                : String.format(Locale.ROOT, "%.1f", r.took().toMillis() / 1000.0));
                o.flush();
            });
        } catch (IOException | IllegalStateException e) {
            err.println("overlay clips: " + e.getMessage());
            return 1;
        }
        o.println("written to " + out.toAbsolutePath());
        o.flush();
        return 0;
    }
}
