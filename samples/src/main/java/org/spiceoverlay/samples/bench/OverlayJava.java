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

    private OverlayJava() {}

    /** {@code java [jvmOptions] -cp <this class path> MAIN [args]}. */
    public static List<String> command(List<String> jvmOptions, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(MAIN);
        cmd.addAll(args);
        return cmd;
    }
}
