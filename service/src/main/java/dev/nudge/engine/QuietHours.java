package dev.nudge.engine;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The hours of the customer's day in which no marketing mail goes out (for example 21:00 to 08:00), in the time zone
 * of their profile or else a configured default.
 */
public final class QuietHours {

    /** No quiet hours at all. */
    public static final QuietHours NONE = new QuietHours(null, null, ZoneId.of("UTC"));

    private final LocalTime start;
    private final LocalTime end;
    private final ZoneId defaultZone;
    private final ConcurrentHashMap<String, ZoneId> zones = new ConcurrentHashMap<>();

    /** Quiet from {@code start} (inclusive) to {@code end} (exclusive), across midnight when end is before start. */
    public QuietHours(LocalTime start, LocalTime end, ZoneId defaultZone) {
        if ((start == null) != (end == null) || (start != null && start.equals(end))) {
            throw new IllegalArgumentException("quiet hours need a start and a different end, got " + start + "-" + end);
        }
        this.start = start;
        this.end = end;
        this.defaultZone = defaultZone;
    }

    /** Parses {@code 21:00-08:00}; {@code none} (or blank) means no quiet hours. */
    public static QuietHours parse(String window, String defaultZone) {
        ZoneId zone = ZoneId.of(defaultZone == null || defaultZone.isBlank() ? "UTC" : defaultZone.trim());
        if (window == null || window.isBlank() || window.trim().equalsIgnoreCase("none")) {
            return new QuietHours(null, null, zone);
        }
        String[] parts = window.trim().split("-");
        if (parts.length != 2) {
            throw new IllegalArgumentException("quiet hours are written 21:00-08:00, got '" + window + "'");
        }
        return new QuietHours(LocalTime.parse(parts[0].trim()), LocalTime.parse(parts[1].trim()), zone);
    }

    /** Milliseconds from {@code epochMillis} to the end of the quiet hours it falls in, or 0 when it is not quiet. */
    public long millisLeft(long epochMillis, String timeZone) {
        if (start == null) {
            return 0;
        }
        ZonedDateTime at = Instant.ofEpochMilli(epochMillis).atZone(zoneOf(timeZone));
        LocalTime t = at.toLocalTime();
        boolean quiet = start.isBefore(end) ? !t.isBefore(start) && t.isBefore(end)
                : !t.isBefore(start) || t.isBefore(end);
        if (!quiet) {
            return 0;
        }
        ZonedDateTime endAt = at.with(end);
        if (!endAt.isAfter(at)) {
            endAt = at.plusDays(1).with(end);
        }
        return endAt.toInstant().toEpochMilli() - epochMillis;
    }

    /** The profile's zone, or the default when it is absent or not a zone Java knows. */
    ZoneId zoneOf(String timeZone) {
        if (timeZone == null || timeZone.isBlank()) {
            return defaultZone;
        }
        ZoneId known = zones.get(timeZone);
        if (known != null) {
            return known;
        }
        ZoneId zone;
        try {
            zone = ZoneId.of(timeZone);
        } catch (DateTimeException e) {
            return defaultZone;
        }
        // there are some 600 zone ids; the bound only guards against spellings of them without end
        if (zones.size() < 10_000) {
            zones.put(timeZone, zone);
        }
        return zone;
    }

    @Override
    public String toString() {
        return start == null ? "none" : start + "-" + end + " " + defaultZone;
    }
}
