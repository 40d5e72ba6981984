package dev.nudge.scenario;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scenario times written for people: {@code "00:29:59"} or {@code "1d 02:00:00"} after a fixed start, or an absolute
 * timestamp ({@code "2026-03-02T21:30:00Z"}) where the clock on the wall matters (quiet hours, time zones).
 */
public final class ScenarioTime {

    /** Every scenario starts here, a Monday morning, so times read as minutes into the story. */
    public static final Instant START = Instant.parse("2026-03-02T09:00:00Z");

    private static final Pattern AT = Pattern.compile("(?:(\\d+)d\\s*)?(\\d+):(\\d{2}):(\\d{2})(?:\\.(\\d{1,3}))?");

    private ScenarioTime() {
    }

    /** The instant {@code at} names; an {@link IllegalArgumentException} saying what is accepted otherwise. */
    public static Instant parse(String at) {
        Matcher m = AT.matcher(at.trim());
        if (!m.matches()) {
            try {
                return Instant.parse(at.trim());
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("time '" + at + "' is not of the form HH:MM:SS, Nd HH:MM:SS or "
                        + "2026-03-02T09:00:00Z");
            }
        }
        Duration d = Duration.ofDays(m.group(1) == null ? 0 : Long.parseLong(m.group(1)))
                .plusHours(Long.parseLong(m.group(2)))
                .plusMinutes(Long.parseLong(m.group(3)))
                .plusSeconds(Long.parseLong(m.group(4)))
                .plusMillis(m.group(5) == null ? 0 : Long.parseLong((m.group(5) + "00").substring(0, 3)));
        return START.plus(d);
    }

    public static String format(Instant t) {
        Duration d = Duration.between(START, t);
        String sign = d.isNegative() ? "-" : "";
        d = d.abs();
        long days = d.toDays();
        String hms = String.format("%02d:%02d:%02d", d.toHoursPart(), d.toMinutesPart(), d.toSecondsPart());
        if (d.toMillisPart() != 0) {
            hms += String.format(".%03d", d.toMillisPart());
        }
        return sign + (days > 0 ? days + "d " : "") + hms;
    }
}
