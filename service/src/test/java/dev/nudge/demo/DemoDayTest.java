package dev.nudge.demo;

import dev.nudge.engine.QuietHours;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A demo run starts where mails flow: never in the quiet hours, nor just before them. */
class DemoDayTest {

    private static final QuietHours NIGHT = QuietHours.parse("21:00-08:00", "UTC");

    @Test
    void aDaytimeStartStaysAndANightOrLateEveningStartMovesToTheMorning() {
        assertEquals(at("2026-12-01T10:15:00Z"), DemoDay.start(at("2026-12-01T10:15:00Z"), NIGHT));
        assertEquals(at("2026-12-01T18:59:00Z"), DemoDay.start(at("2026-12-01T18:59:00Z"), NIGHT),
                "two hours of day are still ahead");
        assertEquals(at("2026-12-02T08:00:00Z"), DemoDay.start(at("2026-12-01T19:30:00Z"), NIGHT),
                "its first carts would be due at night");
        assertEquals(at("2026-12-02T08:00:00Z"), DemoDay.start(at("2026-12-01T23:40:00Z"), NIGHT));
        assertEquals(at("2026-12-02T08:00:00Z"), DemoDay.start(at("2026-12-02T03:00:00Z"), NIGHT));
        assertEquals(at("2026-12-01T23:40:00Z"), DemoDay.start(at("2026-12-01T23:40:00Z"), QuietHours.NONE),
                "without quiet hours every hour is day");
    }

    private static long at(String t) {
        return Instant.parse(t).toEpochMilli();
    }
}
