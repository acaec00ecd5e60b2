package org.spiceoverlay.samples.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.spiceoverlay.api.PixelFormat;
import org.spiceoverlay.engine.DecodeSession;
import org.spiceoverlay.engine.EncodedSample;
import org.spiceoverlay.engine.EngineError;
import org.spiceoverlay.engine.EngineException;
import org.spiceoverlay.engine.FrameQueue;
import org.spiceoverlay.engine.MediaEngine;
import org.spiceoverlay.engine.Pacing;
import org.spiceoverlay.engine.SessionSpec;
import org.spiceoverlay.engine.SessionState;
import org.spiceoverlay.engine.SessionStats;
import org.spiceoverlay.engine.SourceType;
import org.spiceoverlay.engine.gst.ClipDemuxer;
import org.spiceoverlay.engine.gst.DemuxedSample;

/**
 * The decode benchmark's session side: a clip's video samples, demuxed into memory beforehand
 * (the guest's work, untimed), pushed into a {@code SAMPLES} session (video only, IMMEDIATE pacing,
 * I420 out) by a pusher thread while this thread takes every frame from the session's
 * {@link FrameQueue}, checks its frame number and closes it. Timed from opening the session to
 * having closed it: wall time, and the whole process's CPU time (so JVM background threads, GC and
 * JIT, count too), with the pusher's and consumer's own CPU, GC and JIT time beside it to tell
 * them apart.
 *
 * <p>{@link #run} is called on one thread at a time (it uses the calling thread as the consumer).
 */
public final class PushedSamplesDecode {

    /** Give up a run when no frame comes for this long. */
    private static final Duration STALL = Duration.ofSeconds(30);

    /**
     * One timed run.
     *
     * @param valid          every frame came, numbered 0..n-1 in order, and nothing failed
     * @param problem        why the run is invalid, or null
     * @param cpuNanos       process CPU time over the timed section
     * @param pusherCpuNanos CPU time of the pusher thread (copying samples into the session)
     * @param consumerCpuNanos CPU time of this thread over the timed section (taking frames, reading
     *                       numbers, closing frames, opening and closing the session)
     * @param gcNanos        collection time of all collectors in the section (wall, as the JVM reports it)
     * @param gcCount        collections in the section
     * @param jitNanos       JIT compilation time in the section
     */
    record Run(
            boolean valid,
            String problem,
            int frames,
            long wallNanos,
            long cpuNanos,
            long pusherCpuNanos,
            long consumerCpuNanos,
            long gcNanos,
            long gcCount,
            long jitNanos,
            long numberReadNanos,
            SessionStats stats,
            FrameNumberCheck.Result numbers,
            Map<String, Long> cpuByThreads) {

        Run {
            cpuByThreads = Map.copyOf(cpuByThreads);
        }

        /** CPU of one kind of thread in nanoseconds (0 when none ran, -1 when /proc was unreadable). */
        long cpuOf(DecodeThreadKind k) {
            return cpuByThreads.isEmpty() ? -1 : cpuByThreads.getOrDefault(k.label(), 0L);
        }

        double fps() {
            return wallNanos > 0 ? frames * 1e9 / wallNanos : Double.NaN;
        }
    }

    private final MediaEngine engine;
    private final String name;
    private final String videoCaps;
    private final long startTimeNs;
    private final List<EncodedSample> samples;

    private PushedSamplesDecode(
            MediaEngine engine, String name, String videoCaps, long startTimeNs, List<EncodedSample> samples) {
        this.engine = engine;
        this.name = name;
        this.videoCaps = videoCaps;
        this.startTimeNs = startTimeNs;
        this.samples = List.copyOf(samples);
    }

    /**
     * Demuxes every video sample of {@code file} into memory (untimed).
     *
     * @throws EngineException when the file cannot be demuxed
     */
    static PushedSamplesDecode load(MediaEngine engine, String name, Path file)
            throws EngineException, InterruptedException {
        List<EncodedSample> video = new ArrayList<>();
        try (ClipDemuxer d = ClipDemuxer.open(file, false)) {
            DemuxedSample next;
            while ((next = d.next(30, TimeUnit.SECONDS)) != null) {
                try (DemuxedSample s = next) {
                    if (s.sample().track() == EncodedSample.Track.VIDEO) {
                        video.add(s.copy()); // held for the whole run
                    }
                }
            }
            return new PushedSamplesDecode(engine, name, d.videoCaps(), d.startTimeNs(), video);
        }
    }

    /** Video samples held. */
    int sampleCount() {
        return samples.size();
    }

    long compressedBytes() {
        long n = 0;
        for (EncodedSample s : samples) {
            n += s.size();
        }
        return n;
    }

    String videoCaps() {
        return videoCaps;
    }

    /** One timed decode of every sample, pushed as fast as the session takes them. */
    Run run() throws InterruptedException {
        return run(samples, false);
    }

    /**
     * A decode paced like a live source: each sample is pushed when the wall clock reaches its decode
     * time, so the session's decode latency (pushed → decoded) is the decoder's own delay (including
     * the frames a frame-threaded decoder holds back), not time spent queued behind a flood. Covers
     * the clip's first whole GOPs spanning at least {@code seconds}.
     */
    Run runLive(double seconds) throws InterruptedException {
        long first = samples.get(0).decodeTimeNs();
        int cut = samples.size();
        for (int i = 1; i < samples.size(); i++) {
            if (samples.get(i).keyframe() && samples.get(i).decodeTimeNs() - first >= (long) (seconds * 1e9)) {
                cut = i;
                break;
            }
        }
        return run(samples.subList(0, cut), true);
    }

