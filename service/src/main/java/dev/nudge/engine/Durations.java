package dev.nudge.engine;

import java.time.Duration;
import java.util.Locale;

/** Reads durations as people write them in settings and rule attributes: 500ms, 30s, 30m, 72h, 7d or ISO-8601. */
public final class Durations {

    private Durations() {
    }

    /** The duration as it would be written here: 1h, 45m, 1h30m. */
    public static String text(Duration d) {
        return d.toString().substring(2).toLowerCase(Locale.ROOT);
    }

    public static Duration parse(String v) {
        String s = v.trim().toLowerCase(Locale.ROOT);
        try {
            if (s.startsWith("p")) {
                return Duration.parse(s.toUpperCase(Locale.ROOT));
            }
            if (s.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
            }
            long n = Long.parseLong(s.substring(0, s.length() - 1));
            return switch (s.charAt(s.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                case 'd' -> Duration.ofDays(n);
                default -> throw new NumberFormatException(v);
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a duration: '" + v + "' (write 30m, 72h or 7d)");
        }
    }
}
