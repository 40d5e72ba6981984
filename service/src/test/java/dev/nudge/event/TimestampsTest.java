package dev.nudge.event;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class TimestampsTest {

    @Test
    void fastPathAgreesWithTheJdkOnRandomInstants() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int i = 0; i < 20_000; i++) {
            Instant t = Instant.ofEpochSecond(rnd.nextLong(-2_000_000_000L, 8_000_000_000L), rnd.nextInt(1_000_000_000));
            String text = t.toString();
            assertEquals(Instant.parse(text), Timestamps.fastUtc(text), text);
            String millis = Instant.ofEpochMilli(t.toEpochMilli()).toString();
            assertEquals(Instant.parse(millis), Timestamps.fastUtc(millis), millis);
        }
    }

    @Test
    void otherShapesAndInvalidFieldsFallBackToTheJdk() {
        assertNull(Timestamps.fastUtc("2026-02-30T10:00:00Z"), "no 30 February on the fast path");
        assertNull(Timestamps.fastUtc("2026-03-02T24:00:00Z"));
        assertNull(Timestamps.fastUtc("2026-03-02T10:00:00+01:00"));
        assertNull(Timestamps.fastUtc("2026-03-02T10:00:00.Z"));
        assertEquals(Instant.parse("2026-03-02T09:00:00Z"), Timestamps.parse("2026-03-02T10:00:00+01:00"));
        assertEquals(Instant.parse("2024-02-29T23:59:59.5Z"), Timestamps.parse("2024-02-29T23:59:59.5Z"));
    }
}
