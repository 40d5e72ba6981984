package dev.nudge.engine;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Quiet hours across midnight, in the customer's zone or the default, to the millisecond at both ends. */
class QuietHoursTest {

    private static final QuietHours NIGHT = QuietHours.parse("21:00-08:00", "Europe/Berlin");

    private static long at(String utc) {
        return Instant.parse(utc).toEpochMilli();
    }

    @Test
    void quietFromStartInclusiveToEndExclusiveInTheDefaultZone() {
        // Berlin is UTC+1 in March before the switch: 21:00 there is 20:00 UTC
        assertEquals(0, NIGHT.millisLeft(at("2026-03-02T19:59:59.999Z"), null));
        assertEquals(Duration.ofHours(11).toMillis(), NIGHT.millisLeft(at("2026-03-02T20:00:00Z"), null));
        assertEquals(1, NIGHT.millisLeft(at("2026-03-03T06:59:59.999Z"), null));
        assertEquals(0, NIGHT.millisLeft(at("2026-03-03T07:00:00Z"), null));
    }

    @Test
    void afterMidnightTheEndIsTheSameMorning() {
        assertEquals(Duration.ofHours(6).toMillis(), NIGHT.millisLeft(at("2026-03-03T01:00:00Z"), null));
    }

    @Test
    void theProfileZoneWinsAndAnUnknownOneFallsBackToTheDefault() {
        // 20:30 UTC is 15:30 in New York: not quiet there, quiet in Berlin
        assertEquals(0, NIGHT.millisLeft(at("2026-03-02T20:30:00Z"), "America/New_York"));
        assertEquals(Duration.ofMinutes(630).toMillis(), NIGHT.millisLeft(at("2026-03-02T20:30:00Z"), "Atlantis/Capital"));
    }

    @Test
    void aWindowWithinOneDayAndNoWindowAtAll() {
        QuietHours lunch = QuietHours.parse("12:00-13:00", "UTC");
        assertEquals(Duration.ofMinutes(30).toMillis(), lunch.millisLeft(at("2026-03-02T12:30:00Z"), null));
        assertEquals(0, lunch.millisLeft(at("2026-03-02T13:00:00Z"), null));
        assertEquals(0, QuietHours.parse("", "UTC").millisLeft(at("2026-03-02T23:00:00Z"), null));
        assertEquals(0, QuietHours.parse("none", "UTC").millisLeft(at("2026-03-02T23:00:00Z"), null));
        assertEquals(0, QuietHours.NONE.millisLeft(at("2026-03-02T23:00:00Z"), "Asia/Tokyo"));
    }

    @Test
    void badWindowsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> QuietHours.parse("21:00", "UTC"));
        assertThrows(IllegalArgumentException.class, () -> QuietHours.parse("08:00-08:00", "UTC"));
        assertThrows(RuntimeException.class, () -> QuietHours.parse("9pm-8am", "UTC"));
    }
}
