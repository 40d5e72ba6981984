package dev.nudge.shadow;

import dev.nudge.backtest.BacktestResult;
import dev.nudge.backtest.BacktestText;

import dev.nudge.engine.Durations;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code GET /rules/shadow} answers: whether shadow rules run, since when and from where, the sessions and facts
 * they hold, and the running difference against the live rules since they started (each campaign's decisions by kind
 * on both sides, and up to {@link #SAMPLE} decisions of each campaign and kind of difference); how the last run ended.
 */
public record ShadowReport(String status, String source, Instant startedAt, String liveVersion, String shadowVersion,
                           List<String> files, long sessions, long facts, long liveDecisions, long shadowDecisions,
                           long leftOut, long ruleFailures, String lastRuleFailure,
                           List<BacktestResult.Campaign> campaigns, long differencesTotal,
                           List<BacktestResult.Difference> differences, long beforeStart, String settle,
                           long waitingTotal, List<BacktestResult.Difference> waiting, ShadowRules.Ended ended) {

    public static final String RUNNING = "running";
    public static final String NONE = "none";
    /** Differences listed per campaign and kind; the counts cover them all. */
    public static final int SAMPLE = 20;

    /** The report as things stand; {@code liveVersion} is the running rules' content hash. */
    public static ShadowReport of(ShadowRules shadows, String liveVersion) {
        return of(shadows, liveVersion, ShadowTally.SETTLE);
    }

    /** As above, decisions only one side made within {@code settle} of the newest event time counted as waiting. */
    public static ShadowReport of(ShadowRules shadows, String liveVersion, Duration settle) {
        ShadowRules.Run run = shadows.current();
        String window = Durations.text(settle);
        if (run == null) {
            return new ShadowReport(NONE, null, null, liveVersion, null, List.of(), shadows.sessions(),
                    shadows.facts(), 0, 0, 0, 0, null, List.of(), 0, List.of(), 0, window, 0, List.of(),
                    shadows.ended());
        }
        ShadowTally.Comparison c = run.tally().compare(settle);
        return new ShadowReport(RUNNING, run.source(), run.startedAt(), liveVersion, run.rules().contentHash(),
                run.rules().files(), shadows.sessions(), shadows.facts(), c.liveDecisions(), c.shadowDecisions(),
                c.leftOut(), run.tally().ruleFailures(), run.tally().lastFailure(), c.campaigns(),
                c.differences().size(), sample(c.differences()), c.beforeStart(), window, c.waiting().size(),
                sample(c.waiting()), shadows.ended());
    }

    private static List<BacktestResult.Difference> sample(List<BacktestResult.Difference> all) {
        Map<String, Integer> shown = new HashMap<>();
        List<BacktestResult.Difference> out = new ArrayList<>();
        for (BacktestResult.Difference d : all) {
            if (shown.merge(d.campaign() + '\u0000' + d.change(), 1, Integer::sum) <= SAMPLE) {
                out.add(d);
            }
        }
        return out;
    }

    /** The report for an analyst, with the backtest's table and samples. */
    public String text() {
        StringBuilder out = new StringBuilder();
        if (!RUNNING.equals(status)) {
            out.append("No shadow rules run (live rules ").append(liveVersion).append(").\n");
            if (ended != null) {
                out.append("Last: ").append(ended.version() == null ? "" : ended.version() + " ")
                        .append(ended.reason()).append(" at ").append(ended.at()).append('\n');
                ended.errors().forEach(e -> out.append("  ").append(e).append('\n'));
            }
            return out.toString();
        }
        out.append("Shadow rules ").append(shadowVersion).append(" beside live rules ").append(liveVersion)
                .append(", since ").append(startedAt).append(" (").append(source).append(")\n");
        out.append(sessions).append(sessions == 1 ? " partition" : " partitions").append(", ").append(facts)
                .append(" facts in shadow memory; decisions since the start: ").append(liveDecisions)
                .append(" live, ").append(shadowDecisions).append(" shadow\n");
        if (leftOut > 0) {
            out.append(leftOut).append(" decisions of new ids left out of the comparison (over ")
                    .append(ShadowTally.MAX_DECISIONS).append(" a side)\n");
        }
        if (ruleFailures > 0) {
            out.append(ruleFailures).append(ruleFailures == 1 ? " shadow rule failure" : " shadow rule failures")
                    .append(", the last: ").append(lastRuleFailure).append('\n');
        }
        if (beforeStart > 0) {
            out.append(beforeStart).append(beforeStart == 1 ? " decision" : " decisions")
                    .append(" left out: the other side made it before the shadow rules started\n");
        }
        out.append('\n').append(BacktestText.comparison(campaigns, differences, "live", "shadow",
                "no differences yet: the shadow rules decide exactly as the live rules"));
        if (waitingTotal > 0) {
            out.append('\n').append(waitingTotal).append(" made by one side in the last ").append(settle)
                    .append(" of event time, which the other may still make (not counted above)")
                    .append(waitingTotal > waiting.size() ? ", first " + waiting.size() : "").append(":\n");
            for (BacktestResult.Difference d : waiting) {
                BacktestResult.Outcome o = d.before() != null ? d.before() : d.after();
                out.append("  ").append(d.campaign()).append("  ").append(d.customerId()).append("  ")
                        .append(d.before() != null ? "live " : "shadow ").append(o.kind())
                        .append(o.reason() == null ? "" : " (" + o.reason() + ")").append(" at ").append(o.at())
                        .append('\n');
            }
        }
        return out.toString();
    }
}
