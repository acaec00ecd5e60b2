package org.spiceoverlay.samples.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line that runs the {@code overlay} command in a JVM of its own, with this process's
 * Java and class path: for the demo, the benchmark, the VM script and tests, which run the client
 * and players as processes of their own. The benchmarks do not depend on the command line's
 * package; {@link #MAIN} names its main class (a test checks it).
 *
 * <p>Stateless; any thread.
 */
public final class OverlayJava {

    /** The {@code overlay} command's main class. */
    public static final String MAIN = "org.spiceoverlay.samples.cli.OverlayCommand";

    /**
     * The JVM options every {@code overlay} process runs with (the {@code overlay} launcher passes
     * the same): the client compiler only. The hot work is native (decoding, GL, X); what Java runs
     * is calls into it, which C1's code serves well, while C2 compiling took up to a core for the
     * first seconds of a stream on two cores, which showed as late frames (README, "Live latency":
     * LIVE sent → on screen p99 33–46 ms instead of 133–266 ms).
     */
    public static final List<String> JVM_OPTIONS = List.of("-XX:TieredStopAtLevel=1");

    private OverlayJava() {}

    /** {@code java JVM_OPTIONS [jvmOptions] -cp <this class path> MAIN [args]}. */
    public static List<String> command(List<String> jvmOptions, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(JVM_OPTIONS);
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(MAIN);
        cmd.addAll(args);
        return cmd;
    }
}
