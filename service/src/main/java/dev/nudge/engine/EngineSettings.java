package dev.nudge.engine;

import java.time.Duration;

/**
 * How a partition's session treats time and decisions: the allowed lateness, how long event ids are remembered,
 * when an event is too old to trigger a real-time mail, and who is held out.
 */
public record EngineSettings(Duration allowedLateness, Duration dedupWindow, Duration staleAfter, Holdouts holdouts) {

    /** No event counts as stale: for tests and tools that do not ask for it. */
    public static final Duration NEVER_STALE = Duration.ofDays(365 * 100L);

    public static EngineSettings of(Duration allowedLateness, Duration dedupWindow) {
        return new EngineSettings(allowedLateness, dedupWindow, NEVER_STALE, Holdouts.NONE);
    }
}
