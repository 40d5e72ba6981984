package dev.nudge.event;

import java.time.Instant;

/** The customer opted out of marketing mail (an unsubscribe link, a preference centre); {@code campaign} says where, if known. */
public record Unsubscribed(String eventId, String customerId, Instant timestamp, String campaign) implements ConsentSignal {

    @Override
    public long getEventTime() {
        return timestamp.toEpochMilli();
    }

    @Override
    public boolean optsIn() {
        return false;
    }

    @Override
    public String reason() {
        return "unsubscribed";
    }
}
