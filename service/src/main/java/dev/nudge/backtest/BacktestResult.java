package dev.nudge.backtest;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a backtest found: the window it replayed, each campaign's decisions by kind under the running rules
 * ({@code before}) and the candidate rules ({@code after}), every decision added, removed or changed, and where the
 * time went. A decision is the last record of its id (ids depend on campaign, customer and trigger events only, not
 * on the rules' version), so a mail held for quiet hours and then sent counts once, as sent.
 */
public record BacktestResult(String source, Instant from, Instant to, long events, long unreadable,
                             String runningVersion, String candidateVersion, List<Campaign> campaigns,
                             List<Difference> differences, Timings timings) {

    /** One campaign's decisions by kind before and after, its differences by kind, and whether the change is big. */
    public record Campaign(String campaign, Map<String, Long> before, Map<String, Long> after, long added,
                           long removed, long changed, long mailsBefore, long mailsAfter, String flag) {
    }

    /** What one decision was ({@code kind}, {@code reason}, {@code at}). */
    public record Outcome(String kind, String reason, Instant at, String rule) {
    }

    /** One decision that the candidate rules add, remove or change; {@code before}/{@code after} null when absent. */
    public record Difference(String change, String decisionId, String customerId, String campaign, Outcome before,
                             Outcome after) {
        public static final String ADDED = "added";
        public static final String REMOVED = "removed";
        public static final String CHANGED = "changed";
    }

    /** Milliseconds spent reading the events, compiling each rule set and replaying each side; replay events/s. */
    public record Timings(long readMillis, long compileRunningMillis, long compileCandidateMillis,
                          long replayRunningMillis, long replayCandidateMillis, long eventsPerSecond) {
    }

    /** The differences of one kind ({@link Difference#ADDED}, ...). */
    public List<Difference> differences(String change) {
        return differences.stream().filter(d -> d.change().equals(change)).toList();
    }

    /** True when some campaign's mails moved a lot (see {@link Backtest#flag}). */
    public boolean flagged() {
        return campaigns.stream().anyMatch(c -> c.flag() != null);
    }
}
