package dev.nudge.trace;

import org.kie.api.runtime.rule.RuleContext;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The global the probe rules report to ({@link TriggerProbes}): for each customer and trigger, the most leading
 * conditions that matched together at some moment. Public because the probes' consequences call it.
 */
public final class ProbeHits {

    private final Map<String, Map<String, Integer>> best = new HashMap<>();
    private final Set<String> unowned = new HashSet<>();

    /** A probe fired: the first {@code conditions} conditions of {@code rule} matched, for the match's customers. */
    public void reached(RuleContext drools, String rule, int conditions) {
        Set<String> customers = Owners.customers(drools.getMatch().getObjects());
        if (customers.isEmpty()) {
            unowned.add(rule);
        }
        for (String customer : customers) {
            best.computeIfAbsent(customer, c -> new HashMap<>()).merge(rule, conditions, Math::max);
        }
    }

    /** The most leading conditions of {@code rule} that matched for {@code customer}; 0 when not even the first. */
    int best(String customer, String rule) {
        return best.getOrDefault(customer, Map.of()).getOrDefault(rule, 0);
    }

    /** True when a probe of {@code rule} matched facts that name no customer: its hits cannot be told apart. */
    boolean unowned(String rule) {
        return unowned.contains(rule);
    }
}
