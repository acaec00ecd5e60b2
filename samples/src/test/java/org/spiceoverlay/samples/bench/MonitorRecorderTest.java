package org.spiceoverlay.samples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.freedesktop.gstreamer.Buffer;
import org.freedesktop.gstreamer.Bus;
import org.freedesktop.gstreamer.Caps;
import org.freedesktop.gstreamer.Clock;
import org.freedesktop.gstreamer.FlowReturn;
import org.freedesktop.gstreamer.Gst;
import org.freedesktop.gstreamer.Pipeline;
import org.freedesktop.gstreamer.elements.AppSrc;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.spiceoverlay.engine.gst.GstRuntime;

/**
 * A private PulseAudio server and a recorder of its monitor: beeps played through pulsesink at
 * known running times (on the same system clock) are found near when pulsesink schedules them to
 * be heard (base time + pts: pulsesink with sync on compensates the server's latency), within
 * 20 ms, and spaced as scheduled within 3 ms; two recordings of one monitor agree within a
 * capture fragment; and a gst-launch child process with the server's environment plays into it.
 */
@Tag("integration")
class MonitorRecorderTest {

    private static final int RATE = 48000;
    private static final long ABSOLUTE_TOLERANCE_NS = 20_000_000;
    private static final long SPACING_TOLERANCE_NS = 3_000_000;

    @BeforeAll
    static void gstreamer() {
        GstRuntime.ensureInitialised();
    }

    @Test
    void beepsPlayedThroughPulsesinkAreHeardWhenScheduled() throws Exception {
        try (PrivateSoundServer server = PrivateSoundServer.start();
                MonitorRecorder recorder = new MonitorRecorder(server).start()) {
            long[] beepPts = {500_000_000L, 1_500_000_000L, 2_500_000_000L};
            long base = play(server, beepPts, 3_000_000_000L);
            Thread.sleep(300); // the last beep is long heard; let the recording catch up
            List<Long> onsets = recorder.beepOnsetsNanos();
            assertEquals(
                    beepPts.length,
                    onsets.size(),
                    "onsets heard: " + onsets + " after " + recorder.recordedSeconds() + " s recorded");
            List<Double> offsetsMs = new ArrayList<>();
            for (int i = 0; i < beepPts.length; i++) {
                // The beep's first sample is 0 (a sine from phase 0); the second crosses the threshold.
                long scheduled = base + beepPts[i] + Math.round(1e9 / RATE);
                offsetsMs.add((onsets.get(i) - scheduled) / 1e6);
            }
            System.out.println("pulsesink -> bench.monitor: heard minus scheduled (ms): " + offsetsMs);
            // Measured here with 2 ms capture fragments: +4 to +6 ms in every run, the same for
            // each beep of a run (with 10 ms fragments it was +2 to +41 ms). The absolute time is
            // held to 20 ms, the spacing to a fragment plus 1 ms.
            for (int i = 0; i < beepPts.length; i++) {
                assertTrue(
                        Math.abs(offsetsMs.get(i)) <= ABSOLUTE_TOLERANCE_NS / 1e6,
                        "beep " + i + " heard " + offsetsMs.get(i) + " ms after it was scheduled; all offsets (ms): "
                                + offsetsMs);
                assertTrue(
                        Math.abs(offsetsMs.get(i) - offsetsMs.get(0)) <= SPACING_TOLERANCE_NS / 1e6,
                        "beep " + i + " spaced from beep 0 differently from the schedule; offsets (ms): " + offsetsMs);
            }
        }
    }

    /**
     * The recording's own alignment: two recordings of one monitor, started at different moments,
     * put each beep at the same instant to within a capture fragment (plus a sample's rounding).
     * This is what makes A/V offsets comparable from one run to the next.
     */
    @Test
    void twoRecordingsOfOneMonitorAgreeWithinACaptureFragment() throws Exception {
        try (PrivateSoundServer server = PrivateSoundServer.start();
                MonitorRecorder first = new MonitorRecorder(server).start()) {
            Thread.sleep(37); // a phase of its own
            try (MonitorRecorder second = new MonitorRecorder(server).start()) {
                long[] beepPts = {500_000_000L, 1_000_000_000L, 1_500_000_000L, 2_000_000_000L};
                play(server, beepPts, 2_500_000_000L);
                Thread.sleep(300);
                List<Long> a = first.beepOnsetsNanos();
                List<Long> b = second.beepOnsetsNanos();
                assertEquals(beepPts.length, a.size(), "onsets in the first recording: " + a);
                assertEquals(beepPts.length, b.size(), "onsets in the second recording: " + b);
                List<Double> differencesMs = new ArrayList<>();
                for (int i = 0; i < beepPts.length; i++) {
                    differencesMs.add((a.get(i) - b.get(i)) / 1e6);
                }
                System.out.println("two recordings of bench.monitor, first minus second (ms): " + differencesMs);
                double limitMs = MonitorRecorder.FRAGMENT_US / 1e3 + 0.5;
                for (double d : differencesMs) {
                    assertTrue(
                            Math.abs(d) <= limitMs,
                            "the recordings place a beep " + d + " ms apart (limit " + limitMs
                                    + " ms); all differences (ms): " + differencesMs);
                }
            }
        }
    }

