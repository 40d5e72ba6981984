package dev.nudge.engine;

import dev.nudge.event.ConsentSignal;
import dev.nudge.event.CustomerProfile;
import org.drools.base.base.ValueResolver;
import org.drools.base.rule.constraint.AlphaNodeFieldConstraint;
import org.drools.core.common.DefaultFactHandle;
import org.drools.core.impl.InternalRuleBase;
import org.drools.core.reteoo.AlphaNode;
import org.drools.core.reteoo.EntryPointNode;
import org.drools.core.reteoo.ObjectSink;
import org.drools.core.reteoo.ObjectTypeNode;
import org.drools.core.reteoo.WindowNode;
import org.kie.api.KieBase;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Tells whether an event can match any pattern of the compiled rules, so the engine never inserts one that cannot: a
 * page visit that is neither a pricing nor a checkout page is read by no rule, yet would be kept 26 hours with an expiry
 * timer of its own. Read from the rule network after compilation: for each event class, the first constraint of every
 * pattern on it that tests the event alone ({@code url matches ".*\/pricing..."}, {@code decisionId == null}); an event
 * that passes none of them is left out. A class some pattern reads without such a constraint is always let in, and so is
 * an event a constraint fails on (a null field): only a sure "cannot match" keeps a fact out.
 */
final class FactGate {

    /** The first-level constraints of one event class; {@code always} when some pattern takes every event of it. */
    private record Gate(boolean always, List<AlphaNodeFieldConstraint> constraints) {
        static final Gate ALWAYS = new Gate(true, List.of());
    }

    private final InternalRuleBase base;
    private final Map<Class<?>, Gate> gates = new HashMap<>();
    private long leftOut;

    FactGate(KieBase kieBase) {
        this.base = kieBase instanceof InternalRuleBase b ? b : null;
    }

    /**
     * Whether {@code fact} may match some pattern, or is customer state (a profile or consent signal: kept for good,
     * restored after a restart, read by rules loaded later); {@code session} resolves what constraints read.
     */
    boolean admits(Object fact, ValueResolver session) {
        if (base == null || fact instanceof CustomerProfile || fact instanceof ConsentSignal) {
            return true;
        }
        Gate gate = gates.computeIfAbsent(fact.getClass(), this::gateOf);
        if (gate.always()) {
            return true;
        }
        DefaultFactHandle handle = new DefaultFactHandle(fact);
        for (AlphaNodeFieldConstraint c : gate.constraints()) {
            try {
                if (c.isAllowed(handle, session)) {
                    return true;
                }
            } catch (RuntimeException e) {
                // the rule network would log and count this on insertion; here it only means "cannot tell"
                return true;
            }
        }
        leftOut++;
        return false;
    }

    /** Events left out so far. */
    long leftOut() {
        return leftOut;
    }

    /** Forgets what was read from the network: a reload changes it in place. */
    void rulesChanged() {
        gates.clear();
    }

    private Gate gateOf(Class<?> type) {
        List<AlphaNodeFieldConstraint> constraints = new ArrayList<>();
        for (EntryPointNode entry : base.getRete().getEntryPointNodes().values()) {
            for (ObjectTypeNode node : entry.getObjectTypeNodes().values()) {
                if (!node.getObjectType().isAssignableFrom(type)) {
                    continue;
                }
                for (ObjectSink sink : node.getObjectSinkPropagator().getSinks()) {
                    if (sink instanceof AlphaNode alpha) {
                        constraints.add(alpha.getConstraint());
                    } else if (sink instanceof WindowNode window && !window.getConstraints().isEmpty()) {
                        // a sliding window tests its pattern's own constraints: any fact failing the first is outside
                        constraints.add(window.getConstraints().get(0));
                    } else {
                        return Gate.ALWAYS;
                    }
                }
            }
        }
        return new Gate(false, List.copyOf(constraints));
    }
}
