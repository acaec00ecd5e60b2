package org.spiceoverlay.samples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.spiceoverlay.api.PixelFormat;
import org.spiceoverlay.engine.DecodeSession;
import org.spiceoverlay.engine.EncodedSample;
import org.spiceoverlay.engine.EngineError;
import org.spiceoverlay.engine.EngineErrorCode;
import org.spiceoverlay.engine.EngineException;
import org.spiceoverlay.engine.FrameQueue;
import org.spiceoverlay.engine.MediaEngine;
import org.spiceoverlay.engine.Pacing;
import org.spiceoverlay.engine.SessionSpec;
import org.spiceoverlay.engine.SessionStats;
import org.spiceoverlay.engine.SourceType;
import org.spiceoverlay.engine.gst.ClipDemuxer;
import org.spiceoverlay.engine.gst.ClipFeeder;
import org.spiceoverlay.engine.gst.DemuxedSample;
import org.spiceoverlay.engine.gst.GstMediaEngine;
import org.spiceoverlay.samples.bench.DecodeReport;
import org.spiceoverlay.samples.bench.FrameDrain;
import org.spiceoverlay.samples.bench.FrameNumberCheck;
import org.spiceoverlay.samples.bench.JsonWriter;
import org.spiceoverlay.samples.bench.SessionEventLog;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code overlay decode CLIP}: decodes a clip headlessly through the same session code a guest
 * stream uses (the clip demuxed into elementary samples, pushed into a {@code SAMPLES} session,
 * frames taken from a lossless {@link FrameQueue}) and reports frames, speed, decode latency and
 * whether the frame numbers the sample clips carry came out complete and in order.
 *
 * <p>Exit status: 0 decoded fine (numbers complete and in order, or the clip carries none), 1 the
 * numbers are missing or out of order or the engine reported an error, 2 a usage error (no such
 * file, not a video file, bad option). Runs on the main thread; the feeder and GStreamer use their
 * own.
 */
@Command(
        name = "decode",
        description = {
            "Decode a clip headlessly through the guest-stream path (demuxed samples pushed into a decode "
                    + "session) and report frames, fps, decode latency and whether the embedded frame numbers came out "
                    + "complete and in order.",
            "Exit status: 0 decoded fine (or the clip carries no frame numbers), 1 frame numbers missing/out of "
                    + "order or an engine error, 2 usage error (bad file or option)."
        })
