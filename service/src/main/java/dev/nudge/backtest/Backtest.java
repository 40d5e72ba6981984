package dev.nudge.backtest;

import dev.nudge.decision.Decision;
import dev.nudge.decision.DecisionKind;
import dev.nudge.engine.EngineSettings;
import dev.nudge.engine.PartitionEngine;
import dev.nudge.engine.RuleSet;
import dev.nudge.event.CustomerEvent;
import dev.nudge.event.CustomerMerged;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Replays a window of recorded events through the running rules and through candidate rules, each partition in its
 * own session on the pseudo clock as the pipeline runs it, and compares the decisions. Touches no broker: the window
 * is read beforehand ({@link WindowReader}).
 */
public final class Backtest {

    /** After the last event, time runs on this long so every pending trigger (a 72 h re-eligibility at most) decides. */
    static final Duration RUN_ON = Duration.ofDays(4);
    /** A campaign whose mails less than halve or more than double is flagged, if one side has at least this many. */
    static final long FLAG_AT_LEAST = 10;

    private final EngineSettings settings;

    public Backtest(EngineSettings settings) {
        this.settings = settings;
    }

    /** Compiling is the caller's: it says how long each rule set took, for the timings. */
    public BacktestResult run(Window window, RuleSet running, long compileRunningMillis, RuleSet candidate,
                              long compileCandidateMillis) {
        long t0 = System.nanoTime();
        Map<String, Decision> before = replay(window, running);
        long t1 = System.nanoTime();
        Map<String, Decision> after = replay(window, candidate);
        long t2 = System.nanoTime();
        List<BacktestResult.Difference> differences = compare(before, after);
        long replayMillis = Math.max(1, (t2 - t0) / 1_000_000);
        var timings = new BacktestResult.Timings(window.readTime().toMillis(), compileRunningMillis,
                compileCandidateMillis, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000,
                window.events() * 2 * 1000 / replayMillis);
        return new BacktestResult(window.source(), window.from(), window.to(), window.events(), window.unreadable(),
                running.contentHash(), candidate.contentHash(), campaigns(before, after, differences), differences,
                timings);
    }

    /** The last record of every decision id the rules make on the window. */
    Map<String, Decision> replay(Window window, RuleSet rules) {
        Map<String, Decision> last = new LinkedHashMap<>();
        for (List<Recorded> partition : window.partitions().values()) {
            try (PartitionEngine engine = new PartitionEngine(rules, settings)) {
                for (Recorded r : partition) {
                    PartitionEngine.Outcome o = engine.accept(r.event(), r.receivedMillis());
                    keep(o.decisions(), last);
                    Deque<CustomerEvent> next = new ArrayDeque<>(o.forwards());
                    CustomerMerged merge = o.refused() == null ? engine.mergeToAnnounce(r.event(), r.previousId())
                            : null;
                    if (merge != null) {
                        next.add(merge);
                    }
                    // a partition's session stands for the pipeline: what it forwards through Kafka comes back here
                    while (!next.isEmpty()) {
                        PartitionEngine.Outcome f = engine.accept(next.poll(), r.receivedMillis());
                        keep(f.decisions(), last);
                        next.addAll(f.forwards());
                    }
                }
                keep(engine.advanceEventTime(engine.maxEventTime() + RUN_ON.toMillis()), last);
            }
        }
        return last;
    }

    /**
     * Keeps what became of each decision id: a later record (a held mail's release, a revocation) replaces an earlier
     * one, except a suppression of a decision already decided, which is a rule firing again for the same events (a
     * match that changed, such as an accumulate losing an expired fact): the send stage mails an id once, so the mail
     * stands. Shadow rules keep their running tally the same way.
     */
    public static void keep(List<Decision> decisions, Map<String, Decision> last) {
        for (Decision d : decisions) {
            Decision earlier = last.get(d.decisionId());
            if (earlier != null && earlier.kind() != DecisionKind.HELD && d.kind() == DecisionKind.SUPPRESSED) {
                continue;
            }
            last.put(d.decisionId(), d);
        }
    }

