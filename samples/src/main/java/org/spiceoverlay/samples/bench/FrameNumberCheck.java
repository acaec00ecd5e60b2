package org.spiceoverlay.samples.bench;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.OptionalInt;
import org.spiceoverlay.api.FrameNumberCode;
import org.spiceoverlay.api.VideoFrame;

/**
 * Checks that decoded frames carry the frame numbers a sample clip drew into them
 * ({@link FrameNumberCode}) complete and in order: 0, 1, 2, ... up to the clip's last frame, each
 * once. Frames are fed in the order the consumer took them; {@link #result()} tells what was
 * wrong first (the first missing, duplicated and out-of-order numbers) or that the clip carries no
 * numbers at all.
 *
 * <p>Not thread-safe: the one consumer thread that takes the frames feeds it.
 */
public final class FrameNumberCheck {

    /** How many numbers of each kind of fault a result lists. */
    static final int LISTED = 10;

    /** What the numbers say about the decode. */
    enum Verdict {
        /** Every frame carried its number, 0..n-1 in order, as many as the file has video samples. */
        COMPLETE_IN_ORDER("complete and in order"),
        /** No frame came out at all: nothing to check (the decode failed). */
        NO_FRAMES("none checked: no frame was decoded"),
        /** No frame carried a readable number: not one of the project's sample clips. */
        NOT_A_SAMPLE_CLIP("not a sample clip (no frame carries a number)"),
        /** Numbers missing, repeated, out of order, or frames without a number among numbered ones. */
        BROKEN("NOT complete/in order");

        final String text;

        Verdict(String text) {
            this.text = text;
        }
    }

    /**
     * The outcome. Lists hold at most {@link #LISTED} numbers each, the first ones met.
     *
     * @param frames         frames checked
     * @param unreadable     frames without a readable number
     * @param first          the first number read, or -1
     * @param last           the highest number read, or -1
     * @param expected       frames the file should give (its video samples), or -1 when unknown
     * @param missing        numbers in 0..max(last, expected-1) that never came
     * @param missingCount   how many such numbers
     * @param duplicates     numbers that came more than once (the repeats)
     * @param duplicateCount how many repeats
     * @param outOfOrder     numbers that came after a higher number, not being repeats
     * @param outOfOrderCount how many such
     */
    record Result(
            Verdict verdict,
            int frames,
            int unreadable,
            int first,
            int last,
            int expected,
            List<Integer> missing,
            int missingCount,
            List<Integer> duplicates,
            int duplicateCount,
            List<Integer> outOfOrder,
            int outOfOrderCount) {

        Result {
            missing = List.copyOf(missing);
            duplicates = List.copyOf(duplicates);
            outOfOrder = List.copyOf(outOfOrder);
        }

        /** Complete and in order, or a clip without numbers; false when broken or nothing decoded. */
        boolean ok() {
            return verdict == Verdict.COMPLETE_IN_ORDER || verdict == Verdict.NOT_A_SAMPLE_CLIP;
        }

        /** One line for people, e.g. "complete and in order: 0..299 (300 frames)". */
        String describe() {
            return switch (verdict) {
                case COMPLETE_IN_ORDER -> verdict.text + ": " + first + ".." + last + " (" + frames + " frames)";
                case NOT_A_SAMPLE_CLIP, NO_FRAMES -> verdict.text;
                case BROKEN -> {
                    List<String> faults = new ArrayList<>();
                    if (missingCount > 0) {
                        faults.add(missingCount + " missing (first " + missing + ")");
                    }
                    if (duplicateCount > 0) {
                        faults.add(duplicateCount + " duplicated (first " + duplicates + ")");
                    }
                    if (outOfOrderCount > 0) {
                        faults.add(outOfOrderCount + " out of order (first " + outOfOrder + ")");
                    }
                    if (unreadable > 0) {
                        faults.add(unreadable + " frame(s) without a readable number");
                    }
                    if (expected >= 0 && frames != expected) {
                        faults.add(frames + " frames for " + expected + " video samples");
                    }
                    yield verdict.text + ": " + String.join("; ", faults) + "; numbers seen " + first + ".." + last;
                }
            };
        }

        void writeJson(JsonWriter json) {
            json.beginObject();
            json.name("verdict").value(verdict.name());
            json.name("text").value(describe());
            json.name("completeInOrder").value(verdict == Verdict.COMPLETE_IN_ORDER);
            json.name("frames").value(frames);
            json.name("expectedFrames").value(expected);
            json.name("firstNumber").value(first);
            json.name("lastNumber").value(last);
            json.name("unreadable").value(unreadable);
            json.name("missingCount").value(missingCount);
            json.name("missing").values(missing);
            json.name("duplicateCount").value(duplicateCount);
            json.name("duplicates").values(duplicates);
            json.name("outOfOrderCount").value(outOfOrderCount);
            json.name("outOfOrder").values(outOfOrder);
            json.endObject();
        }
    }

