package org.spiceoverlay.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.spiceoverlay.media.ClipGenerator;
import org.spiceoverlay.media.GeneratedClip;
import org.spiceoverlay.media.SampleClip;

/**
 * The sample clips the engine tests decode, generated once per build into
 * {@code target/test-clips} (never committed) and shared by every test class in the JVM.
 */
final class TestClips {

    /** Long enough for seeks and several GOPs (keyframe every 30 frames), short enough for CI. */
    static final Duration LENGTH = Duration.ofSeconds(4);

    private static final Path DIR = Path.of("target", "test-clips", LENGTH.toSeconds() + "s");
    private static final Map<SampleClip, GeneratedClip> MADE = new EnumMap<>(SampleClip.class);

    private TestClips() {}

    /** The clip's file, generating it on first use. */
    static synchronized Path get(SampleClip clip) {
        GeneratedClip g = MADE.get(clip);
        if (g == null) {
            try {
                g = ClipGenerator.generate(clip, DIR, LENGTH, false);
            } catch (IOException e) {
                throw new UncheckedIOException("could not generate sample clip " + clip.clipName(), e);
            }
            MADE.put(clip, g);
        }
        return g.file();
    }

    /** Frames in each test clip. */
    static int frames(SampleClip clip) {
        return clip.frameCount(LENGTH);
    }
}