    private Run run(List<EncodedSample> samples, boolean paced) throws InterruptedException {
        SessionSpec spec = SessionSpec.builder(SourceType.SAMPLES)
                .name("bench-" + name)
                .videoCaps(videoCaps)
                .startTimeNs(startTimeNs)
                .audio(false)
                .pacing(Pacing.IMMEDIATE)
                .outputFormat(PixelFormat.I420)
                .lowLatency(paced)
                .build();
        SessionEventLog events = new SessionEventLog();
        FrameNumberCheck numbers = new FrameNumberCheck(samples.size());
        AtomicReference<Exception> pushFailure = new AtomicReference<>();
        AtomicLong pusherCpu = new AtomicLong();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

        // Start each run from a collected heap, so that one run's garbage is not collected in the next.
        System.gc();
        long gcTime0 = gcTime();
        long gcCount0 = gcCount();
        long jit0 = jitTime();
        long consumerCpu0 = threads.getCurrentThreadCpuTime();
        ThreadCpuSnapshot threads0 = ThreadCpuSnapshot.take();
        long cpu0 = os.getProcessCpuTime();
        long wall0 = System.nanoTime();
        ThreadCpuSnapshot threadsDecoded = null;

        FrameDrain.Outcome outcome = null;
        SessionStats stats = null;
        String problem = null;
        try (FrameQueue queue = new FrameQueue(FrameDrain.QUEUE_FRAMES);
                DecodeSession session = engine.open(spec, queue, events)) {
            Thread pusher = new Thread(
                    () -> {
                        try {
                            push(session, samples, paced);
                        } catch (EngineException | RuntimeException e) {
                            pushFailure.set(e);
                        } catch (InterruptedException e) {
                            pushFailure.set(e);
                            Thread.currentThread().interrupt();
                        } finally {
                            pusherCpu.set(threads.getCurrentThreadCpuTime());
                        }
                    },
                    "bench-pusher-" + name);
            pusher.setDaemon(true);
            pusher.start();
            try {
                outcome = FrameDrain.drain(queue, session, events, numbers, STALL);
                stats = session.stats();
                // Before closing: the session's threads end with it, and their CPU with them.
                threadsDecoded = ThreadCpuSnapshot.take();
            } finally {
                session.close();
                pusher.join(10_000);
            }
        } catch (EngineException e) {
            problem = "the engine refused the stream: " + e.getMessage();
        }

        long wall = System.nanoTime() - wall0;
        long cpu = os.getProcessCpuTime() - cpu0;
        ThreadCpuSnapshot threadsEnd = ThreadCpuSnapshot.take();
        Map<String, Long> byThreads = new HashMap<>();
        if (!threads0.isEmpty()) {
            byThreads.putAll(ThreadCpuSnapshot.spent(
                    threads0,
                    threadsDecoded == null ? threadsEnd : threadsDecoded,
                    threadsEnd,
                    name -> DecodeThreadKind.of(name).label()));
            // The pusher ends before the snapshots that would see it; it measured itself.
            byThreads.put(DecodeThreadKind.PUSHER.label(), pusherCpu.get());
        }
        long consumerCpu = threads.getCurrentThreadCpuTime() - consumerCpu0;
        long gcTime = gcTime() - gcTime0;
        long gcCount = gcCount() - gcCount0;
        long jit = jitTime() - jit0;

        FrameNumberCheck.Result result = numbers.result();
        if (problem == null && outcome != null && outcome.stopReason() != null) {
            problem = outcome.stopReason();
        }
        if (problem == null && pushFailure.get() != null) {
            problem = "pushing failed: " + pushFailure.get();
        }
        if (problem == null) {
            for (EngineError e : events.errors()) {
                problem = "engine: " + e;
                break;
            }
        }
        if (problem == null && result.verdict() != FrameNumberCheck.Verdict.COMPLETE_IN_ORDER) {
            problem = "frame numbers " + result.describe();
        }
        int frames = outcome == null ? 0 : outcome.frames();
        return new Run(
                problem == null,
                problem,
                frames,
                wall,
                cpu,
                pusherCpu.get(),
                consumerCpu,
                gcTime,
                gcCount,
                jit,
                outcome == null ? 0 : outcome.numberReadNanos(),
                stats,
                result,
                byThreads);
    }

    /**
     * Runs on the pusher thread: every sample as fast as the session's input queue takes it (or, when
     * {@code paced}, at its decode time on the wall clock), then end of stream.
     */
    private static void push(DecodeSession session, List<EncodedSample> samples, boolean paced)
            throws EngineException, InterruptedException {
        long wall0 = System.nanoTime();
        long first = samples.get(0).decodeTimeNs();
        for (EncodedSample s : samples) {
            if (paced) {
                long due = wall0 + (s.decodeTimeNs() - first);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
            }
            while (!session.awaitRoom(s.size(), 100, TimeUnit.MILLISECONDS)) {
                if (session.state() == SessionState.CLOSED) {
                    return;
                }
            }
            session.push(new EncodedSample(
                    s.track(),
                    s.data(),
                    s.ptsNs(),
                    s.dtsNs(),
                    s.durationNs(),
                    s.keyframe(),
                    s.discontinuity(),
                    System.nanoTime()));
        }
        session.endOfStream();
    }

    private static long gcTime() {
        long ms = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ms += Math.max(0, gc.getCollectionTime());
        }
        return TimeUnit.MILLISECONDS.toNanos(ms);
    }

    private static long gcCount() {
        long n = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, gc.getCollectionCount());
        }
        return n;
    }

    private static long jitTime() {
        var jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported()
                ? TimeUnit.MILLISECONDS.toNanos(jit.getTotalCompilationTime())
                : 0;
    }
}
