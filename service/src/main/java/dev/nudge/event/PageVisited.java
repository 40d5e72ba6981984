package dev.nudge.event;

import java.time.Instant;

/** Any page of the shop seen by a customer; rules match on the URL. */
public record PageVisited(String eventId, String customerId, Instant timestamp, String url) implements CustomerEvent {

    @Override
    public long getEventTime() {
        return timestamp.toEpochMilli();
    }
}
