package dev.nudge.bench.peers;

import dev.nudge.decision.Decision;
import dev.nudge.decision.DecisionKind;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * How an engine's mails compare with the oracle's, as sets of (customer, campaign, key, due time): the mails missing
 * and the mails extra, and for Nudge's engine the reason of each difference as its own decisions state it.
 */
record Agreement(int expected, int got, List<Mail> missing, List<Mail> extra, Map<String, Integer> reasons) {

    boolean equal() {
        return missing.isEmpty() && extra.isEmpty();
    }

    static Agreement of(List<Mail> expected, List<Mail> got) {
        Set<Mail> e = new HashSet<>(expected);
        Set<Mail> g = new HashSet<>(got);
        List<Mail> missing = expected.stream().filter(m -> !g.contains(m)).sorted().toList();
        List<Mail> extra = got.stream().filter(m -> !e.contains(m)).sorted().toList();
        return new Agreement(expected.size(), got.size(), missing, extra, Map.of());
    }

    /**
     * Nudge's agreement, each difference with its reason: for a missing mail, what Nudge decided about the same
     * customer, campaign and key instead (a guard's suppression, with the guard's reason); for an extra mail, whether
     * the oracle had it due but capped it (an earlier mail the oracle sent and Nudge did not freed the cap), or had the
     * same customer, campaign and key due at another time.
     */
    static Agreement explained(List<Mail> expected, List<Mail> due, NudgePeer.Decided nudge) {
        Agreement a = of(expected, nudge.mails());
        Map<String, String> keys = nudge.keys();
        Set<String> mailed = new HashSet<>();
        for (Mail m : nudge.mails()) {
            mailed.add(m.customerId() + '\u0000' + m.campaign() + '\u0000' + m.key());
        }
        Map<String, String> suppressed = new HashMap<>();
        for (Decision d : nudge.all()) {
            String campaign = NudgePeer.comparedCampaign(d.campaign());
            if (campaign != null && d.kind() == DecisionKind.SUPPRESSED) {
                suppressed.putIfAbsent(d.customerId() + '\u0000' + campaign + '\u0000' + keys.get(d.decisionId()),
                        d.reason());
            }
        }
        Set<Mail> dueSet = new HashSet<>(due);
        Map<String, Integer> reasons = new TreeMap<>();
        for (Mail m : a.missing()) {
            String id = m.customerId() + '\u0000' + m.campaign() + '\u0000' + m.key();
            String why = suppressed.get(id);
            reasons.merge("missing: " + (why != null ? "suppressed by Nudge: " + why
                    : mailed.contains(id) ? "mailed by Nudge at another time" : "not decided by Nudge"), 1,
                    Integer::sum);
        }
        Map<String, Long> dueAt = new HashMap<>();
        for (Mail m : due) {
            dueAt.putIfAbsent(m.customerId() + '\u0000' + m.campaign() + '\u0000' + m.key(), m.dueMillis());
        }
        for (Mail m : a.extra()) {
            Long other = dueAt.get(m.customerId() + '\u0000' + m.campaign() + '\u0000' + m.key());
            reasons.merge("extra: " + (dueSet.contains(m) ? "due in the oracle, capped there"
                    : other != null ? "due in the oracle at another time (" + (other < m.dueMillis()
                    ? "Nudge decided later" : "Nudge decided earlier") + ")" : "not due in the oracle"), 1,
                    Integer::sum);
        }
        return new Agreement(a.expected(), a.got(), a.missing(), a.extra(), reasons);
    }

    /** The first few differences, for the report. */
    List<String> examples(int n) {
        List<String> out = new ArrayList<>();
        missing.stream().limit(n).forEach(m -> out.add("missing " + m));
        extra.stream().limit(n).forEach(m -> out.add("extra   " + m));
        return out;
    }
}
