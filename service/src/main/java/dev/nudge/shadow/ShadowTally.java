package dev.nudge.shadow;

import dev.nudge.backtest.Backtest;
import dev.nudge.backtest.BacktestResult;
import dev.nudge.decision.Decision;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The running difference between live and shadow decisions since the shadow started: the last record of each decision
 * id on each side (as a backtest keeps them), compared by the backtest's own comparison. Bounded: past
 * {@link #MAX_DECISIONS} ids a side, decisions of new ids are counted as left out, never kept. Fed by every engine
 * thread, read by the HTTP API.
 *
 * <p>Two edges of a running comparison are kept apart from the differences: a decision one side made before the shadow
 * started (its twin on the other side is left out, or every mail the shadow makes later than the live rules would
 * count as added), and a decision only one side has made within the last {@code settle} of event time (the other may
 * still make it: a shadow that waits 45 minutes for a cart mails 15 minutes after the live rules).
 */
public final class ShadowTally {

    /** Decision ids kept per side: about 200 bytes each, so at most some 20 MB for both. */
    public static final int MAX_DECISIONS = 50_000;

    /**
     * The comparison as it stands, with how many decisions of new ids each side left out, how many were left out
     * because their twin was decided before the start ({@code beforeStart}), and the one-sided decisions still
     * {@code waiting} for the other side (not among {@code differences}).
     */
    public record Comparison(List<BacktestResult.Campaign> campaigns, List<BacktestResult.Difference> differences,
                             long liveDecisions, long shadowDecisions, long leftOut, long beforeStart,
                             List<BacktestResult.Difference> waiting) {
    }

    /** How long a decision only one side made counts as waiting for the other, unless the caller says otherwise. */
    public static final Duration SETTLE = Duration.ofHours(1);

    private final int max;
    private final Map<String, Decision> live = new LinkedHashMap<>();
    private final Map<String, Decision> shadow = new LinkedHashMap<>();
    private final Set<String> before = new LinkedHashSet<>();
    private long leftOut;
    // the ids actually left out for that: most ids decided while catching up never get a twin
    private final Set<String> leftOutBeforeStart = new LinkedHashSet<>();
    private long newest = Long.MIN_VALUE;
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

    /**
     * A decision id one side made before the shadow started (the shadow while catching up, the live rules before it):
     * left out on both sides from now on.
     */
    public synchronized void decidedBeforeStart(String decisionId) {
        if (before.size() < max) {
            before.add(decisionId);
        }
        if (live.remove(decisionId) != null | shadow.remove(decisionId) != null) {
            leftOutBeforeStart.add(decisionId);
        }
    }

    /** Whether the live side holds this decision id. */
    public synchronized boolean hasLive(String decisionId) {
        return live.containsKey(decisionId);
    }

    /** The newest event time the sessions compared have seen: what "recent" is measured from. */
    public synchronized void time(long eventTime) {
        newest = Math.max(newest, eventTime);
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
            if (before.contains(d.decisionId())) {
                if (leftOutBeforeStart.size() < max) {
                    leftOutBeforeStart.add(d.decisionId());
                }
                continue;
            }
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

    /** The comparison with one-sided decisions of the last {@link #SETTLE} of event time waiting. */
    public Comparison compare() {
        return compare(SETTLE);
    }

    /** The comparison, decisions only one side made within {@code settle} of the newest event time waiting. */
    public synchronized Comparison compare(Duration settle) {
        // before any event time is known nothing is recent
        long since = newest == Long.MIN_VALUE ? Long.MAX_VALUE : newest - settle.toMillis();
        List<BacktestResult.Difference> differences = new ArrayList<>();
        List<BacktestResult.Difference> waiting = new ArrayList<>();
        for (BacktestResult.Difference d : Backtest.compare(live, shadow)) {
            BacktestResult.Outcome one = d.after() == null ? d.before() : d.before() == null ? d.after() : null;
            boolean recent = one != null && one.at() != null && one.at().toEpochMilli() > since;
            (recent ? waiting : differences).add(d);
        }
        return new Comparison(Backtest.campaigns(live, shadow, differences), differences, live.size(), shadow.size(),
                leftOut, leftOutBeforeStart.size(), waiting);
    }
}
