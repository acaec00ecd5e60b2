package org.spiceoverlay.samples.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one benchmark mode measured. Figures that could not be measured are NaN (null in JSON), with
 * the reason in {@link #notes}; nothing is estimated.
 *
 * <p>Filled in by the one thread that runs the mode, then read; not thread-safe.
 */
public final class ModeResult {

    final BenchMode mode;
    String error;
    final Map<String, String> notes = new LinkedHashMap<>();

    long bytesOnWire;
    long spiceBytes;
    long overlayBytes;
    /** Of those, what the Spice server sent to remote-viewer, and what the client service sent back to the guest. */
    long spiceBytesToClient;

    long overlayBytesToGuest;
    double mbitPerSecond = Double.NaN;
    double timesSource = Double.NaN;

    /** Per process: {total, steady} CPU seconds, keyed "guest:NAME" or "client:NAME". */
    final Map<String, double[]> cpu = new LinkedHashMap<>();

    double steadySeconds = Double.NaN;
    double warmupSeconds = Double.NaN;

    double[] lagsMs = new double[0];
    int framesShown;
    int framesSkipped;
    int framesRepeated;

    double[] avOffsetsMs = new double[0];
    /** Beep minus flash after the scripted resume (until the seek), and after the seek, in ms. */
    double[] avAfterResumeMs = new double[0];

    double[] avAfterSeekMs = new double[0];
    double psnrDb = Double.NaN;
    int framesCompared;
    int framesIdentical;

    double pauseReactionMs = Double.NaN;
    double seekReactionMs = Double.NaN;

    ModeResult(BenchMode mode) {
        this.mode = mode;
    }

    public BenchMode mode() {
        return mode;
    }

    /** Why the mode could not run, or null. */
    public String error() {
        return error;
    }

    double cpu(String side, boolean steady) {
        double sum = 0;
        boolean any = false;
        for (Map.Entry<String, double[]> e : cpu.entrySet()) {
            if (e.getKey().startsWith(side + ":")) {
                double v = e.getValue()[steady ? 1 : 0];
                if (!Double.isNaN(v)) {
                    sum += v;
                    any = true;
                }
            }
        }
        return any || !side.equals("client") ? sum : Double.NaN;
    }

    public double guestCpuSteady() {
        return cpu("guest", true);
    }

    public double clientCpuSteady() {
        return cpu("client", true);
    }

    public double lagPercentile(double p) {
        return ScreenTimeline.percentile(lagsMs, p);
    }

    public double[] lagsMs() {
        return lagsMs.clone();
    }

    public double mbitPerSecond() {
        return mbitPerSecond;
    }

    public double timesSource() {
        return timesSource;
    }

    public double psnrDb() {
        return psnrDb;
    }

    public double avOffsetP50() {
        return ScreenTimeline.percentile(avOffsetsMs, 50);
    }

    public double avOffsetMax() {
        return ScreenTimeline.largestMagnitude(avOffsetsMs);
    }

    ObjectNode toJson(ObjectMapper json) {
        ObjectNode o = json.createObjectNode();
        o.put("mode", mode.label());
        o.put("group", mode.group());
        if (error != null) {
            o.put("error", error);
        }
        o.put("bytes_on_wire", bytesOnWire);
        ObjectNode wire = o.putObject("bytes_by_channel");
        wire.put("spice", spiceBytes);
        wire.put("overlay", overlayBytes);
        wire.put("spice_server_to_client", spiceBytesToClient);
        wire.put("overlay_client_to_guest", overlayBytesToGuest);
        number(o, "mbit_s", mbitPerSecond, 3);
        number(o, "x_source", timesSource, 3);
        ObjectNode g = o.putObject("guest_cpu_s");
        number(g, "total", cpu("guest", false), 2);
        number(g, "steady", cpu("guest", true), 2);
        ObjectNode c = o.putObject("client_cpu_s");
        number(c, "total", cpu("client", false), 2);
        number(c, "steady", cpu("client", true), 2);
        ObjectNode per = o.putObject("cpu_by_process");
        cpu.forEach((name, v) -> {
            ObjectNode p = per.putObject(name);
            number(p, "total", v[0], 2);
            number(p, "steady", v[1], 2);
        });
        number(o, "warmup_s", warmupSeconds, 2);
        number(o, "steady_s", steadySeconds, 2);
        ObjectNode lag = o.putObject("lag_ms");
        number(lag, "p50", lagPercentile(50), 1);
        number(lag, "p95", lagPercentile(95), 1);
        number(lag, "p99", lagPercentile(99), 1);
        lag.put("frames", lagsMs.length);
        o.put("frames_shown", framesShown);
        o.put("frames_skipped", framesSkipped);
        o.put("frames_repeated", framesRepeated);
        ObjectNode av = o.putObject("av_offset_ms");
        number(av, "p50", avOffsetP50(), 1);
        number(av, "max", avOffsetMax(), 1);
        av.put("beeps", avOffsetsMs.length);
        avPhase(av.putObject("after_resume"), avAfterResumeMs);
        avPhase(av.putObject("after_seek"), avAfterSeekMs);
        number(o, "psnr_db", psnrDb, 2);
        o.put("psnr_frames", framesCompared);
        o.put("psnr_frames_identical", framesIdentical);
        ObjectNode r = o.putObject("reaction_ms");
        number(r, "pause", pauseReactionMs, 1);
        number(r, "seek", seekReactionMs, 1);
        if (!notes.isEmpty()) {
            ObjectNode n = o.putObject("notes");
            notes.forEach(n::put);
        }
        return o;
    }

    private static void number(ObjectNode o, String name, double v, int decimals) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            o.putNull(name);
        } else {
            double scale = Math.pow(10, decimals);
            o.put(name, Math.round(v * scale) / scale);
        }
    }

    private static void avPhase(ObjectNode o, double[] offsetsMs) {
        number(o, "p50", ScreenTimeline.percentile(offsetsMs, 50), 1);
        number(o, "max", ScreenTimeline.largestMagnitude(offsetsMs), 1);
        o.put("beeps", offsetsMs.length);
    }
}
