package org.spiceoverlay.samples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.spiceoverlay.api.Rect;
import org.spiceoverlay.samples.bench.JsonWriter;
import org.spiceoverlay.samples.bench.OverlayJava;

/**
 * The client service ({@code overlay client}) in a process of its own, as the demo and the VM run
 * it: started on an X display, listening where the guest side connects, stopped with SIGTERM so
 * that it writes its report, which is read back here.
 *
 * <p>Threads: one thread uses an instance.
 */
public final class ClientProcess implements AutoCloseable {

    /**
     * What the client wrote when it stopped.
     *
     * @param framesPresented frames the overlay presented
     * @param latencyMs sent → on screen p50, p95, p99 in ms; null when no frame was timed
     */
    record Report(long framesPresented, double[] latencyMs, List<Stage> stages) {

        /** Prints where the frames' time went, a line per stage (nothing when none was measured). */
        void printStages(PrintWriter out) {
            if (stages.isEmpty()) {
                return;
            }
            out.println("where the time goes, per stage (p50 / p95 / p99 ms):");
            for (Stage st : stages) {
                out.printf(Locale.ROOT, "  %-14s %7.1f %7.1f %7.1f%n", st.name(), st.ms()[0], st.ms()[1], st.ms()[2]);
            }
        }

        /** Writes {@code "stages_ms": {name: {p50, p95, p99}, ...}}. */
        void writeStages(JsonWriter j) {
            j.name("stages_ms").beginObject();
            for (Stage st : stages) {
                j.name(st.name()).beginObject();
                j.name("p50").value(st.ms()[0], 2);
                j.name("p95").value(st.ms()[1], 2);
                j.name("p99").value(st.ms()[2], 2);
                j.endObject();
            }
            j.endObject();
        }
    }

    /**
     * One stage of the frames' path as the client measured it ({@code stages_ms} in its report).
     *
     * @param name the stage's name, e.g. "refresh_wait"
     * @param ms   p50, p95, p99 in ms
     */
    record Stage(String name, double[] ms) {}

    private final Process process;
    private final Path report;
    private final Path log;

    private ClientProcess(Process process, Path report, Path log) {
        this.process = process;
        this.report = report;
        this.log = log;
    }

    /**
     * Starts {@code overlay client --listen listen} on X display {@code display}; {@code fixedRect}
     * null: it follows remote-viewer's window. {@code guestClockShared}: the guest runs on this
     * machine's clock (a guest display served here, not a VM), so latency runs from when the guest
     * sent each sample; else from when it arrived.
     */
    static ClientProcess start(
            String display, String listen, Path report, Path log, Rect fixedRect, boolean guestClockShared)
            throws IOException {
        List<String> args = new ArrayList<>(List.of("client", "--listen", listen, "--report", report.toString()));
        if (guestClockShared) {
            args.add("--trust-guest-clock");
        }
        if (fixedRect != null) {
            args.addAll(List.of(
                    "--display-rect",
                    fixedRect.x() + "," + fixedRect.y() + "," + fixedRect.width() + "," + fixedRect.height()));
        }
        ProcessBuilder pb = new ProcessBuilder(OverlayJava.command(List.of(), args))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("DISPLAY", display);
        return new ClientProcess(pb.start(), report, log);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Waits until the client's socket file {@code socket} exists (it listens a moment later). */
    void awaitSocket(Path socket) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(socket)) {
            if (!process.isAlive()) {
                throw new IOException("the client service exited (" + process.exitValue() + "):\n" + tail());
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("the client service did not start listening within 30 s:\n" + tail());
            }
            Thread.sleep(50);
        }
    }

    /**
     * Stops the client (SIGTERM: it closes its streams and writes its report) and reads the report.
     *
     * @throws IOException when it wrote none (its log's last lines say why)
     */
    Report stop() throws IOException, InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("the client did not stop within 20 s:\n" + tail());
        }
        JsonNode json;
        try {
            json = new ObjectMapper().readTree(report.toFile());
        } catch (IOException e) {
            throw new IOException("the client wrote no report (" + e.getMessage() + "); its log:\n" + tail(), e);
        }
        JsonNode presented = json.path("frames_presented");
        if (!presented.isNumber()) {
            throw new IOException("the client's report has no frames_presented: " + json + "\nits log:\n" + tail());
        }
        JsonNode latency = json.path("latency_ms");
        double[] ms = latency.isObject()
                ? new double[] {
                    latency.path("p50").asDouble(),
                    latency.path("p95").asDouble(),
                    latency.path("p99").asDouble()
                }
                : null;
        List<Stage> stages = new ArrayList<>();
        json.path("stages_ms")
                .fields()
                .forEachRemaining(e -> stages.add(new Stage(e.getKey(), new double[] {
                    e.getValue().path("p50").asDouble(),
                    e.getValue().path("p95").asDouble(),
                    e.getValue().path("p99").asDouble()
                })));
        return new Report(presented.asLong(), ms, stages);
    }

    /** The last lines of the client's log. */
    String tail() {
        return tail(log, 20);
    }

    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
