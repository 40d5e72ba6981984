package dev.nudge.engine;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * That a customer should get a campaign's e-mail, with everything the send stage needs and an id that is the same
 * every time the same trigger is decided again (replay, redelivery), so downstream can deduplicate. A decision with
 * {@code holdout} set is recorded, never sent: the customer is in the campaign's holdout group. A decision with a
 * {@code suppressed} reason ({@code stale-data}, ...) was made by the rules but is not to be sent; it goes to the
 * audit topic so that "why no mail?" has an answer. A decision {@code held} for a reason ({@code quiet-hours},
 * {@code source-quiet}) until {@code heldUntil} at the latest is an audit record too: what becomes of it follows as
 * another decision with the same id, whose {@code releasedFrom} names the hold. A mail sent with a {@code fallbackReason} went out although a guard could not
 * be satisfied (a source stayed quiet for longer than the hold). A decision {@code voided} for a reason
 * ({@code purchased}, ...) revokes the mail of the same id: the send stage drops it if it has not gone out yet.
 * {@code recipient} is who the mail goes to, from the customer's profile, when the shop described them.
 */
public record Decision(String decisionId, String customerId, String campaign, String rule, String rulesVersion,
                       Instant decidedAt, List<String> eventIds, Map<String, Object> payload, boolean holdout,
                       String suppressed, String held, Instant heldUntil, String releasedFrom,
                       String fallbackReason, Recipient recipient, String voided) {

    /** Reason of a decision whose triggering events arrived too late to be acted on in real time. */
    public static final String STALE_DATA = "stale-data";

    /** True when the mail goes out although a guard could not be satisfied; {@link #fallbackReason} says why. */
    @JsonProperty("fallback")
    public boolean fallback() {
        return fallbackReason != null;
    }

    public Decision {
        eventIds = List.copyOf(eventIds);
        payload = Map.copyOf(payload);
    }
}