public final class DecodeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "Show this help and exit.")
    boolean help;

    @Parameters(
            index = "0",
            paramLabel = "CLIP",
            description =
                    "The media file to decode (any container and "
                            + "codec GStreamer demuxes and decodes here; the sample clips from 'overlay clips' carry frame numbers).")
    Path clip;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the report as JSON to FILE.")
    Path json;

    @Option(
            names = "--format",
            paramLabel = "FORMAT",
            defaultValue = "I420",
            converter = PixelFormatConverter.class,
            description = "Frame format to deliver: I420 (default), NV12, RGBA, RGBx, BGRA or BGRx "
                    + "(converted when the decoder outputs another).")
    PixelFormat format;

    @Option(
            names = "--pacing",
            paramLabel = "PACING",
            defaultValue = "immediate",
            converter = PacingConverter.class,
            description = "immediate (default): hand each frame over as soon as it is decoded; clock: at its "
                    + "presentation time, as a viewer sees it (takes the clip's duration).")
    Pacing pacing;

    @Option(names = "--no-audio", description = "Leave the audio track out (not demuxed, not pushed, not decoded).")
    boolean noAudio;

    @Option(
            names = "--stall-seconds",
            paramLabel = "N",
            defaultValue = "30",
            description = "Give up when no frame comes for N seconds (default ${DEFAULT-VALUE}).")
    int stallSeconds;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            String usage = checkUsage();
            if (usage != null) {
                err.println("overlay decode: " + usage);
                err.flush();
                return CommandLine.ExitCode.USAGE;
            }
            DecodeReport report;
            try {
                report = decode(new GstMediaEngine());
            } catch (BadClipException e) {
                err.println("overlay decode: " + e.getMessage());
                err.flush();
                return CommandLine.ExitCode.USAGE;
            } catch (IllegalStateException e) {
                // GStreamer itself is missing: the message says what to install.
                err.println("overlay decode: " + e.getMessage());
                err.flush();
                return 1;
            }
            report.print(out);
            out.flush();
            if (json != null) {
                JsonWriter w = new JsonWriter();
                report.writeJson(w);
                w.writeTo(json);
                out.println("JSON written to " + json.toAbsolutePath());
                out.flush();
            }
            return report.exitCode();
        } catch (IOException e) {
            err.println("overlay decode: cannot write " + json + ": " + e.getMessage());
            err.flush();
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("overlay decode: interrupted");
            err.flush();
            return 1;
        }
    }

    /** What is wrong with the arguments, or null. */
    private String checkUsage() {
        if (!Files.exists(clip)) {
            return "no such file: " + clip.toAbsolutePath();
        }
        if (!Files.isRegularFile(clip)) {
            return "not a regular file: " + clip.toAbsolutePath();
        }
        if (!Files.isReadable(clip)) {
            return "cannot read " + clip.toAbsolutePath() + " (permission denied)";
        }
        if (stallSeconds <= 0) {
            return "--stall-seconds must be > 0, got " + stallSeconds;
        }
        if (json != null && Files.isDirectory(json)) {
            return "--json " + json + " is a directory; give a file name";
        }
        return null;
    }

    /** A clip that cannot be read as video at all: a usage error, not an engine fault. */
    private static final class BadClipException extends Exception {
        private static final long serialVersionUID = 1L;

        BadClipException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private DecodeReport decode(MediaEngine engine) throws BadClipException, InterruptedException {
        Path file = clip.toAbsolutePath();
        int videoSamples = countVideoSamples(file);
        List<String> errors = new ArrayList<>();
        SessionEventLog events = new SessionEventLog();
        FrameNumberCheck numbers = new FrameNumberCheck(videoSamples);
        String videoCaps;
        String audioCaps;
        long startTimeNs;
        FrameDrain.Outcome outcome = null;
        SessionStats stats = null;
        long wallNanos = 0;
        ClipDemuxer demuxer;
        try {
            demuxer = ClipDemuxer.open(file, !noAudio);
        } catch (EngineException e) {
            throw new BadClipException("cannot read " + file + " as a video file: " + e.getMessage(), e);
        }
        try (demuxer;
                FrameQueue queue = new FrameQueue(FrameDrain.QUEUE_FRAMES)) {
            videoCaps = demuxer.videoCaps();
            audioCaps = demuxer.audioCaps();
            startTimeNs = demuxer.startTimeNs();
            SessionSpec sessionSpec = SessionSpec.builder(SourceType.SAMPLES)
                    .name("decode-" + file.getFileName())
                    .videoCaps(videoCaps)
                    .audioCaps(audioCaps)
                    .startTimeNs(startTimeNs)
                    .audio(!noAudio)
                    .pacing(pacing)
                    .outputFormat(format)
                    .build();
            long start = System.nanoTime();
            try (DecodeSession session = engine.open(sessionSpec, queue, events);
                    ClipFeeder feeder = new ClipFeeder(demuxer, session).start()) {
                outcome = FrameDrain.drain(queue, session, events, numbers, Duration.ofSeconds(stallSeconds));
                wallNanos = System.nanoTime() - start;
                stats = session.stats();
                if (outcome.stopReason() != null) {
                    errors.add(outcome.stopReason());
                }
                // The stream ended, so the feeder is done: a failure it had is final.
                feeder.await(1, TimeUnit.SECONDS);
                if (feeder.failure() != null) {
                    errors.add("feeding the session failed: " + feeder.failure());
                }
            } catch (EngineException e) {
                errors.add("the engine refused the stream: " + e.getMessage() + " (" + e.code() + ")");
            }
        }
        for (EngineError e : events.errors()) {
            errors.add("engine: " + e);
        }
        return new DecodeReport(
                file,
                videoCaps,
                audioCaps,
                startTimeNs,
                noAudio,
                format,
                pacing,
                videoSamples,
                outcome,
                stats,
                wallNanos,
                numbers.result(),
                errors);
    }

    /** A first, untimed pass over the file: how many video samples it has, so that lost frames at its end show. */
    private static int countVideoSamples(Path file) throws BadClipException, InterruptedException {
        try (ClipDemuxer d = ClipDemuxer.open(file, false)) {
            int n = 0;
            DemuxedSample s;
            while ((s = d.next(30, TimeUnit.SECONDS)) != null) {
                if (s.sample().track() == EncodedSample.Track.VIDEO) {
                    n++;
                }
                s.close();
            }
            return n;
        } catch (EngineException e) {
            if (e.code() == EngineErrorCode.INTERNAL) {
                throw new BadClipException("demuxing " + file + " stalled: " + e.getMessage(), e);
            }
            throw new BadClipException("cannot read " + file + " as a video file: " + e.getMessage(), e);
        }
    }

    /** {@code --format}: the engine's formats by their GStreamer names, case ignored (so "BGRx" works). */
    static final class PixelFormatConverter implements CommandLine.ITypeConverter<PixelFormat> {
        @Override
        public PixelFormat convert(String value) {
            for (PixelFormat f : PixelFormat.values()) {
                if (f.gstName().equalsIgnoreCase(value.trim())) {
                    return f;
                }
            }
            throw new CommandLine.TypeConversionException("unknown format '" + value + "'; use one of "
                    + Arrays.stream(PixelFormat.values())
                            .map(PixelFormat::gstName)
                            .collect(Collectors.joining(", ")));
        }
    }

    /** {@code --pacing}: immediate or clock, case ignored. */
    static final class PacingConverter implements CommandLine.ITypeConverter<Pacing> {
        @Override
        public Pacing convert(String value) {
            for (Pacing p : Pacing.values()) {
                if (p.name().equalsIgnoreCase(value.trim())) {
                    return p;
                }
            }
            throw new CommandLine.TypeConversionException("unknown pacing '" + value + "'; use immediate or clock");
        }
    }
}
