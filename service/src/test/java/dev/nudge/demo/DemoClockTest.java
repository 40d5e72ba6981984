package dev.nudge.demo;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The run's clock: the wall clock until the shoppers start, then their time at their speed. */
class DemoClockTest {

    private static final long WALL_START = Instant.parse("2026-12-01T10:00:00Z").toEpochMilli();

    /** A wall clock the test moves by hand. */
    private static final class Wall extends Clock {
        long millis = WALL_START;

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    @Test
    void beforeTheShoppersStartItIsTheWallClock() {
        Wall wall = new Wall();
        DemoClock clock = new DemoClock(wall);
        assertEquals(WALL_START, clock.millis());
        wall.millis += 1000;
        assertEquals(WALL_START + 1000, clock.millis(), "at the wall's pace");
        assertEquals(1.0, clock.speed());
    }

    @Test
    void thenItRunsAtTheirSpeedFromWhereTheyBegan() {
        Wall wall = new Wall();
        DemoClock clock = new DemoClock(wall);
        long resumed = Instant.parse("2026-12-01T16:00:00Z").toEpochMilli(); // a previous run left events six hours on
        clock.anchor(WALL_START, resumed, 120);
        assertEquals(resumed, clock.millis());
        wall.millis += 15_000;
        // 15 s of the wall clock: 30 minutes of the shoppers', a cart's whole wait
        assertEquals(Instant.parse("2026-12-01T16:30:00Z"), clock.instant());
        assertEquals(120.0, clock.speed());
    }

    @Test
    void aSpeedOfZeroOrLessIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new DemoClock().anchor(0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new DemoClock().anchor(0, 0, Double.NaN));
    }
}
