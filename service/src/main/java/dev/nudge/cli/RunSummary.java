package dev.nudge.cli;

import dev.nudge.metrics.Metrics;

import java.time.Duration;
import java.util.function.ToIntFunction;

/**
 * The one line {@code nudge run} prints when it stops: how long it ran, the events it read and conversions it counted
 * (from its meters), and how many lines of each kind the console showed, so the line adds up with what scrolled by.
 */
final class RunSummary {

    private RunSummary() {
    }

    /** {@code shown}: how many console lines of a kind ({@code DECISION}, {@code MAILED}, ...) were printed. */
    static String line(Duration ran, Metrics m, ToIntFunction<String> shown) {
        int decided = shown.applyAsInt("DECISION") + shown.applyAsInt("FALLBACK") + shown.applyAsInt("RELEASED");
        return String.format("Nudge ran %s: %d events, %d mails decided (%d after a hold), %d mailed, %d held, "
                        + "%d suppressed, %d held out, %d voided, %d too late to void, %d duplicates, %d conversions.",
                duration(ran), Math.round(m.total("nudge.events.in")), decided, shown.applyAsInt("RELEASED"),
                shown.applyAsInt("MAILED"), shown.applyAsInt("HELD"), shown.applyAsInt("SUPPRESSED"),
                shown.applyAsInt("HOLDOUT"), shown.applyAsInt("VOIDED"), shown.applyAsInt("TOO LATE"),
                shown.applyAsInt("DUPLICATE"), Math.round(m.total("nudge.conversions")));
    }

    /** {@code 1h 02m 05s}, {@code 3m 20s}, {@code 12s}. */
    static String duration(Duration d) {
        long s = d.toSeconds();
        if (s >= 3600) {
            return String.format("%dh %02dm %02ds", s / 3600, s % 3600 / 60, s % 60);
        }
        return s >= 60 ? String.format("%dm %02ds", s / 60, s % 60) : s + "s";
    }
}
