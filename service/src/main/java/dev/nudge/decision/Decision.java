package dev.nudge.decision;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One decision of the rules about one customer's mail, as the engine writes it to Kafka and everything downstream
 * reads it ({@code schema/decision.schema.json}). Its {@link DecisionKind kind} says what it is and where it goes;
 * {@code reason} says why, for every kind but a mail and a holdout. The id is the same every time the same trigger is
 * decided again (replay, redelivery), and every record about one mail shares it: a hold, what became of it, a
 * revocation. A record that follows a hold names it in {@code releasedFrom}; a held one says until when.
 * {@code recipient} is who the mail goes to, from the customer's profile, when the shop described them.
 * {@code variant} names the arm of the campaign's experiment the trigger rule belongs to ({@code @variant("2h")}),
 * when the campaign runs one. A suppression may say more about its reason: {@code earlierMail} names the mail the
 * frequency cap or re-eligibility counted, {@code quietHoursEnd} when the quiet hours that suppressed it end.
 */
@JsonPropertyOrder({"decisionId", "kind", "reason", "customerId", "campaign", "rule", "rulesVersion", "decidedAt",
        "heldUntil", "releasedFrom", "eventIds", "payload", "recipient", "variant",
        "earlierMail", "quietHoursEnd"})
public record Decision(String decisionId, DecisionKind kind, String reason, String customerId, String campaign,
                       String rule, String rulesVersion, Instant decidedAt, Instant heldUntil, String releasedFrom,
                       List<String> eventIds, Map<String, Object> payload, Recipient recipient, String variant,
                       EarlierMail earlierMail, Instant quietHoursEnd) {

    /** A decision that says nothing more about its reason. */
    public Decision(String decisionId, DecisionKind kind, String reason, String customerId, String campaign,
                    String rule, String rulesVersion, Instant decidedAt, Instant heldUntil, String releasedFrom,
                    List<String> eventIds, Map<String, Object> payload, Recipient recipient, String variant) {
        this(decisionId, kind, reason, customerId, campaign, rule, rulesVersion, decidedAt, heldUntil, releasedFrom,
                eventIds, payload, recipient, variant, null, null);
    }

    /** A decision of a campaign that runs no experiment. */
    public Decision(String decisionId, DecisionKind kind, String reason, String customerId, String campaign,
                    String rule, String rulesVersion, Instant decidedAt, Instant heldUntil, String releasedFrom,
                    List<String> eventIds, Map<String, Object> payload, Recipient recipient) {
        this(decisionId, kind, reason, customerId, campaign, rule, rulesVersion, decidedAt, heldUntil, releasedFrom,
                eventIds, payload, recipient, null);
    }

    public Decision {
        if (decisionId == null || kind == null || customerId == null || campaign == null || decidedAt == null) {
            throw new IllegalArgumentException("a decision needs its id, kind, customer, campaign and time");
        }
        if (kind.needsReason() != (reason != null)) {
            throw new IllegalArgumentException("a decision of kind " + kind.code()
                    + (kind.needsReason() ? " needs a reason" : " has no reason, got '" + reason + "'"));
        }
        if ((kind == DecisionKind.HELD) != (heldUntil != null)) {
            throw new IllegalArgumentException("heldUntil belongs to held decisions only, and every one has it");
        }
        if ((earlierMail != null || quietHoursEnd != null) && kind != DecisionKind.SUPPRESSED) {
            throw new IllegalArgumentException("earlierMail and quietHoursEnd belong to suppressed decisions only");
        }
        eventIds = eventIds == null ? List.of() : List.copyOf(eventIds);
        payload = payload == null ? Map.of() : Map.copyOf(payload);
    }
}
