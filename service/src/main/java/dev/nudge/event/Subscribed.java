package dev.nudge.event;

import java.time.Instant;

/** The customer opted in to marketing mail (again): it lifts an earlier unsubscribe, hard bounce or spam complaint. */
public record Subscribed(String eventId, String customerId, Instant timestamp) implements ConsentSignal {

    @Override
    public long getEventTime() {
        return timestamp.toEpochMilli();
    }

    @Override
    public boolean optsIn() {
        return true;
    }

    @Override
    public String reason() {
        return "subscribed";
    }
}
