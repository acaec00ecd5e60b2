package org.spiceoverlay.guest.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.apache.thrift.TException;
import org.apache.thrift.transport.TTransport;
import org.spiceoverlay.api.GuestDisplay;
import org.spiceoverlay.api.HelloHandshake;
import org.spiceoverlay.api.WireTypes;
import org.spiceoverlay.api.thrift.HelloRequest;
import org.spiceoverlay.api.thrift.HelloResponse;
import org.spiceoverlay.api.thrift.OverlayError;
import org.spiceoverlay.api.thrift.OverlayService;
import org.spiceoverlay.api.transport.Endpoint;
import org.spiceoverlay.api.transport.Transports;
import org.spiceoverlay.guest.GuestConnectionException;
import org.spiceoverlay.guest.GuestOptions;
import org.spiceoverlay.guest.OverlayException;

/**
 * One session with the client: the data connection (hello, then every data call) and the events
 * connection (joined with attach, long-polled by the event thread), and what hello answered. A
 * reconnect replaces the whole object.
 *
 * <p>Threads: the session serialises the data calls; the event thread alone polls.
 */
final class Connection {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Connection.class);

    /** Room for the message around a chunk's payload in one frame (as the client allows). */
    private static final int FRAME_OVERHEAD_BYTES = 1 << 20;

    /** Frame limit before hello has told the client's limits: hello's answer is small. */
    private static final int HELLO_FRAME_BYTES = 1 << 20;

    final long generation;
    final HelloResponse hello;
    final TTransport dataTransport;
    final OverlayService.Client data;
    final TTransport eventsTransport;
    final OverlayService.Client events;
    /** Set once a call on it failed; a reconnect replaces it. */
    volatile boolean broken;

    Connection(
            long generation,
            HelloResponse hello,
            TTransport dataTransport,
            OverlayService.Client data,
            TTransport eventsTransport,
            OverlayService.Client events) {
        this.generation = generation;
        this.hello = hello;
        this.dataTransport = dataTransport;
        this.data = data;
        this.eventsTransport = eventsTransport;
        this.events = events;
    }

    void close() {
        closeQuietly(dataTransport, eventsTransport);
    }

    /** Opens both connections: hello on the first, attach on the second. */
    static Connection openSession(Endpoint endpoint, GuestOptions options, long generation) throws OverlayException {
        TTransport dataTransport = open(endpoint, "the data connection");
        TTransport eventsTransport = null;
        try {
            OverlayService.Client data = new OverlayService.Client(new DirectFramedTransport.Protocol(dataTransport));
            List<org.spiceoverlay.api.thrift.GuestDisplay> displays = new ArrayList<>();
            for (GuestDisplay d : options.displays()) {
                displays.add(WireTypes.toWire(d));
            }
            HelloRequest request =
                    new HelloRequest(HelloHandshake.currentVersion(), displays).setGuestName(options.guestName());
            if (options.authToken() != null) {
                request.setAuthToken(options.authToken());
            }
            HelloResponse hello = data.hello(request);
            int frameLimit = (int)
                    Math.min(Integer.MAX_VALUE, (long) hello.getLimits().getMaxChunkBytes() + FRAME_OVERHEAD_BYTES);
            dataTransport.getConfiguration().setMaxFrameSize(frameLimit);

            eventsTransport = open(endpoint, "the events connection");
            OverlayService.Client events =
                    new OverlayService.Client(new DirectFramedTransport.Protocol(eventsTransport));
            events.attach(hello.getSessionToken(), hello.getVersion());
            return new Connection(generation, hello, dataTransport, data, eventsTransport, events);
        } catch (OverlayError e) {
            closeQuietly(dataTransport, eventsTransport);
            throw Wire.exception(e);
        } catch (TException e) {
            closeQuietly(dataTransport, eventsTransport);
            throw new GuestConnectionException(
                    "hello with the overlay client at " + endpoint + " failed: " + describe(e), e);
        } catch (RuntimeException e) {
            closeQuietly(dataTransport, eventsTransport);
            throw e;
        }
    }

    /**
     * The first session, tried again with the reconnect backoff while the client cannot be reached
     * and {@link GuestOptions#connectWaitMs()} has not passed; a client that answers and refuses
     * hello fails at once.
     */
    static Connection openFirst(Endpoint endpoint, GuestOptions options) throws OverlayException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.connectWaitMs());
        long delayMs = options.reconnectInitialDelayMs();
        boolean told = false;
        while (true) {
            try {
                return Connection.openSession(endpoint, options, 1);
            } catch (GuestConnectionException e) {
                long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (leftMs <= 0) {
                    if (options.connectWaitMs() > 0) {
                        throw new GuestConnectionException(
                                e.getMessage() + " (waited " + options.connectWaitMs() / 1000.0 + " s)", e);
                    }
                    throw e;
                }
                if (!told) {
                    LOG.info("waiting up to {} s for the overlay client: {}", leftMs / 1000, e.getMessage());
                    told = true;
                }
                try {
                    Thread.sleep(Math.min(delayMs, leftMs));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new GuestConnectionException("interrupted while waiting for the overlay client", ie);
                }
                delayMs = Math.min(delayMs * 2, options.reconnectMaxDelayMs());
            }
        }
    }

    private static TTransport open(Endpoint endpoint, String what) {
        try {
            return new DirectFramedTransport(Transports.connect(endpoint), HELLO_FRAME_BYTES);
        } catch (IOException | TException e) {
            throw new GuestConnectionException(
                    "cannot open " + what + " to the overlay client at " + endpoint + ": " + describe(e), e);
        }
    }

    static void closeQuietly(TTransport... transports) {
        for (TTransport t : transports) {
            if (t != null) {
                t.close();
            }
        }
    }

    static String describe(Throwable e) {
        String m = e.getMessage();
        Throwable c = e.getCause();
        if ((m == null || m.isEmpty()) && c != null) {
            m = c.toString();
        }
        return m == null || m.isEmpty() ? e.getClass().getSimpleName() : m;
    }

    /**
     * Whether the client has a decoder (or demuxer) for these caps, judged by their media type (the
     * part before the first comma, e.g. {@code video/x-h264}). A stream may still be refused for
     * its details (profile, size); createStream then says why.
     */
    boolean canDecode(String caps) {
        String type = mediaType(caps);
        if (type.isEmpty()) {
            return false;
        }
        for (org.spiceoverlay.api.thrift.CodecSupport c : hello.getDecoders()) {
            if (mediaType(c.getCaps()).equals(type)) {
                return true;
            }
        }
        return false;
    }

    private static String mediaType(String caps) {
        if (caps == null) {
            return "";
        }
        int comma = caps.indexOf(',');
        return (comma < 0 ? caps : caps.substring(0, comma)).trim().toLowerCase(Locale.ROOT);
    }
}
