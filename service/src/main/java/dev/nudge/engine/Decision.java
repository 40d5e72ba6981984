package dev.nudge.engine;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * That a customer should get a campaign's e-mail, with everything the send stage needs and an id that is the same
 * every time the same trigger is decided again (replay, redelivery), so downstream can deduplicate. A decision with
 * {@code holdout} set is recorded, never sent: the customer is in the campaign's holdout group. A decision with a
 * {@code suppressed} reason ({@code stale-data}, ...) was made by the rules but is not to be sent; it goes to the
 * audit topic so that "why no mail?" has an answer.
 */
public record Decision(String decisionId, String customerId, String campaign, String rule, String rulesVersion,
                       Instant decidedAt, List<String> eventIds, Map<String, Object> payload, boolean holdout,
                       String suppressed) {

    /** Reason of a decision whose triggering events arrived too late to be acted on in real time. */
    public static final String STALE_DATA = "stale-data";

    public Decision {
        eventIds = List.copyOf(eventIds);
        payload = Map.copyOf(payload);
    }
}
