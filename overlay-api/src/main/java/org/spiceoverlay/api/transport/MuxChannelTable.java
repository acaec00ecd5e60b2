package org.spiceoverlay.api.transport;

import static org.spiceoverlay.api.transport.MuxWire.CLOSE;
import static org.spiceoverlay.api.transport.MuxWire.OPEN_OK;
import static org.spiceoverlay.api.transport.MuxWire.text;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The logical connections of one {@link ByteStreamMux}: their ids (the guest end opens odd ids,
 * the host end even ones, never reused within a run), the limit on how many are open, and the
 * connection frames (OPEN, OPEN_OK, CLOSE, DATA, WINDOW) the reader thread hands on. Thread-safe.
 */
final class MuxChannelTable {

    private static final Logger LOG = LoggerFactory.getLogger(MuxChannelTable.class);

    /** What the other end announced in its HELLO: how much it takes. */
    record PeerLimits(int window, int maxPayload) {}

    /** Sends a control frame (queued; may be dropped once the stream failed). */
    interface ControlOut {
        void send(int type, int id, byte[] payload);
    }

    private final ByteStreamMux mux;
    private final ByteStreamMux.Side side;
    private final MuxOptions options;
    private final Consumer<MuxChannel> acceptor;
    private final ControlOut control;
    private final Map<Integer, MuxChannel> channels = new ConcurrentHashMap<>();
    // guarded by this
    private int nextId;

    MuxChannelTable(
            ByteStreamMux mux,
            ByteStreamMux.Side side,
            MuxOptions options,
            Consumer<MuxChannel> acceptor,
            ControlOut control) {
        this.mux = mux;
        this.side = side;
        this.options = options;
        this.acceptor = acceptor;
        this.control = control;
        this.nextId = side == ByteStreamMux.Side.GUEST ? 1 : 2;
    }

    int size() {
        return channels.size();
    }

    /**
     * A connection this end opens, registered under the next id of this end's parity (the caller
     * sends OPEN).
     *
     * @throws IOException at the limit of connections or out of ids
     */
    synchronized MuxChannel openLocal(String label, PeerLimits peer) throws IOException {
        if (channels.size() >= options.maxChannels()) {
            throw new IOException("too many connections on " + mux.describe() + " (max " + options.maxChannels() + ")");
        }
        int id = nextId;
        if (id < 0 || id > Integer.MAX_VALUE - 2) {
            throw new IOException("out of connection ids on " + mux.describe());
        }
        nextId += 2;
        MuxChannel ch = new MuxChannel(
                mux,
                id,
                label,
                options.windowBytes(),
                peer.window(),
                Math.min(peer.maxPayload(), options.maxPayload()),
                false);
        channels.put(id, ch);
        return ch;
    }

    /** A connection this end closed: forgets it and tells the other end. */
    void closedLocally(MuxChannel ch) {
        if (channels.remove(ch.id(), ch)) {
            control.send(CLOSE, ch.id(), text("closed"));
        }
    }

    /** Closes every connection for {@code reason} (as if the other end had); returns how many. */
    int closeAll(String reason) {
        List<MuxChannel> all = new ArrayList<>(channels.values());
        for (MuxChannel ch : all) {
            channels.remove(ch.id(), ch);
            ch.remoteClosed(reason, true);
        }
        return all.size();
    }

    /** Handles a connection frame from the reader thread. */
    void onFrame(int type, int id, byte[] payload, PeerLimits peer) {
        switch (type) {
            case MuxWire.OPEN -> onOpen(id, payload, peer);
            case OPEN_OK -> {
                MuxChannel ch = channels.get(id);
                if (ch != null) {
                    ch.opened();
                } else {
                    // opened before a reset here: the other end must not keep it waiting
                    control.send(CLOSE, id, text("that connection was reset"));
                }
            }
            case CLOSE -> {
                MuxChannel ch = channels.remove(id);
                if (ch != null) {
                    ch.remoteClosed(new String(payload, StandardCharsets.UTF_8), false);
                }
            }
            case MuxWire.DATA -> {
                MuxChannel ch = channels.get(id);
                if (ch != null && !ch.offer(payload)) {
                    channels.remove(id, ch);
                    ch.remoteClosed("the other end sent past the connection's window", true);
                    control.send(CLOSE, id, text("window of " + options.windowBytes() + " bytes exceeded"));
                }
            }
            case MuxWire.WINDOW -> {
                MuxChannel ch = channels.get(id);
                int inc = ByteBuffer.wrap(payload).getInt();
                if (ch != null && inc > 0) {
                    ch.grant(inc);
                }
            }
            default -> {
                // checked with the header
            }
        }
    }

    private void onOpen(int id, byte[] payload, PeerLimits peer) {
        boolean peersId = (id & 1) == (side == ByteStreamMux.Side.GUEST ? 0 : 1);
        if (!peersId || id <= 0) {
            control.send(CLOSE, id, text("connection id " + id + " has the wrong parity for your end"));
            return;
        }
        if (channels.containsKey(id)) {
            return;
        }
        if (acceptor == null) {
            control.send(CLOSE, id, text("this end of " + mux.describe() + " accepts no connections"));
            return;
        }
        MuxChannel ch;
        synchronized (this) {
            if (channels.size() >= options.maxChannels()) {
                control.send(
                        CLOSE,
                        id,
                        text("too many connections on " + mux.describe() + " (max " + options.maxChannels() + ")"));
                return;
            }
            ch = new MuxChannel(
                    mux,
                    id,
                    new String(payload, StandardCharsets.UTF_8),
                    options.windowBytes(),
                    peer.window(),
                    Math.min(peer.maxPayload(), options.maxPayload()),
                    true);
            channels.put(id, ch);
        }
        control.send(OPEN_OK, id, new byte[0]);
        try {
            acceptor.accept(ch);
        } catch (RuntimeException e) {
            LOG.warn("accepting connection {} on {} failed", id, mux.describe(), e);
            ch.close();
        }
    }
}
