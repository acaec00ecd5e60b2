package org.spiceoverlay.samples.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What a player wrote into its events file (JSON lines, written as things happen): its clock
 * ({@code {"event":"clock","origin_ns":N}}: the {@link System#nanoTime()} instant at which stream
 * time 0 is due), and the actions it took ({@code pause}, {@code resume}, {@code seek} with
 * {@code at_ns} and, for a seek, {@code to_ns}), {@code eos} and {@code stopped}.
 *
 * <p>Immutable snapshot of the file when read; any thread.
 */
public final class PlayerEvents {

    /** One line of the file. {@code originNs}, {@code atNs} and {@code toNs} are -1 where the line has none. */
    public record Event(String kind, long originNs, long atNs, long toNs) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Event> events;

    private PlayerEvents(List<Event> events) {
        this.events = List.copyOf(events);
    }

    /**
     * Reads the file as it is now; a missing file reads as no events, and a line still being
     * written (not yet whole JSON) is left for the next read.
     */
    public static PlayerEvents read(Path file) throws IOException {
        List<Event> out = new ArrayList<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return new PlayerEvents(out);
        }
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode n;
            try {
                n = JSON.readTree(line);
            } catch (IOException e) {
                continue;
            }
            out.add(new Event(n.path("event").asText(""), n.path("origin_ns").asLong(-1), n.path("at_ns").asLong(-1),
                    n.path("to_ns").asLong(-1)));
        }
        return new PlayerEvents(out);
    }

    public List<Event> events() {
        return events;
    }

    /** The first clock origin the player reported. */
    public Optional<Long> firstOrigin() {
        return events.stream().filter(e -> e.kind().equals("clock") && e.originNs() >= 0).map(Event::originNs)
                .findFirst();
    }

    /** The first event of this kind. */
    public Optional<Event> first(String kind) {
        return events.stream().filter(e -> e.kind().equals(kind)).findFirst();
    }
}
