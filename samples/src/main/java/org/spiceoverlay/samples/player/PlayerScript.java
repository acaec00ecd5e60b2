package org.spiceoverlay.samples.player;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * A scripted sequence of player actions for tests and demos, e.g.
 * {@code "pause@2s,resume@3s,seek@4s:1s,close@6s"}: at 2 s of playback pause, at 3 s resume, at
 * 4 s seek to media time 1 s, at 6 s close the stream. Times are {@code N s} or {@code N ms}.
 *
 * <p>Immutable; safe to share between threads. Public for the benchmark's plain player.
 */
public record PlayerScript(List<Step> steps) {

    /** What a step does. */
    public enum Action {
        PAUSE,
        RESUME,
        SEEK,
        CLOSE
    }

    /** One action at a time after playback started (and, for a seek, its target). */
    public record Step(Action action, long atNanos, long targetNanos) {}

    public PlayerScript {
        steps = steps.stream().sorted(Comparator.comparingLong(Step::atNanos)).toList();
    }

    public static final PlayerScript NONE = new PlayerScript(List.of());

    /** @throws IllegalArgumentException naming the step that does not parse */
    public static PlayerScript parse(String text) {
        if (text == null || text.isBlank()) {
            return NONE;
        }
        List<Step> steps = new ArrayList<>();
        for (String part : text.split(",")) {
            String p = part.trim().toLowerCase(Locale.ROOT);
            int at = p.indexOf('@');
            if (at <= 0) {
                throw new IllegalArgumentException("script step \"" + part + "\" is not ACTION@TIME");
            }
            Action action;
            try {
                action = Action.valueOf(p.substring(0, at).toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "script step \"" + part + "\": unknown action (pause, resume, seek, close)");
            }
            String rest = p.substring(at + 1);
            long target = -1;
            if (action == Action.SEEK) {
                int colon = rest.indexOf(':');
                if (colon < 0) {
                    throw new IllegalArgumentException("script step \"" + part + "\": a seek is seek@TIME:TARGET");
                }
                target = time(rest.substring(colon + 1), part);
                rest = rest.substring(0, colon);
            }
            steps.add(new Step(action, time(rest, part), target));
        }
        return new PlayerScript(steps);
    }

    private static long time(String t, String part) {
        try {
            if (t.endsWith("ms")) {
                return Math.round(Double.parseDouble(t.substring(0, t.length() - 2)) * 1e6);
            }
            if (t.endsWith("s")) {
                return Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1e9);
            }
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        throw new IllegalArgumentException(
                "script step \"" + part + "\": \"" + t + "\" is not a time like 2s or 1500ms");
    }
}
