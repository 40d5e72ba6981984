package dev.nudge.send;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code Retry-After} as seconds or as an HTTP date, and what is not one. */
class RetryAfterTest {

    private static final Instant NOW = Instant.parse("2015-10-21T07:28:00Z");

    @Test
    void secondsAndDatesAreRead() {
        // seconds
        assertEquals(2_000, RetryAfter.millis("2", NOW));
        assertEquals(120_000, RetryAfter.millis(" 120 ", NOW));
        assertEquals(0, RetryAfter.millis("0", NOW));
        // an HTTP date 90 s after now
        assertEquals(90_000, RetryAfter.millis("Wed, 21 Oct 2015 07:29:30 GMT", NOW));
        // a date already past: go now
        assertEquals(0, RetryAfter.millis("Wed, 21 Oct 2015 07:27:00 GMT", NOW));
    }

    @Test
    void aWaitLongerThanAnHourIsCutToAnHour() {
        assertEquals(3_600_000, RetryAfter.millis("86400", NOW));
        assertEquals(3_600_000, RetryAfter.millis("99999999999999999999", NOW));
        assertEquals(3_600_000, RetryAfter.millis("Thu, 22 Oct 2015 07:28:00 GMT", NOW));
    }

    @Test
    void whatIsNotARetryAfterSaysNothing() {
        assertEquals(-1, RetryAfter.millis(null, NOW));
        assertEquals(-1, RetryAfter.millis("", NOW));
        assertEquals(-1, RetryAfter.millis("soon", NOW));
        assertEquals(-1, RetryAfter.millis("-5", NOW));
        assertEquals(-1, RetryAfter.millis("1.5", NOW));
    }
}
