package dev.nudge.demo;

import dev.nudge.engine.QuietHours;

import java.time.Duration;

/**
 * Where a demo run's simulated time starts: when it is (or soon will be) night, at the end of the quiet hours, so the
 * first carts a newcomer sees are mailed rather than held until a simulated morning minutes away.
 */
final class DemoDay {

    /** Daytime a run needs ahead of it: carts are due 30 minutes after they are left, and a few come later. */
    static final Duration AHEAD = Duration.ofHours(2);

    private DemoDay() {
    }

    /** {@code earliest}, or the end of the quiet hours it or the next {@link #AHEAD} fall in. */
    static long start(long earliest, QuietHours quiet) {
        long left = quiet.millisLeft(earliest, null);
        if (left > 0) {
            return earliest + left;
        }
        long soon = earliest + AHEAD.toMillis();
        long leftSoon = quiet.millisLeft(soon, null);
        return leftSoon > 0 ? soon + leftSoon : earliest;
    }
}
