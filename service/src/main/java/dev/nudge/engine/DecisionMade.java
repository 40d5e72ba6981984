package dev.nudge.engine;

/**
 * The fact that a campaign's mail was decided for a customer and a key (the cart, the product, or the customer), at
 * an event time: rules use it for re-eligibility ("no second cart mail for this cart within 72 hours") and for the
 * frequency cap.
 */
public record DecisionMade(String decisionId, String campaign, String customerId, String key, long decidedAt) {

    /** Event time in epoch milliseconds, the field Drools orders events by. */
    public long getEventTime() {
        return decidedAt;
    }
}
