package org.spiceoverlay.x11;

import java.io.IOException;
import org.spiceoverlay.media.PrivateXServer;

/** A private Xvfb ({@link PrivateXServer}, 640x480) for the binding's tests; {@link #close} ends it. */
final class TestXServer implements AutoCloseable {

    private final PrivateXServer x;

    private TestXServer(PrivateXServer x) {
        this.x = x;
    }

    static TestXServer start() throws IOException {
        return new TestXServer(PrivateXServer.start());
    }

    String display() {
        return x.display();
    }

    @Override
    public void close() {
        x.close();
    }
}
