package org.spiceoverlay.samples.bench;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The wide-area link a {@link CountingRelay} emulates: a round-trip time (each direction delays by
 * half of it) and a bandwidth cap per direction (0: none). Parses the benchmark's {@code --rtt 30ms}
 * and {@code --bandwidth 20mbit}.
 *
 * <p>Immutable; any thread.
 */
public record WanLink(long rttNanos, long bitsPerSecond) {

    /** Loopback as it is: no delay, no cap. */
    public static final WanLink NONE = new WanLink(0, 0);

    private static final Pattern NUMBER_UNIT = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)\\s*([a-z]*)");

    public WanLink {
        if (rttNanos < 0) {
            throw new IllegalArgumentException("rttNanos must be >= 0, got " + rttNanos);
        }
        if (bitsPerSecond < 0) {
            throw new IllegalArgumentException("bitsPerSecond must be >= 0 (0: no cap), got " + bitsPerSecond);
        }
    }

    /** The delay of each direction. */
    public long oneWayNanos() {
        return rttNanos / 2;
    }

    /** Whether it changes anything (a delay or a cap). */
    public boolean emulates() {
        return rttNanos > 0 || bitsPerSecond > 0;
    }

    /**
     * A round-trip time such as {@code 30ms}, {@code 0.1s} or {@code 0}.
     *
     * @throws IllegalArgumentException saying what was expected
     */
    public static long parseRtt(String text) {
        Matcher m = match(text, "--rtt", "a time such as 30ms or 0.1s");
        double n = Double.parseDouble(m.group(1));
        double nanos =
                switch (m.group(2)) {
                    case "ms" -> n * 1e6;
                    case "s" -> n * 1e9;
                    case "" -> {
                        if (n != 0) {
                            throw new IllegalArgumentException("--rtt " + text + ": give a unit, ms or s (e.g. 30ms)");
                        }
                        yield 0;
                    }
                    default -> throw new IllegalArgumentException(
                            "--rtt " + text + ": unknown unit \"" + m.group(2) + "\" (ms or s)");
                };
        return Math.round(nanos);
    }

    /**
     * A bandwidth such as {@code 20mbit}, {@code 512kbit}, {@code 1gbit} (decimal: 1 mbit = 10^6 bit/s),
     * or {@code 0} for no cap.
     *
     * @throws IllegalArgumentException saying what was expected
     */
    public static long parseBandwidth(String text) {
        Matcher m = match(text, "--bandwidth", "a rate such as 20mbit, 512kbit or 1gbit");
        double n = Double.parseDouble(m.group(1));
        double bits =
                switch (m.group(2)) {
                    case "kbit" -> n * 1e3;
                    case "mbit" -> n * 1e6;
                    case "gbit" -> n * 1e9;
                    case "" -> {
                        if (n != 0) {
                            throw new IllegalArgumentException(
                                    "--bandwidth " + text + ": give a unit, kbit, mbit or gbit (e.g. 20mbit)");
                        }
                        yield 0;
                    }
                    default -> throw new IllegalArgumentException("--bandwidth " + text + ": unknown unit \""
                            + m.group(2) + "\" (kbit, mbit or gbit per second)");
                };
        if (n > 0 && bits < 8) {
            throw new IllegalArgumentException("--bandwidth " + text + " is below one byte per second");
        }
        return Math.round(bits);
    }

    private static Matcher match(String text, String option, String expected) {
        if (text == null) {
            throw new IllegalArgumentException(option + ": missing value, expected " + expected);
        }
        Matcher m = NUMBER_UNIT.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException(option + " " + text + " is not " + expected);
        }
        return m;
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "WanLink[rtt %.1f ms, %s]",
                rttNanos / 1e6,
                bitsPerSecond == 0
                        ? "no bandwidth cap"
                        : String.format(Locale.ROOT, "%.3f Mbit/s", bitsPerSecond / 1e6));
    }
}
