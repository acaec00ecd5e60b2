package org.spiceoverlay.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.spiceoverlay.engine.gst.GstMediaEngine;
import org.spiceoverlay.media.SampleClip;

/**
 * Acceptance 4: eight sessions decode at once, again and again; every frame is returned (no sample
 * or mapping left behind), every session's thread ends, and the process's resident memory stays
 * flat from the first 2,000 frames on.
 */
@Tag("integration")
class ManySessionsMemoryTest {

    private static final int SESSIONS = 8;
    private static final int ROUNDS = Integer.getInteger("memtest.rounds", 10);

    private static long rssKiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }

    @Test
    void eightSessionsAtOnceLeaveNothingBehind() throws Exception {
        GstMediaEngine engine = new GstMediaEngine();
        SampleClip clip = SampleClip.H264_ODD;
        PushedRun.Demuxed demuxed = PushedRun.demux(TestClips.get(clip), false);
        int perPass = TestClips.frames(clip);
        List<Integer> expected = FrameNumbers.range(0, perPass);

        long[] rssAfterRound = new long[ROUNDS];
        long[] heapAfterRound = new long[ROUNDS];
        long[] framesAfterRound = new long[ROUNDS];
        long[] total = new long[1];
        CyclicBarrier roundDone = new CyclicBarrier(SESSIONS, () -> {
            // Runs once per round, when all eight sessions of the round are closed.
            System.gc();
            try {
                int round = (int) (total[0] / ((long) SESSIONS * perPass)) - 1;
                rssAfterRound[round] = rssKiB();
                // The Java heap's committed size moves in big steps of its own: count native memory.
                heapAfterRound[round] = Runtime.getRuntime().totalMemory() / 1024;
                framesAfterRound[round] = total[0];
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        ExecutorService pool = Executors.newFixedThreadPool(SESSIONS);
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < SESSIONS; w++) {
            int worker = w;
            workers.add(pool.submit(() -> {
                for (int round = 0; round < ROUNDS; round++) {
                    PushedRun.Result r = PushedRun.run(
                            engine,
                            PushedRun.spec(demuxed, "mem-" + worker + "-" + round)
                                    .build(),
                            demuxed.samples(),
                            30);
                    assertEquals(expected, r.numbers(), "session " + worker + " round " + round);
                    assertEquals(0, r.stats().framesOutstanding(), "frames not returned by session " + worker);
                    synchronized (total) {
                        total[0] += r.numbers().size();
                    }
                    roundDone.await(60, TimeUnit.SECONDS);
                }
                return null;
            }));
        }
        for (Future<?> f : workers) {
            f.get(5, TimeUnit.MINUTES);
        }
        pool.shutdown();

        StringBuilder series = new StringBuilder();
        for (int r = 0; r < ROUNDS; r++) {
            series.append(String.format(
                    "after %5d frames: RSS %6.1f MiB, Java heap committed %6.1f MiB, rest %6.1f MiB%n",
                    framesAfterRound[r],
                    rssAfterRound[r] / 1024.0,
                    heapAfterRound[r] / 1024.0,
                    (rssAfterRound[r] - heapAfterRound[r]) / 1024.0));
        }
        System.out.print(series);
        assertTrue(framesAfterRound[2] >= 2000 && framesAfterRound[ROUNDS - 1] >= 9000, series.toString());
        // Past 2,000 frames (plugins loaded, pools and allocator arenas warm) native memory stays
        // flat: the highest reading of the last rounds is no higher than that of the rounds after
        // 2,000 frames, give or take the allocator's breathing (readings swing by tens of MiB from
        // round to round with eight decoders freeing and allocating at once, and drift by about
        // 0.1 MiB per session over hundreds). A pipeline left behind per session would add several
        // MiB per session, hundreds over these 80 sessions; a frame not returned fails above.
        long early = 0;
        long late = 0;
        for (int r = 2; r < ROUNDS; r++) {
            long rest = rssAfterRound[r] - heapAfterRound[r];
            if (r < 2 + (ROUNDS - 2) / 2) {
                early = Math.max(early, rest);
            } else {
                late = Math.max(late, rest);
            }
        }
        long growthKiB = late - early;
        assertTrue(growthKiB < 40 * 1024, "native memory grew by " + growthKiB / 1024 + " MiB:\n" + series);

        // Every session's event thread is gone.
        Thread.sleep(200);
        long leftover = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("engine-events-mem-"))
                .count();
        assertEquals(0, leftover, "session event threads still alive");
    }
}
