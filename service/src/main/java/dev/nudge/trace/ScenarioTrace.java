package dev.nudge.trace;

import java.time.Instant;
import java.util.List;

/**
 * One customer's way through one scenario: each step (an event of theirs, or time passing) with the rules that fired
 * for them and what was decided, then why each trigger that never fired for them did not.
 * {@code decidedOtherwise} is true when the run with the probes did not decide exactly as the rules alone do.
 */
public record ScenarioTrace(String scenario, String customer, List<Step> steps, List<Verdict> unfired,
                            boolean decidedOtherwise) {

    /** A moment of the run: {@code what} happened (an event, "time passes"), and the rules that fired then. */
    public record Step(Instant at, String what, String note, List<Fired> fired) {
    }

    /** A rule that fired (null for a decision no rule of the step can be named for), and the decisions it made. */
    public record Fired(String rule, List<String> decided) {
    }

    /**
     * A trigger that never fired for the customer: how many of its leading conditions matched together at best, the
     * condition after them ({@code stopped}, null when all matched), or why it could not be traced.
     */
    public record Verdict(TriggerProbes.Trigger trigger, int matched, TriggerProbes.Condition stopped,
                          String untraceable) {
    }
}
