package org.spiceoverlay.samples.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The processes and resources of one benchmark mode: the players and client service started as
 * JVMs of this program (each with its log in the mode's directory), and everything else the mode
 * brought up (displays, sound server, relays, reader, recorder), torn down in one go.
 *
 * <p>Threads: the mode's thread only.
 */
public final class ModeProcesses implements AutoCloseable {

    private final List<Process> processes = new ArrayList<>();
    private final List<AutoCloseable> resources = new ArrayList<>();

    /** Closes {@code resource} with the mode, after the processes and before what was added earlier. */
    <T extends AutoCloseable> T add(T resource) {
        resources.add(resource);
        return resource;
    }

    /** Starts {@code overlay ARGS} in a JVM of its own; its output goes to {@code dir/NAME.log}. */
    Process start(Path dir, String name, Map<String, String> env, List<String> jvmOptions, String... args)
            throws IOException {
        ProcessBuilder pb = new ProcessBuilder(OverlayJava.command(jvmOptions, List.of(args)))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        processes.add(p);
        return p;
    }

    static void awaitListening(Process client, int port, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                if (!client.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "the client service did not listen on port " + port + ": " + tail(log));
                }
                Thread.sleep(100);
            }
        }
    }

    static void mkfifo(Path path) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("mkfifo", "-m", "600", path.toString())
                .redirectErrorStream(true)
                .start();
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("mkfifo " + path + " failed: "
                    + new String(p.getInputStream().readAllBytes()));
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Stops the players and client first (so they finish their reports), then the rest, newest first. */
    @Override
    public void close() {
        for (Process p : processes) {
            p.destroy();
        }
        for (Process p : processes) {
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
        processes.clear();
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                System.err.println("overlay bench: closing " + resources.get(i) + ": " + e.getMessage());
            }
        }
        resources.clear();
    }
}
