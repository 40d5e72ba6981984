package dev.nudge.engine;

import java.util.Set;

/**
 * The fact that a campaign's mail was decided for a customer and a key (the cart, the product, or the customer), at
 * an event time: rules use it for re-eligibility ("no second cart mail for this cart within 72 hours"), for the
 * frequency cap, and to revoke the mail when an event its trigger declares in {@code @cancelledBy} follows.
 * {@code cartId} and {@code productId} say what the mail is about, when it is about a cart or a product. {@code arm}
 * ({@code mailed} or {@code holdout}), {@code conversionWindow} (milliseconds; 0 for none) and {@code rulesVersion} are
 * what a conversion of the decision reports (rules/conversions.drl), with the {@code variant} of the campaign's
 * experiment, if it runs one.
 */
public record DecisionMade(String decisionId, String campaign, String customerId, String key, long decidedAt,
                           Set<String> cancelledBy, String cartId, String productId, String arm,
                           long conversionWindow, String rulesVersion, String variant) {

    /** Event time in epoch milliseconds, the field Drools orders events by. */
    public long getEventTime() {
        return decidedAt;
    }
}