    private final int expected;
    private final BitSet seen = new BitSet();
    private final List<Integer> duplicates = new ArrayList<>();
    private final List<Integer> outOfOrder = new ArrayList<>();
    private int duplicateCount;
    private int outOfOrderCount;
    private int frames;
    private int unreadable;
    private int first = -1;
    private int highest = -1;

    /** @param expectedFrames frames the file holds (its video samples), or -1 when unknown */
    public FrameNumberCheck(int expectedFrames) {
        this.expected = expectedFrames;
    }

    /**
     * The number drawn in {@code frame}, or -1 when it carries none (or is smaller than the strip's
     * minimum of {@value FrameNumberCode#MIN_WIDTH}x{@value FrameNumberCode#MIN_HEIGHT}).
     */
    static int numberIn(VideoFrame frame) {
        if (frame.width() < FrameNumberCode.MIN_WIDTH || frame.height() < FrameNumberCode.MIN_HEIGHT) {
            return -1;
        }
        int stride = frame.layout().plane(0).stride();
        OptionalInt n = frame.format().isYuv()
                ? FrameNumberCode.readLuma(frame.plane(0), stride, frame.width(), frame.height())
                : FrameNumberCode.readRgba(frame.plane(0), stride, frame.width(), frame.height());
        return n.orElse(-1);
    }

    /** Reads the number in {@code frame} (which stays open) and records it. */
    void accept(VideoFrame frame) {
        accept(numberIn(frame));
    }

    /** Records the next frame's number, -1 for a frame without one. */
    void accept(int number) {
        frames++;
        if (number < 0) {
            unreadable++;
            return;
        }
        if (first < 0) {
            first = number;
        }
        if (seen.get(number)) {
            duplicateCount++;
            if (duplicates.size() < LISTED) {
                duplicates.add(number);
            }
        } else if (number < highest) {
            outOfOrderCount++;
            if (outOfOrder.size() < LISTED) {
                outOfOrder.add(number);
            }
        }
        seen.set(number);
        highest = Math.max(highest, number);
    }

    int frames() {
        return frames;
    }

    public Result result() {
        int readable = frames - unreadable;
        int end = Math.max(highest + 1, expected);
        List<Integer> missing = new ArrayList<>();
        int missingCount = 0;
        if (readable > 0) {
            for (int n = seen.nextClearBit(0); n < end; n = seen.nextClearBit(n + 1)) {
                missingCount++;
                if (missing.size() < LISTED) {
                    missing.add(n);
                }
            }
        }
        Verdict verdict;
        if (frames == 0) {
            verdict = Verdict.NO_FRAMES;
        } else if (readable == 0) {
            verdict = Verdict.NOT_A_SAMPLE_CLIP;
        } else if (missingCount == 0
                && duplicateCount == 0
                && outOfOrderCount == 0
                && unreadable == 0
                && (expected < 0 || frames == expected)) {
            verdict = Verdict.COMPLETE_IN_ORDER;
        } else {
            verdict = Verdict.BROKEN;
        }
        return new Result(
                verdict,
                frames,
                unreadable,
                first,
                highest,
                expected,
                missing,
                missingCount,
                duplicates,
                duplicateCount,
                outOfOrder,
                outOfOrderCount);
    }
}
