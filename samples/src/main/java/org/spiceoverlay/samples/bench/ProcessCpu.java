package org.spiceoverlay.samples.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * CPU time of processes as the kernel counts it: user plus system time of every thread of the
 * process, from {@code /proc/PID/stat} (in clock ticks of 1/100 s on Linux).
 *
 * <p>Stateless; any thread.
 */
public final class ProcessCpu {

    /** USER_HZ: what /proc counts in on every Linux this runs on. */
    static final double TICKS_PER_SECOND = 100.0;

    private ProcessCpu() {}

    /**
     * CPU seconds used so far by process {@code pid}, all its threads, or NaN when the process is gone
     * or cannot be read.
     */
    public static double seconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
            return parseSeconds(stat);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** utime + stime of a {@code /proc/PID/stat} line, in seconds. */
    static double parseSeconds(String stat) {
        // The command name (field 2) is in parentheses and may hold spaces: count from after it.
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            throw new IllegalArgumentException("not a /proc stat line: " + stat);
        }
        String[] f = stat.substring(close + 2).trim().split(" +");
        // f[0] is field 3 (state); utime is field 14, stime field 15.
        long utime = Long.parseLong(f[11]);
        long stime = Long.parseLong(f[12]);
        return (utime + stime) / TICKS_PER_SECOND;
    }

    /**
     * CPU seconds used so far by the threads of process {@code pid} whose name ({@code comm}, e.g.
     * QEMU's "CPU 0/TCG") {@code threadName} accepts; NaN when the process is gone.
     */
    public static double threadSeconds(long pid, java.util.function.Predicate<String> threadName) {
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        double sum = 0;
        try (java.util.stream.Stream<Path> list = Files.list(tasks)) {
            for (Path task : (Iterable<Path>) list::iterator) {
                try {
                    String comm = Files.readString(task.resolve("comm"), StandardCharsets.UTF_8)
                            .strip();
                    if (threadName.test(comm)) {
                        sum += parseSeconds(Files.readString(task.resolve("stat"), StandardCharsets.US_ASCII));
                    }
                } catch (IOException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
        return sum;
    }

    /** The CPU seconds of each named process at this moment (NaN for those gone), in the order given. */
    public static Map<String, Double> snapshot(Map<String, Long> pids) {
        Objects.requireNonNull(pids, "pids");
        Map<String, Double> out = new LinkedHashMap<>();
        pids.forEach((name, pid) -> out.put(name, seconds(pid)));
        return out;
    }
}
