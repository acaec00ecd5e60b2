package org.spiceoverlay.samples.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The CPU time of every thread of this process, native ones included (GStreamer's streaming and
 * decoder threads, the JIT compilers, the garbage collector), read from Linux's
 * {@code /proc/self/task/<tid>/stat}. Two snapshots tell where a stretch of work spent its CPU,
 * which the JVM's own beans cannot: they see neither native threads nor the compiler threads.
 *
 * <p>Resolution is the kernel's clock tick (10 ms at the usual 100 Hz), per thread. Elsewhere
 * than Linux the snapshot is empty. Immutable; any thread.
 */
public final class ThreadCpuSnapshot {

    /** Nanoseconds per clock tick ({@code sysconf(_SC_CLK_TCK)}, 100 on every mainstream Linux build). */
    private static final long TICK_NANOS = 10_000_000L;

    private static final Path TASKS = Path.of("/proc/self/task");

    /** One thread: its name as the kernel has it (at most 15 characters) and its user+system time. */
    record ThreadCpu(String name, long cpuNanos) {}

    private final Map<Long, ThreadCpu> threads;

    private ThreadCpuSnapshot(Map<Long, ThreadCpu> threads) {
        this.threads = Collections.unmodifiableMap(threads);
    }

    /** Reads every thread now; threads that end while being read are skipped. */
    static ThreadCpuSnapshot take() {
        Map<Long, ThreadCpu> m = new HashMap<>();
        if (!Files.isDirectory(TASKS)) {
            return new ThreadCpuSnapshot(m);
        }
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path task : tasks) {
                ThreadCpu t = read(task.resolve("stat"));
                if (t != null) {
                    m.put(Long.parseLong(task.getFileName().toString()), t);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // /proc vanished or changed shape: an empty breakdown says so, timing is unaffected.
        }
        return new ThreadCpuSnapshot(m);
    }

    private static ThreadCpu read(Path stat) {
        String s;
        try {
            s = Files.readString(stat, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return null; // the thread ended
        }
        // "tid (comm) state ppid ...": comm may hold spaces and parentheses, so cut at the last ')'.
        int open = s.indexOf('(');
        int close = s.lastIndexOf(')');
        if (open < 0 || close < open) {
            return null;
        }
        String[] f = s.substring(close + 2).split(" ");
        // After comm: field 3 (state) is f[0], so utime (field 14) is f[11] and stime (field 15) f[12].
        if (f.length < 13) {
            return null;
        }
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        return new ThreadCpu(s.substring(open + 1, close), ticks * TICK_NANOS);
    }

    boolean isEmpty() {
        return threads.isEmpty();
    }

    /**
     * CPU spent by each category of thread between {@code start} and the later of {@code end}
     * and {@code last}: a thread alive at {@code last} counts to there, one that ended before
     * {@code last} counts to {@code end} (so threads that stop while a session closes still count
     * up to the moment before the close). Threads started after {@code start} count from zero.
     *
     * @param category names a thread's category from its kernel name
     * @return nanoseconds per category, in first-seen order
     */
    static Map<String, Long> spent(
            ThreadCpuSnapshot start, ThreadCpuSnapshot end, ThreadCpuSnapshot last, Function<String, String> category) {
        Map<String, Long> out = new LinkedHashMap<>();
        Map<Long, ThreadCpu> finals = new HashMap<>(end.threads);
        finals.putAll(last.threads);
        for (Map.Entry<Long, ThreadCpu> e : finals.entrySet()) {
            // By thread id alone: GStreamer renames pooled threads when they take a new task.
            ThreadCpu before = start.threads.get(e.getKey());
            long from = before != null ? before.cpuNanos() : 0;
            long delta = e.getValue().cpuNanos() - from;
            if (delta > 0) {
                out.merge(category.apply(e.getValue().name()), delta, Long::sum);
            }
        }
        return out;
    }
}
