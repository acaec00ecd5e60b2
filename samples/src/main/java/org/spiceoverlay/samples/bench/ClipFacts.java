package org.spiceoverlay.samples.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.freedesktop.gstreamer.Caps;
import org.freedesktop.gstreamer.Element;
import org.freedesktop.gstreamer.Format;
import org.freedesktop.gstreamer.Gst;
import org.freedesktop.gstreamer.Pipeline;
import org.freedesktop.gstreamer.State;
import org.freedesktop.gstreamer.Structure;
import org.freedesktop.gstreamer.glib.GError;
import org.spiceoverlay.engine.gst.GstRuntime;
import org.spiceoverlay.media.SampleClip;

/**
 * What the benchmark needs to know of the clip it plays: picture size, frame rate, its own average
 * bitrate (file size over duration: what redirection should send), and whether it carries A/V
 * marks (white flash frames with a beep on each).
 *
 * @param clip the sample clip, or null for a user's file
 * @param timeline the clip's compressed bytes along its decode timeline
 */
public record ClipFacts(
        String name, int width, int height, int fps, double seconds, long bytes, SampleClip clip, ClipBytes timeline) {

    double mbitPerSecond() {
        return bytes * 8 / seconds / 1e6;
    }

    boolean avMarks() {
        return clip != null && clip.hasAvMarks();
    }

    boolean isFlash(int frame) {
        return clip != null && clip.isFlashFrame(frame);
    }

    /** Facts of a generated sample clip. */
    static ClipFacts of(SampleClip clip, Path file, double seconds) throws IOException {
        return new ClipFacts(
                clip.clipName(),
                clip.width(),
                clip.height(),
                clip.framesPerSecond(),
                seconds,
                Files.size(file),
                clip,
                timeline(file));
    }

    private static ClipBytes timeline(Path file) throws IOException {
        try {
            return ClipBytes.read(file);
        } catch (org.spiceoverlay.engine.EngineException e) {
            throw new IOException("cannot demux " + file + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted reading " + file, e);
        }
    }

    /**
     * Facts of any file GStreamer can play, read by prerolling it.
     *
     * @throws IOException when it cannot be played or has no video
     */
    static ClipFacts probe(Path file) throws IOException {
        GstRuntime.ensureInitialised();
        List<GError> errors = new ArrayList<>();
        Element parsed = Gst.parseLaunch("filesrc name=src ! decodebin ! video/x-raw ! fakesink name=sink", errors);
        if (!errors.isEmpty() || !(parsed instanceof Pipeline p)) {
            throw new IOException("cannot build a pipeline to read " + file + ": " + errors);
        }
        try {
            p.getElementByName("src").set("location", file.toAbsolutePath().toString());
            p.pause();
            if (p.getState(TimeUnit.SECONDS.toNanos(20)) != State.PAUSED) {
                throw new IOException(file + " does not play as video (GStreamer could not preroll it)");
            }
            long duration = p.queryDuration(Format.TIME);
            Caps caps = p.getElementByName("sink").getStaticPad("sink").getCurrentCaps();
            if (caps == null || duration <= 0) {
                throw new IOException(file + ": no video stream or no duration");
            }
            Structure s = caps.getStructure(0);
            int fps = 30;
            try {
                org.freedesktop.gstreamer.Fraction f = s.getFraction("framerate");
                if (f.getDenominator() > 0 && f.getNumerator() > 0) {
                    fps = (int) Math.round((double) f.getNumerator() / f.getDenominator());
                }
            } catch (RuntimeException e) {
                // no frame rate in the caps (variable rate): the frame-slot figures assume 30
            }
            return new ClipFacts(
                    file.getFileName().toString(),
                    s.getInteger("width"),
                    s.getInteger("height"),
                    fps,
                    duration / 1e9,
                    Files.size(file),
                    null,
                    timeline(file));
        } finally {
            p.stop();
            p.dispose();
        }
    }
}
