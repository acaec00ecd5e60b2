package org.spiceoverlay.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.spiceoverlay.engine.gst.GstMediaEngine;

/**
 * Files with a video track and nothing else, or with sound, as other muxers and encoders write them (WebM,
 * Matroska, MP4, MPEG-TS; VP8, VP9, H.264, H.265), are demuxed the way the sample player reads a
 * file and decode to every frame: a parser that exposes its pad before it has
 * parsed a frame (VP9 in WebM or Matroska) takes its caps from the first sample.
 */
@Tag("integration")
class MuxerCorpusTest {

    private static final int FRAMES = 30;
    private static GstMediaEngine engine;

    @BeforeAll
    static void engine() {
        engine = new GstMediaEngine();
    }

    @ParameterizedTest(name = "{0} in {1}")
    @CsvSource({
        "vp9enc deadline=1 cpu-used=8, webmmux, video/x-vp9, webm",
        "vp9enc deadline=1 cpu-used=8, matroskamux, video/x-vp9, mkv",
        "vp8enc deadline=1, webmmux, video/x-vp8, webm",
        "x264enc tune=zerolatency speed-preset=ultrafast ! h264parse, matroskamux, video/x-h264, mkv",
        "x264enc speed-preset=ultrafast ! h264parse, mp4mux, video/x-h264, mp4",
        "x264enc speed-preset=ultrafast ! h264parse, mpegtsmux, video/x-h264, ts",
        "x265enc speed-preset=ultrafast ! h265parse, matroskamux, video/x-h265, mkv"
    })
    void aVideoOnlyFileDemuxesAndDecodes(String encoder, String muxer, String mediaType, String ext, @TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("video-only." + ext);
        List<String> cmd = new java.util.ArrayList<>(List.of(
                "gst-launch-1.0",
                "-q",
                "videotestsrc",
                "num-buffers=" + FRAMES,
                "!",
                "video/x-raw,format=I420,width=320,height=240,framerate=30/1",
                "!"));
        cmd.addAll(List.of(encoder.split(" ")));
        cmd.addAll(List.of("!", muxer, "!", "filesink", "location=" + file));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "the file was written: " + out);

        PushedRun.Demuxed d = PushedRun.demux(file, true);
        assertTrue(d.videoCaps().startsWith(mediaType), "the video track's caps: " + d.videoCaps());
        assertNull(d.audioCaps(), "no audio track");
        assertEquals(FRAMES, d.video().size(), "one sample per frame");

        PushedRun.Result r =
                PushedRun.run(engine, PushedRun.spec(d, "video-only-" + ext).build(), d.samples(), 60);
        assertTrue(r.ended() && r.errors().isEmpty(), "played to the end without errors: " + r.errors());
        assertEquals(FRAMES, r.stats().framesDecoded(), "every frame decoded");
    }

    @ParameterizedTest(name = "{0} + {1} in {2}")
    @CsvSource({
        "vp9enc deadline=1 cpu-used=8, opusenc, webmmux, audio/x-opus, webm",
        "x264enc speed-preset=ultrafast ! h264parse, avenc_aac ! aacparse, matroskamux, audio/mpeg, mkv",
        "x264enc speed-preset=ultrafast ! h264parse, avenc_aac ! aacparse, mpegtsmux, audio/mpeg, ts",
        "x264enc speed-preset=ultrafast ! h264parse, avenc_aac ! aacparse, mp4mux, audio/mpeg, mp4"
    })
    void aFileWithSoundDemuxesAndDecodesBoth(
            String videoEncoder, String audioEncoder, String muxer, String audioType, String ext, @TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("with-sound." + ext);
        List<String> cmd = new java.util.ArrayList<>(List.of("gst-launch-1.0", "-q"));
        cmd.addAll(List.of(muxer, "name=mux", "!", "filesink", "location=" + file));
        cmd.addAll(List.of(
                "videotestsrc",
                "num-buffers=" + FRAMES,
                "!",
                "video/x-raw,format=I420,width=320,height=240,framerate=30/1",
                "!"));
        cmd.addAll(List.of(videoEncoder.split(" ")));
        cmd.addAll(List.of("!", "queue", "!", "mux."));
        // 1 s of sound at 48 kHz in 1024-sample buffers, as long as the 30 frames
        cmd.addAll(List.of(
                "audiotestsrc",
                "num-buffers=47",
                "samplesperbuffer=1024",
                "!",
                "audio/x-raw,rate=48000,channels=2",
                "!",
                "audioconvert",
                "!"));
        cmd.addAll(List.of(audioEncoder.split(" ")));
        cmd.addAll(List.of("!", "queue", "!", "mux."));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "the file was written: " + out);

        PushedRun.Demuxed d = PushedRun.demux(file, true);
        assertTrue(d.audioCaps() != null && d.audioCaps().startsWith(audioType), "the audio track: " + d.audioCaps());
        assertEquals(FRAMES, d.video().size(), "one video sample per frame");
        assertTrue(d.samples().size() > FRAMES, "audio samples too");

        PushedRun.Result r =
                PushedRun.run(engine, PushedRun.spec(d, "with-sound-" + ext).build(), d.samples(), 60);
        assertTrue(r.ended() && r.errors().isEmpty(), "played to the end without errors: " + r.errors());
        assertEquals(FRAMES, r.stats().framesDecoded(), "every frame decoded");
        assertTrue(r.stats().audioBuffers() > 0, "the sound decoded: " + r.stats());
    }
}
