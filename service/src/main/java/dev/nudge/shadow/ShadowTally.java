package dev.nudge.shadow;

import dev.nudge.backtest.Backtest;
import dev.nudge.backtest.BacktestResult;
import dev.nudge.decision.Decision;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The running difference between live and shadow decisions since the shadow started: the last record of each decision
 * id on each side (as a backtest keeps them), compared by the backtest's own comparison. Bounded: past
 * {@link #MAX_DECISIONS} ids a side, decisions of new ids are counted as left out, never kept. Fed by every engine
 * thread, read by the HTTP API.
 */
public final class ShadowTally {

    /** Decision ids kept per side: about 200 bytes each, so at most some 20 MB for both. */
    public static final int MAX_DECISIONS = 50_000;

    /** The comparison as it stands, with how many decisions of new ids each side left out. */
    public record Comparison(List<BacktestResult.Campaign> campaigns, List<BacktestResult.Difference> differences,
                             long liveDecisions, long shadowDecisions, long leftOut) {
    }

    private final int max;
    private final Map<String, Decision> live = new LinkedHashMap<>();
    private final Map<String, Decision> shadow = new LinkedHashMap<>();
    private long leftOut;
    private long ruleFailures;
    private String lastFailure;

    public ShadowTally() {
        this(MAX_DECISIONS);
    }

    ShadowTally(int max) {
        this.max = max;
    }

    /** Decisions the live rules made on a partition the shadow rules also run on. */
    public synchronized void live(List<Decision> decisions) {
        add(decisions, live);
    }

    /** Decisions the shadow rules made. */
    public synchronized void shadow(List<Decision> decisions) {
        add(decisions, shadow);
    }

    /** A shadow rule that failed on an event (the other shadow rules still saw it). */
    public synchronized void ruleFailed(String failure) {
        ruleFailures++;
        lastFailure = failure;
    }

    public synchronized long ruleFailures() {
        return ruleFailures;
    }

    public synchronized String lastFailure() {
        return lastFailure;
    }

    private void add(List<Decision> decisions, Map<String, Decision> side) {
        if (decisions.isEmpty()) {
            return;
        }
        List<Decision> kept = new ArrayList<>(decisions.size());
        java.util.Set<String> added = new java.util.HashSet<>();
        for (Decision d : decisions) {
            boolean known = side.containsKey(d.decisionId()) || added.contains(d.decisionId());
            if (known || side.size() + added.size() < max) {
                added.add(d.decisionId());
                kept.add(slim(d));
            } else {
                leftOut++;
            }
        }
        Backtest.keep(kept, side);
    }

    /** What the comparison reads of a decision: not its payload, recipient or events, which would weigh the most. */
    private static Decision slim(Decision d) {
        return new Decision(d.decisionId(), d.kind(), d.reason(), d.customerId(), d.campaign(), d.rule(),
                d.rulesVersion(), d.decidedAt(), d.heldUntil(), d.releasedFrom(), List.of(), Map.of(), null,
                d.variant(), null, null);
    }

    public synchronized Comparison compare() {
        List<BacktestResult.Difference> differences = Backtest.compare(live, shadow);
        return new Comparison(Backtest.campaigns(live, shadow, differences), differences, live.size(), shadow.size(),
                leftOut);
    }
}
