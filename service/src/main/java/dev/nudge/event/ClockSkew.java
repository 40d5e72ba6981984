package dev.nudge.event;

import java.time.Duration;
import java.time.Instant;

/**
 * The policy on events stamped in the future: one more than {@code engine.max-clock-skew} ahead of the time it was
 * received (the Kafka record's timestamp, or the server's clock for {@code POST /events}) is refused, so that a phone
 * with a wrong clock can never move its partition's event time ahead and silence every customer in it.
 */
public final class ClockSkew {

    private ClockSkew() {
    }

    /** Why the event is refused, or null when its timestamp is at most {@code maxSkew} ahead of its receipt. */
    public static Refusal check(CustomerEvent event, long receivedMillis, Duration maxSkew) {
        long ahead = event.getEventTime() - receivedMillis;
        if (ahead <= maxSkew.toMillis()) {
            return null;
        }
        return new Refusal(Refusal.Kind.CLOCK_SKEW, "timestamp " + event.timestamp() + " is " + human(ahead)
                + " ahead of the time it was received (" + Instant.ofEpochMilli(receivedMillis)
                + "), more than engine.max-clock-skew (" + human(maxSkew.toMillis()) + "): the sender's clock is "
                + "wrong; the event is not used, so it cannot move event time");
    }

    /** A gap as a person reads it: "73 years", "2 days 3 hours", "7 minutes 30 seconds". */
    static String human(long millis) {
        Duration d = Duration.ofMillis(millis);
        if (d.toDays() >= 365) {
            return plural(d.toDays() / 365, "year");
        }
        if (d.toDays() >= 1) {
            return plural(d.toDays(), "day") + and(d.toHoursPart(), "hour");
        }
        if (d.toHours() >= 1) {
            return plural(d.toHours(), "hour") + and(d.toMinutesPart(), "minute");
        }
        if (d.toMinutes() >= 1) {
            return plural(d.toMinutes(), "minute") + and(d.toSecondsPart(), "second");
        }
        return d.toSeconds() >= 1 ? plural(d.toSeconds(), "second") : plural(millis, "millisecond");
    }

    private static String and(long n, String unit) {
        return n == 0 ? "" : " " + plural(n, unit);
    }

    private static String plural(long n, String unit) {
        return n + " " + unit + (n == 1 ? "" : "s");
    }
}
