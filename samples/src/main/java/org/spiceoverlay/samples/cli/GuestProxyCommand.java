package org.spiceoverlay.samples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.spiceoverlay.api.transport.Endpoint;
import org.spiceoverlay.guest.proxy.GuestProxy;
import org.spiceoverlay.guest.proxy.GuestProxyOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code overlay guest-proxy}: the daemon in the guest that many player apps connect to (Unix
 * socket) and that holds the one channel to the client, multiplexing them on it. Runs until SIGTERM
 * or Ctrl-C.
 */
@Command(
        name = "guest-proxy",
        description = {
            "Run the guest proxy daemon: local player apps connect on a Unix socket, and share one channel",
            "to the overlay client (a virtio-serial port by default). Stops on SIGTERM or Ctrl-C."
        })
public final class GuestProxyCommand implements Callable<Integer> {

    /** The virtio-serial port name the VM is configured with (README: running client and guest for real). */
    static final String DEFAULT_PORT = "serial:/dev/virtio-ports/org.spiceoverlay.0";

    @Spec
    CommandSpec spec;

    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "Show this help and exit.")
    boolean help;

    @Option(
            names = "--listen",
            paramLabel = "unix:PATH",
            description =
                    "Where apps connect (default: unix:$XDG_RUNTIME_DIR/spice-overlay/guest.sock, or under /tmp).")
    String listen;

    @Option(
            names = "--connect",
            paramLabel = "ENDPOINT",
            defaultValue = DEFAULT_PORT,
            description = "The channel to the client: serial:DEVICE, mux+unix:PATH or mux+tcp:HOST:PORT "
                    + "(default: ${DEFAULT-VALUE}).")
    String connect;

    @Option(
            names = "--max-apps",
            paramLabel = "N",
            defaultValue = "32",
            description = "Most apps connected at once (default: ${DEFAULT-VALUE}).")
    int maxApps;

    static Endpoint defaultListen() {
        String runtime = System.getenv("XDG_RUNTIME_DIR");
        Path dir = runtime != null && !runtime.isEmpty()
                ? Path.of(runtime, "spice-overlay")
                : Path.of(System.getProperty("java.io.tmpdir"), "spice-overlay-" + System.getProperty("user.name"));
        return Endpoint.unix(dir.resolve("guest.sock"));
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Endpoint apps;
        Endpoint channel;
        GuestProxyOptions options;
        try {
            apps = listen == null ? defaultListen() : Endpoint.parse(listen);
            channel = Endpoint.parse(connect);
            options = GuestProxyOptions.DEFAULT.withMaxApps(maxApps);
        } catch (IllegalArgumentException e) {
            err.println("overlay guest-proxy: " + e.getMessage());
            return 2;
        }
        GuestProxy proxy;
        try {
            proxy = GuestProxy.start(apps, channel, options);
        } catch (IllegalArgumentException e) {
            err.println("overlay guest-proxy: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("overlay guest-proxy: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            proxy.close();
                            stopped.countDown();
                        },
                        "guest-proxy-shutdown"));
        out.println("guest proxy: apps connect to " + apps + "; channel to the client: " + channel
                + (proxy.isChannelUp() ? " (up)" : " (waiting for the client)"));
        out.flush();
        stopped.await();
        return 0;
    }
}
