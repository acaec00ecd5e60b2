package org.spiceoverlay.samples.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A player's events for the benchmark, as JSON lines written and flushed as they happen, all times
 * in {@link System#nanoTime()} of the player's process (one machine, so comparable with the
 * benchmark's screen grabs):
 *
 * <pre>
 * {"event":"clock","origin_ns":N}        stream time 0 is due to show at N: frame with pts P is due at N + P
 * {"event":"pause","at_ns":N}            the player asked for a pause at N
 * {"event":"resume","at_ns":N}           ... to resume
 * {"event":"seek","at_ns":N,"to_ns":T}   ... to seek to stream time T
 * {"event":"eos","at_ns":N}              the end of the stream reached the player
 * {"event":"stopped","at_ns":N}          the player stopped (nothing shows any more)
 * </pre>
 *
 * A {@code clock} line follows the start of playback and every resume and seek, once the new
 * position runs.
 *
 * <p>Thread-safe: every method may be called from any thread; a line is written whole (the lock
 * covers only the append and flush to a local file).
 */
public final class PlaybackEventLog implements AutoCloseable {

    /** One line of the log; fields a kind of event does not have are -1 ({@code to_ns} may be any time). */
    public record Event(String event, long atNs, long originNs, long toNs) {

        private static final Pattern FIELD = Pattern.compile("\"([a-z_]+)\"\\s*:\\s*(-?[0-9]+|\"[a-z]+\")");

        public Event {
            Objects.requireNonNull(event, "event");
        }

        /**
         * Parses a line this class wrote.
         *
         * @throws IllegalArgumentException naming the line when it has no {@code event}
         */
        public static Event parse(String line) {
            String event = null;
            long at = -1;
            long origin = -1;
            long to = -1;
            Matcher m = FIELD.matcher(line);
            while (m.find()) {
                String v = m.group(2);
                switch (m.group(1)) {
                    case "event" -> event = v.substring(1, v.length() - 1);
                    case "at_ns" -> at = Long.parseLong(v);
                    case "origin_ns" -> origin = Long.parseLong(v);
                    case "to_ns" -> to = Long.parseLong(v);
                    default -> {
                        // a field a later version added
                    }
                }
            }
            if (event == null) {
                throw new IllegalArgumentException("not a playback event line: " + line);
            }
            return new Event(event, at, origin, to);
        }
    }

    private final BufferedWriter out; // null: events are dropped

    private PlaybackEventLog(BufferedWriter out) {
        this.out = out;
    }

    /** Writes to {@code file} (created or truncated); null: a log that drops every event. */
    public static PlaybackEventLog open(Path file) throws IOException {
        if (file == null) {
            return none();
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        return new PlaybackEventLog(Files.newBufferedWriter(file, StandardCharsets.UTF_8));
    }

    /** A log that drops every event. */
    public static PlaybackEventLog none() {
        return new PlaybackEventLog(null);
    }

    /** Reads every event of a log file, in order. */
    public static List<Event> read(Path file) throws IOException {
        List<Event> events = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                events.add(Event.parse(line));
            }
        }
        return events;
    }

    /** Stream time 0 is due to show at {@code originNs}. */
    public void clock(long originNs) {
        write("{\"event\":\"clock\",\"origin_ns\":" + originNs + "}");
    }

    public void pause(long atNs) {
        at("pause", atNs);
    }

    public void resume(long atNs) {
        at("resume", atNs);
    }

    public void seek(long atNs, long toNs) {
        write("{\"event\":\"seek\",\"at_ns\":" + atNs + ",\"to_ns\":" + toNs + "}");
    }

    public void eos(long atNs) {
        at("eos", atNs);
    }

    public void stopped(long atNs) {
        at("stopped", atNs);
    }

    private void at(String event, long atNs) {
        write("{\"event\":\"" + event + "\",\"at_ns\":" + atNs + "}");
    }

    private synchronized void write(String line) {
        if (out == null) {
            return;
        }
        try {
            out.write(line);
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the events file: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (out != null) {
            out.close();
        }
    }
}
