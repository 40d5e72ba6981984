package dev.nudge.config;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ingest.ws.max-in-flight}: its default, a value, and a value that cannot work; when ingest is open. */
class IngestConfigTest {

    @Test
    void theWebSocketInFlightLimitHasADefaultAndMustBePositive() {
        assertEquals(IngestConfig.DEFAULT_WS_MAX_IN_FLIGHT,
                NudgeConfig.from(Settings.of(Map.of())).ingest().wsMaxInFlight());
        assertEquals(20, NudgeConfig.from(Settings.of(Map.of("ingest.ws.max-in-flight", "20"))).ingest()
                .wsMaxInFlight());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NudgeConfig.from(Settings.of(Map.of("ingest.ws.max-in-flight", "0"))));
        assertTrue(e.getMessage().contains("ingest.ws.max-in-flight"), e.getMessage());
    }

    @Test
    void addingAKeyKeepsTheLimit() {
        IngestConfig c = NudgeConfig.from(Settings.of(Map.of("ingest.ws.max-in-flight", "7"))).ingest()
                .with(new IngestConfig.WriteKey("run", "run-key-0123456789abc", "run", IngestConfig.BEHAVIOUR));
        assertEquals(7, c.wsMaxInFlight());
    }

    @Test
    void aKeysFileOpensIngestEvenBeforeItHasKeys() {
        assertEquals(false, NudgeConfig.from(Settings.of(Map.of())).ingest().open(), "no key anywhere: closed");
        // nudge run must not add a key of its own beside the operator's file, whose keys come and go at run time
        assertEquals(true, NudgeConfig.from(Settings.of(Map.of("ingest.keys-file", "/nonexistent/keys.properties")))
                .ingest().open());
    }
}
