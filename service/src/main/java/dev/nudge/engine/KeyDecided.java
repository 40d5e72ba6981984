package dev.nudge.engine;

/**
 * That a campaign's mail was decided for a customer and a key (what re-eligibility counts per: the cart, the product,
 * the customer or the trigger's {@code @reEligibilityKey} field), kept as long as the longest {@code @reEligibility}
 * needs, days after the {@link DecisionMade} itself is forgotten, and brought back after a restart.
 */
public record KeyDecided(String decisionId, String campaign, String customerId, String key, long decidedAt) {

    /** Event time in epoch milliseconds, the field Drools orders events by. */
    public long getEventTime() {
        return decidedAt;
    }
}
