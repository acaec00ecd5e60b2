package org.spiceoverlay.samples.player;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

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

        private static final ObjectMapper JSON = new ObjectMapper();

        public Event {
            Objects.requireNonNull(event, "event");
        }

        /**
         * Parses a line of a log (fields a later version added are ignored).
         *
         * @throws IllegalArgumentException naming the line when it is not JSON or has no {@code event}
         */
        public static Event parse(String line) {
            JsonNode n;
            try {
                n = JSON.readTree(line);
            } catch (IOException e) {
                throw new IllegalArgumentException("not a playback event line: " + line, e);
            }
            if (n == null || !n.path("event").isTextual()) {
                throw new IllegalArgumentException("not a playback event line: " + line);
            }
            return new Event(
                    n.get("event").asText(),
                    n.path("at_ns").asLong(-1),
                    n.path("origin_ns").asLong(-1),
                    n.path("to_ns").asLong(-1));
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

    /**
     * Reads what a running player has written so far: a missing file is no events yet, and a last
     * line still being written is left for the next read.
     */
    public static List<Event> readSoFar(Path file) throws IOException {
        List<Event> events = new ArrayList<>();
        if (!Files.exists(file)) {
            return events;
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            try {
                events.add(Event.parse(lines.get(i)));
            } catch (IllegalArgumentException e) {
                if (i < lines.size() - 1) {
                    throw e;
                }
            }
        }
        return events;
    }

    /**
     * The clock in effect at {@code atNs}: the origin of the last clock event written before it (the
     * first one when none was), or empty when there is none.
     */
    public static Optional<Long> originAt(List<Event> events, long atNs) {
        Long origin = null;
        for (Event e : events) {
            if (e.event().equals("clock") && (origin == null || e.atNs() >= 0 && e.atNs() <= atNs)) {
                origin = e.originNs();
            }
        }
        return Optional.ofNullable(origin);
    }

    /** The first event of this kind in {@code events}. */
    public static Optional<Event> first(List<Event> events, String kind) {
        return events.stream().filter(e -> e.event().equals(kind)).findFirst();
    }

    /** Stream time 0 is due to show at {@code originNs}. */
    public void clock(long originNs) {
        write("{\"event\":\"clock\",\"origin_ns\":" + originNs + ",\"at_ns\":" + System.nanoTime() + "}");
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
