package dev.nudge.engine;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * That a customer should get a campaign's e-mail, with everything the send stage needs and an id that is the same
 * every time the same trigger is decided again (replay, redelivery), so downstream can deduplicate. A decision with
 * {@code holdout} set is recorded, never sent: the customer is in the campaign's holdout group.
 */
public record Decision(String decisionId, String customerId, String campaign, String rule, String rulesVersion,
                       Instant decidedAt, List<String> eventIds, Map<String, Object> payload, boolean holdout) {

    public Decision {
        eventIds = List.copyOf(eventIds);
        payload = Map.copyOf(payload);
    }
}
