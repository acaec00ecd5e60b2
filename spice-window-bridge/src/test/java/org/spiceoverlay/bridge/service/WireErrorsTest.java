package org.spiceoverlay.bridge.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.spiceoverlay.api.thrift.ErrorCode;
import org.spiceoverlay.engine.EngineErrorCode;

/** Every engine error code reaches the guest as the protocol code of the same name. */
class WireErrorsTest {

    @Test
    void everyEngineCodeHasItsProtocolCode() {
        for (EngineErrorCode c : EngineErrorCode.values()) {
            ErrorCode wire = WireErrors.of(c);
            assertEquals(c.name(), wire.name(), c + " maps to " + wire);
        }
    }
}
