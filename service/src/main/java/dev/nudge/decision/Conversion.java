package dev.nudge.decision;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One record of the conversions topic (key: the customer id), what a campaign's report counts: a decision that passed
 * the guards, {@code assigned} to its arm ({@code mailed} or {@code holdout}), or the order that {@code converted} it
 * within the conversion window its trigger declares. Both kinds carry the decision's campaign, arm, time and rules
 * version (and {@code variant}, when the campaign runs an experiment between variants of its trigger), so the report
 * needs no other topic; the order's fields are null on an assignment. An assignment carries its campaign's conversion
 * window ({@code windowSeconds}, null in records of earlier releases), so the report can tell decisions whose window
 * has closed from those still open.
 */
public record Conversion(String kind, String decisionId, String campaign, String arm, String customerId,
                         String rulesVersion, Instant decidedAt, String orderId, BigDecimal revenue, String currency,
                         Instant convertedAt, Long secondsToConvert, String variant, Long windowSeconds) {

    public static final String ASSIGNED = "assigned";
    public static final String CONVERTED = "converted";
    public static final String MAILED = "mailed";
    public static final String HOLDOUT = "holdout";

    /**
     * The assignment of a decision that passed the guards (a mail, a fallback or a holdout) to its arm, with its
     * variant; null for any other decision.
     */
    public static Conversion assignmentOf(Decision d, long windowMillis) {
        if (!d.kind().mails() && d.kind() != DecisionKind.HOLDOUT) {
            return null;
        }
        return assigned(d.decisionId(), d.campaign(), armOf(d.kind()), d.customerId(), d.rulesVersion(),
                d.decidedAt()).withVariant(d.variant()).withWindowSeconds(windowMillis / 1000);
    }

    /** {@code holdout} for a held-out decision, else {@code mailed}. */
    public static String armOf(DecisionKind kind) {
        return kind == DecisionKind.HOLDOUT ? HOLDOUT : MAILED;
    }

    /** The assignment of a decision to its arm. */
    public static Conversion assigned(String decisionId, String campaign, String arm, String customerId,
                                      String rulesVersion, Instant decidedAt) {
        return new Conversion(ASSIGNED, decisionId, campaign, arm, customerId, rulesVersion, decidedAt, null, null,
                null, null, null, null, null);
    }

    /** The order that converted a decision. */
    public static Conversion converted(String decisionId, String campaign, String arm, String customerId,
                                       String rulesVersion, Instant decidedAt, String orderId, BigDecimal revenue,
                                       String currency, Instant convertedAt) {
        return new Conversion(CONVERTED, decisionId, campaign, arm, customerId, rulesVersion, decidedAt, orderId,
                revenue, currency, convertedAt, java.time.Duration.between(decidedAt, convertedAt).getSeconds(), null,
                null);
    }

    /** The same record, of {@code variant} of the campaign's experiment (null: none). */
    public Conversion withVariant(String variant) {
        return new Conversion(kind, decisionId, campaign, arm, customerId, rulesVersion, decidedAt, orderId, revenue,
                currency, convertedAt, secondsToConvert, variant, windowSeconds);
    }

    /** The same record, with its campaign's conversion window. */
    public Conversion withWindowSeconds(Long windowSeconds) {
        return new Conversion(kind, decisionId, campaign, arm, customerId, rulesVersion, decidedAt, orderId, revenue,
                currency, convertedAt, secondsToConvert, variant, windowSeconds);
    }

    /**
     * Whether the decision's conversion window had closed at {@code now}: what it converts is all in. An assignment
     * without a window (of an earlier release) counts as closed: nothing tells otherwise.
     */
    public boolean windowClosedAt(Instant now) {
        return windowSeconds == null || !decidedAt.plusSeconds(windowSeconds).isAfter(now);
    }
}