    @Test
    void aChildProcessWithTheEnvironmentPlaysIntoTheServer() throws Exception {
        try (PrivateSoundServer server = PrivateSoundServer.start();
                MonitorRecorder recorder = new MonitorRecorder(server).start()) {
            Thread.sleep(200); // silence before the beep, so that it has an onset
            ProcessBuilder pb = new ProcessBuilder(
                            "gst-launch-1.0",
                            "-q",
                            "audiotestsrc",
                            "wave=sine",
                            "freq=1000",
                            "volume=0.5",
                            "num-buffers=10",
                            "!",
                            "audio/x-raw,rate=48000,channels=2",
                            "!",
                            "pulsesink")
                    .redirectErrorStream(true);
            pb.environment().putAll(server.environment());
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes());
            assertTrue(p.waitFor(20, TimeUnit.SECONDS), "gst-launch did not finish");
            assertEquals(0, p.exitValue(), "gst-launch: " + out);
            Thread.sleep(300);
            assertEquals(
                    1, recorder.beepOnsetsNanos().size(), "the child's tone heard once: " + recorder.beepOnsetsNanos());
        }
    }

    /**
     * Plays silence with 50 ms 1 kHz beeps at the given pts through pulsesink on the system clock;
     * returns the pipeline's base time once the stream has played out.
     */
    private static long play(PrivateSoundServer server, long[] beepPts, long lengthNs) throws Exception {
        Pipeline pipeline = (Pipeline) Gst.parseLaunch("appsrc name=src format=time is-live=false block=true"
                + " max-bytes=38400 ! pulsesink name=out sync=true provide-clock=false");
        pipeline.getElementByName("out").set("server", server.serverAddress());
        pipeline.getElementByName("out").set("device", PrivateSoundServer.SINK);
        AppSrc src = (AppSrc) pipeline.getElementByName("src");
        src.setCaps(Caps.fromString("audio/x-raw,format=S16LE,layout=interleaved,rate=48000,channels=2"));
        Clock clock = pipeline.getClock();
        pipeline.useClock(clock);
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<String> error = new AtomicReference<>();
        Bus.EOS onEos = s -> done.countDown();
        Bus.ERROR onError = (s, code, message) -> {
            error.compareAndSet(null, s.getName() + ": " + message);
            done.countDown();
        };
        pipeline.getBus().connect(onEos);
        pipeline.getBus().connect(onError);
        try {
            pipeline.play();
            int chunk = RATE / 100; // 10 ms buffers
            long total = lengthNs * RATE / 1_000_000_000L;
            for (long first = 0; first < total; first += chunk) {
                ByteBuffer pcm = ByteBuffer.allocate(chunk * 4).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < chunk; i++) {
                    short v = 0;
                    for (long pts : beepPts) {
                        long into = first + i - pts * RATE / 1_000_000_000L;
                        if (into >= 0 && into < RATE / 20) {
                            v = (short) Math.round(16383 * Math.sin(2 * Math.PI * 1000 * into / RATE));
                        }
                    }
                    pcm.putShort(v).putShort(v);
                }
                Buffer b = new Buffer(chunk * 4);
                b.map(true).put(pcm.flip());
                b.unmap();
                b.setPresentationTimestamp(first * 1_000_000_000L / RATE);
                b.setDuration((long) chunk * 1_000_000_000L / RATE);
                assertEquals(FlowReturn.OK, src.pushBuffer(b), "pushing audio: " + error.get());
            }
            src.endOfStream();
            assertTrue(done.await(lengthNs / 1_000_000 + 10_000, TimeUnit.MILLISECONDS), "playing did not end");
            assertNull(error.get(), "playing beeps");
            return pipeline.getBaseTime();
        } finally {
            pipeline.stop();
            pipeline.getBus().disconnect(onEos);
            pipeline.getBus().disconnect(onError);
            pipeline.dispose();
        }
    }
}