    /** Every decision id whose last record differs between the two sides, by campaign, change and time. */
    public static List<BacktestResult.Difference> compare(Map<String, Decision> before, Map<String, Decision> after) {
        List<BacktestResult.Difference> out = new ArrayList<>();
        for (Decision a : after.values()) {
            Decision b = before.get(a.decisionId());
            if (b == null) {
                out.add(new BacktestResult.Difference(BacktestResult.Difference.ADDED, a.decisionId(), a.customerId(),
                        a.campaign(), null, outcome(a)));
            } else if (!outcome(a).equals(outcome(b)) || !a.campaign().equals(b.campaign())) {
                out.add(new BacktestResult.Difference(BacktestResult.Difference.CHANGED, a.decisionId(),
                        a.customerId(), a.campaign(), outcome(b), outcome(a)));
            }
        }
        for (Decision b : before.values()) {
            if (!after.containsKey(b.decisionId())) {
                out.add(new BacktestResult.Difference(BacktestResult.Difference.REMOVED, b.decisionId(),
                        b.customerId(), b.campaign(), outcome(b), null));
            }
        }
        out.sort(Comparator.comparing(BacktestResult.Difference::campaign)
                .thenComparing(BacktestResult.Difference::change)
                .thenComparing(d -> (d.after() != null ? d.after() : d.before()).at())
                .thenComparing(BacktestResult.Difference::decisionId));
        return out;
    }

    private static BacktestResult.Outcome outcome(Decision d) {
        return new BacktestResult.Outcome(d.kind().code(), d.reason(), d.decidedAt(), d.rule());
    }

    /** Each campaign's decisions by kind on both sides, with its differences counted and its flag. */
    public static List<BacktestResult.Campaign> campaigns(Map<String, Decision> before, Map<String, Decision> after,
                                                           List<BacktestResult.Difference> differences) {
        TreeSet<String> names = new TreeSet<>();
        before.values().forEach(d -> names.add(d.campaign()));
        after.values().forEach(d -> names.add(d.campaign()));
        List<BacktestResult.Campaign> out = new ArrayList<>();
        for (String name : names) {
            Map<String, Long> b = kinds(before, name);
            Map<String, Long> a = kinds(after, name);
            long mailsBefore = mails(before, name);
            long mailsAfter = mails(after, name);
            out.add(new BacktestResult.Campaign(name, b, a, count(differences, name, BacktestResult.Difference.ADDED),
                    count(differences, name, BacktestResult.Difference.REMOVED),
                    count(differences, name, BacktestResult.Difference.CHANGED), mailsBefore, mailsAfter,
                    flag(mailsBefore, mailsAfter)));
        }
        return out;
    }

    /**
     * Why a campaign's change in mails needs a second look, or null: more than doubled or less than halved, with at
     * least {@link #FLAG_AT_LEAST} mails on one side (from 1 to 3 is noise, from 100 to 300 is not).
     */
    static String flag(long before, long after) {
        if (Math.max(before, after) < FLAG_AT_LEAST) {
            return null;
        }
        if (after > 2 * before) {
            return before == 0 ? "mails from 0 to " + after : "mails more than doubled (" + before + " -> " + after + ")";
        }
        if (2 * after < before) {
            return "mails less than halved (" + before + " -> " + after + ")";
        }
        return null;
    }

    private static Map<String, Long> kinds(Map<String, Decision> decisions, String campaign) {
        Map<String, Long> out = new TreeMap<>();
        decisions.values().stream().filter(d -> d.campaign().equals(campaign))
                .forEach(d -> out.merge(d.kind().code(), 1L, Long::sum));
        return out;
    }

    private static long mails(Map<String, Decision> decisions, String campaign) {
        return decisions.values().stream().filter(d -> d.campaign().equals(campaign) && d.kind().mails()).count();
    }

    private static long count(List<BacktestResult.Difference> differences, String campaign, String change) {
        return differences.stream().filter(d -> d.campaign().equals(campaign) && d.change().equals(change)).count();
    }
}
