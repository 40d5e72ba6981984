package dev.nudge.trace;

import dev.nudge.engine.Candidate;
import dev.nudge.engine.DecisionMade;
import dev.nudge.event.CustomerEvent;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/** Which customers the facts of a match belong to, and which proposed mails (decision ids) it is about. */
final class Owners {

    private Owners() {
    }

    static Set<String> customers(Collection<?> facts) {
        Set<String> out = new LinkedHashSet<>();
        for (Object o : facts) {
            if (o instanceof CustomerEvent e) {
                out.add(e.customerId());
            } else if (o instanceof Candidate c) {
                out.add(c.getCustomerId());
            } else if (o instanceof DecisionMade d) {
                out.add(d.customerId());
            }
        }
        return out;
    }

    /** The ids of the proposed mails among the facts: what a guard decides about. */
    static Set<String> candidateIds(Collection<?> facts) {
        Set<String> out = new LinkedHashSet<>();
        for (Object o : facts) {
            if (o instanceof Candidate c) {
                out.add(c.getDecisionId());
            }
        }
        return out;
    }
}
