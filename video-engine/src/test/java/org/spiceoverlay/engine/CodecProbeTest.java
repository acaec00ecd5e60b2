package org.spiceoverlay.engine;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.spiceoverlay.engine.gst.GstMediaEngine;

/** What hello announces: the decoders and demuxers this machine really has. */
@Tag("integration")
class CodecProbeTest {

    @Test
    void theRegistryOffersWhatTheSampleClipsNeed() {
        GstMediaEngine engine = new GstMediaEngine();
        List<CodecCapability> caps = engine.capabilities();
        Set<String> video = caps.stream()
                .filter(c -> c.kind() == CodecCapability.Kind.VIDEO)
                .map(CodecCapability::mediaType)
                .collect(Collectors.toSet());
        Set<String> audio = caps.stream()
                .filter(c -> c.kind() == CodecCapability.Kind.AUDIO)
                .map(CodecCapability::mediaType)
                .collect(Collectors.toSet());
        Set<String> containers = caps.stream()
                .filter(c -> c.kind() == CodecCapability.Kind.CONTAINER)
                .map(CodecCapability::mediaType)
                .collect(Collectors.toSet());
        assertTrue(
                video.containsAll(Set.of(
                        "video/x-h264", "video/x-h265", "video/x-vp8", "video/x-vp9", "video/x-av1", "image/jpeg")),
                "video decoders: " + video);
        assertTrue(audio.containsAll(Set.of("audio/mpeg", "audio/x-opus", "audio/x-vorbis")), "audio: " + audio);
        assertTrue(
                containers.containsAll(Set.of("video/quicktime", "video/x-matroska", "video/mpegts")),
                "containers: " + containers);
        assertTrue(caps.stream().noneMatch(c -> c.mediaType().equals("video/x-raw")), "raw is not a codec");
        assertTrue(engine.description().startsWith("GStreamer 1."), engine.description());
    }

    @Test
    void undecodableCapsAreExplained() {
        GstMediaEngine engine = new GstMediaEngine();
        assertNull(engine.whyUndecodable("video/x-h264, stream-format=(string)avc"));
        String why = engine.whyUndecodable("video/x-nonexistent-codec");
        assertNotNull(why);
        assertTrue(why.contains("video/x-nonexistent-codec"), why);
        assertNotNull(engine.whyUndecodable("video/x-raw, format=(string)I420"));
        assertNotNull(engine.whyUndecodable("not caps at all ((("));
    }
}
