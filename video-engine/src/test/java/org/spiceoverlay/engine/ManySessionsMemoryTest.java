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

import org.junit.jupiter.api.Test;
import org.spiceoverlay.engine.gst.GstMediaEngine;
import org.spiceoverlay.engine.gst.SampleClip;

/**
 * Acceptance 4: eight sessions decode at once, again and again; every frame is returned (no sample
 * or mapping left behind), every session's thread ends, and the process's resident memory stays
 * flat from the first 2,000 frames on.
 */
class ManySessionsMemoryTest {

    private static final int SESSIONS = 8;
    private static final int ROUNDS = 8;

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
        long[] framesAfterRound = new long[ROUNDS];
        long[] total = new long[1];
        CyclicBarrier roundDone = new CyclicBarrier(SESSIONS, () -> {
            // Runs once per round, when all eight sessions of the round are closed.
            System.gc();
            try {
                int round = (int) (total[0] / ((long) SESSIONS * perPass)) - 1;
                rssAfterRound[round] = rssKiB();
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
                    PushedRun.Result r = PushedRun.run(engine,
                            PushedRun.spec(demuxed, "mem-" + worker + "-" + round).build(), demuxed.samples(), 30);
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
            series.append(String.format("after %5d frames: RSS %6.1f MiB%n", framesAfterRound[r], rssAfterRound[r] / 1024.0));
        }
        System.out.print(series);
        assertTrue(framesAfterRound[2] >= 2000 && framesAfterRound[ROUNDS - 1] >= 7000, series.toString());
        // Past 2,000 frames (plugins loaded, pools and allocator arenas warm) memory stays flat: the
        // highest reading of the last rounds is no higher than that of the rounds just after 2,000
        // frames, give or take the allocator's own breathing (readings swing by ~30 MiB from round to
        // round with eight decoders freeing and allocating at once). A leak of even one 321x241
        // frame per session pass would add up to 60 MiB over these rounds.
        long early = Math.max(rssAfterRound[2], Math.max(rssAfterRound[3], rssAfterRound[4]));
        long late = Math.max(rssAfterRound[5], Math.max(rssAfterRound[6], rssAfterRound[7]));
        long growthKiB = late - early;
        assertTrue(growthKiB < 16 * 1024, "resident memory grew by " + growthKiB / 1024 + " MiB:\n" + series);

        // Every session's event thread is gone.
        Thread.sleep(200);
        long leftover = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("engine-events-mem-")).count();
        assertEquals(0, leftover, "session event threads still alive");
    }
}
