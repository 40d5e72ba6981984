package dev.nudge.engine;

import java.time.Duration;
import java.util.Map;

/**
 * How a partition's session treats time and decisions: the allowed lateness, how long event ids are remembered,
 * when an event is too old to trigger a real-time mail, who is held out, the customers' quiet hours, how long
 * each watched event type may stay silent before the mails it cancels are held, and how far ahead of its receipt an
 * event may be stamped.
 */
public record EngineSettings(Duration allowedLateness, Duration dedupWindow, Duration staleAfter, Holdouts holdouts,
                             QuietHours quietHours, Map<String, Duration> sourceMaxLag, Duration maxClockSkew) {

    /** No event counts as stale: for tests and tools that do not ask for it. */
    public static final Duration NEVER_STALE = Duration.ofDays(365 * 100L);
    /** The service's default {@code engine.max-clock-skew}: clocks of phones and servers are rarely further off. */
    public static final Duration DEFAULT_MAX_CLOCK_SKEW = Duration.ofMinutes(5);

    public EngineSettings {
        sourceMaxLag = Map.copyOf(sourceMaxLag);
    }

    public static EngineSettings of(Duration allowedLateness, Duration dedupWindow) {
        return new EngineSettings(allowedLateness, dedupWindow, NEVER_STALE, Holdouts.NONE, QuietHours.NONE, Map.of(),
                DEFAULT_MAX_CLOCK_SKEW);
    }
}
