package org.spiceoverlay.samples.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The sample player's keys on a terminal: space pauses or resumes, the left and right arrows seek
 * back and forth by 5 s, {@code q} quits. The terminal is put in character mode while playing
 * ({@code stty}) and restored afterwards.
 *
 * <p>One reader thread of its own; {@link #close()} from the owner.
 */
public final class TerminalKeys implements AutoCloseable {

    /** What a key asks for. */
    enum Key {
        TOGGLE_PAUSE,
        SEEK_BACK,
        SEEK_FORWARD,
        QUIT
    }

    private static final Path TTY = Path.of("/dev/tty");

    private final String savedMode;
    private final Thread reader;
    private volatile boolean closed;

    private TerminalKeys(String savedMode, Consumer<Key> onKey) throws IOException {
        this.savedMode = savedMode;
        InputStream in = Files.newInputStream(TTY);
        reader = new Thread(
                () -> {
                    byte[] buf = new byte[16];
                    try (in) {
                        while (!closed) {
                            int n = in.read(buf);
                            if (n < 0) {
                                return;
                            }
                            byte[] got = java.util.Arrays.copyOf(buf, n);
                            for (Key k : decode(got)) {
                                onKey.accept(k);
                            }
                        }
                    } catch (IOException e) {
                        // the terminal went away: no more keys
                    }
                },
                "terminal-keys");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts reading keys when this process has a terminal; null when it has none (then the player
     * runs without keys).
     */
    static TerminalKeys startIfInteractive(Consumer<Key> onKey) {
        if (System.console() == null || !Files.isReadable(TTY)) {
            return null;
        }
        try {
            String saved = stty("-g").trim();
            stty("-icanon", "-echo", "min", "1");
            return new TerminalKeys(saved, onKey);
        } catch (IOException e) {
            return null;
        }
    }

    /** The keys in a burst of terminal input (arrows come as ESC [ C / ESC [ D). */
    static List<Key> decode(byte[] input) {
        List<Key> keys = new ArrayList<>();
        for (int i = 0; i < input.length; i++) {
            byte b = input[i];
            if (b == ' ') {
                keys.add(Key.TOGGLE_PAUSE);
            } else if (b == 'q' || b == 'Q') {
                keys.add(Key.QUIT);
            } else if (b == 0x1b && i + 2 < input.length && input[i + 1] == '[') {
                if (input[i + 2] == 'C') {
                    keys.add(Key.SEEK_FORWARD);
                } else if (input[i + 2] == 'D') {
                    keys.add(Key.SEEK_BACK);
                }
                i += 2;
            }
        }
        return keys;
    }

    private static String stty(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("stty"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectInput(TTY.toFile()).start();
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("stty " + String.join(" ", args) + " failed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** Restores the terminal. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            stty(savedMode);
        } catch (IOException e) {
            System.err.println("overlay play: could not restore the terminal (run 'stty sane'): " + e.getMessage());
        }
    }
}
