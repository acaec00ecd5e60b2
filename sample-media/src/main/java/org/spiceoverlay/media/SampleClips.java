package org.spiceoverlay.media;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/** Choosing sample clips on a command line: by name, with a length every one of them can take. */
public final class SampleClips {

    private SampleClips() {}

    /** The clips named in {@code only} (as {@link #byName} takes them), or all of them when it is empty. */
    public static List<SampleClip> select(List<String> only) {
        return only.isEmpty()
                ? Arrays.asList(SampleClip.values())
                : only.stream().map(SampleClip::byName).toList();
    }

    /**
     * {@code seconds} as a clip length, checked against every clip's frame count.
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    public static Duration lengthOf(double seconds, List<SampleClip> clips) {
        if (!(seconds > 0) || Double.isInfinite(seconds)) {
            throw new IllegalArgumentException("--seconds must be a positive number, got " + seconds);
        }
        Duration length = Duration.ofNanos(Math.round(seconds * 1e9));
        clips.forEach(c -> c.frameCount(length));
        return length;
    }

    /** The clip names, for command-line help and shell completion. */
    public static final class Names implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Arrays.stream(SampleClip.values()).map(SampleClip::clipName).iterator();
        }
    }
}
