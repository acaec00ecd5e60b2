package org.spiceoverlay.media;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What {@link ClipGenerator} produced for one clip: the file, how many frames went in, its size
 * and how long encoding took; or, when the file was already there and not to be overwritten, the
 * existing file ({@link #reused()}; frames and time are then 0, the file was not inspected).
 *
 * <p>Immutable; any thread.
 */
public record GeneratedClip(SampleClip clip, Path file, int frames, long bytes, Duration took, boolean reused) {

    public GeneratedClip {
        Objects.requireNonNull(clip, "clip");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(took, "took");
        if (frames < 0) {
            throw new IllegalArgumentException("frames must be >= 0, got " + frames);
        }
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must be >= 0, got " + bytes);
        }
        if (took.isNegative()) {
            throw new IllegalArgumentException("took must not be negative, got " + took);
        }
    }

    @Override
    public String toString() {
        return clip.clipName() + " -> " + file + " (" + (reused ? "existing, " : frames + " frames, ") + bytes
                + " bytes" + (reused ? "" : ", " + took.toMillis() + " ms") + ")";
    }
}
