package dev.nudge.event;

import java.time.Instant;

/** A marketing mail reached the customer's mail server (from Nudge's send stage or another sender): the frequency cap counts it. */
public record EmailSent(String eventId, String customerId, Instant timestamp, String decisionId, String campaign) implements CustomerEvent {

    @Override
    public long getEventTime() {
        return timestamp.toEpochMilli();
    }
}
