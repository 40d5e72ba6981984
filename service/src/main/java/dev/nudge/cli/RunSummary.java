package dev.nudge.cli;

import dev.nudge.metrics.Metrics;

import java.time.Duration;

/** The one line {@code nudge run} prints when it stops: how long it ran and what it did meanwhile. */
final class RunSummary {

    private RunSummary() {
    }

    static String line(Duration ran, Metrics m) {
        long holdouts = count(m, "nudge.decisions.suppressed", "reason", "holdout");
        return String.format("Nudge ran %s: %d events, %d decisions (%d mails sent, %d held, %d suppressed, "
                        + "%d held out, %d voided), %d conversions.", duration(ran), count(m, "nudge.events.in"),
                count(m, "nudge.decisions"), count(m, "nudge.mails", "outcome", "sent"),
                count(m, "nudge.decisions.held"), count(m, "nudge.decisions.suppressed") - holdouts, holdouts,
                count(m, "nudge.decisions.voided"), count(m, "nudge.conversions"));
    }

    /** {@code 1h 02m 05s}, {@code 3m 20s}, {@code 12s}. */
    static String duration(Duration d) {
        long s = d.toSeconds();
        if (s >= 3600) {
            return String.format("%dh %02dm %02ds", s / 3600, s % 3600 / 60, s % 60);
        }
        return s >= 60 ? String.format("%dm %02ds", s / 60, s % 60) : s + "s";
    }

    private static long count(Metrics m, String name, String... tags) {
        return Math.round(m.total(name, tags));
    }
}
