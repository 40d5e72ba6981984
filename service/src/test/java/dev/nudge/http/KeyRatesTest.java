package dev.nudge.http;

import dev.nudge.config.IngestConfig;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** A key's pace: ten seconds of events at once, then as fast as its rate refills, and a clear wait otherwise. */
class KeyRatesTest {

    private static final IngestConfig.WriteKey TWO_A_SECOND = new IngestConfig.WriteKey("web",
            "web-write-key-0123456789", "web", Set.of("PageVisited"), Set.of(), 2);

    @Test
    void tenSecondsOfEventsAtOnceThenTheRateRefills() {
        KeyRates rates = new KeyRates();
        assertInstanceOf(KeyRates.Go.class, rates.take(TWO_A_SECOND, 15, 0));
        assertEquals(new KeyRates.Wait(3), rates.take(TWO_A_SECOND, 10, 0), "5 left, 5 more come in 2.5 s");
        assertInstanceOf(KeyRates.Go.class, rates.take(TWO_A_SECOND, 10, 2_500));
        assertEquals(new KeyRates.TooMany(20), rates.take(TWO_A_SECOND, 21, 100_000), "never 21 at once");
    }

    @Test
    void aKeyWithoutARateIsNeverSlowed() {
        KeyRates rates = new KeyRates();
        IngestConfig.WriteKey any = new IngestConfig.WriteKey("crm", "crm-write-key-0123456789", "crm",
                Set.of("PageVisited"));
        for (int i = 0; i < 100; i++) {
            assertInstanceOf(KeyRates.Go.class, rates.take(any, 10_000, 0));
        }
    }
}
