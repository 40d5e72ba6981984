package dev.nudge.event;

import java.time.Instant;

/**
 * The customer known as {@code customerId} (an anonymous visitor, an old id) is the same person as {@code mergedInto}
 * from now on: what Nudge holds of the first moves to the second, and the first's later events follow it.
 */
public record CustomerMerged(String eventId, String customerId, Instant timestamp, String mergedInto)
        implements CustomerEvent {

    @Override
    public long getEventTime() {
        return timestamp.toEpochMilli();
    }
}
