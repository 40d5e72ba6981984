package dev.nudge.send;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Reads an HTTP {@code Retry-After} header (RFC 9110, 10.2.3): a number of seconds, or an HTTP date. Bounded by
 * {@link #MAX}, so one odd answer cannot stop a channel for a day.
 */
final class RetryAfter {

    /** The longest wait an endpoint can ask for and get. */
    static final Duration MAX = Duration.ofHours(1);

    private RetryAfter() {
    }

    /** Milliseconds to wait from {@code now}, or -1 when the header is absent or says nothing readable. */
    static long millis(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return -1;
        }
        String v = header.trim();
        long millis;
        if (v.chars().allMatch(Character::isDigit)) {
            try {
                millis = Math.multiplyExact(Long.parseLong(v), 1000L);
            } catch (ArithmeticException | NumberFormatException e) {
                millis = MAX.toMillis();
            }
        } else {
            try {
                // IMF-fixdate, "Wed, 21 Oct 2015 07:28:00 GMT", which RFC 1123's format reads
                millis = Duration.between(now, ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME)).toMillis();
            } catch (DateTimeParseException e) {
                return -1;
            }
        }
        return Math.max(0, Math.min(millis, MAX.toMillis()));
    }
}
