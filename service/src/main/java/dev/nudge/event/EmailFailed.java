package dev.nudge.event;

import java.time.Instant;

/**
 * Nudge's send stage could not deliver a decided mail: {@code permanent} when the relay refused it for good (an
 * unknown address, a 5xx) or the mail could not be made, with the {@code reason} as the relay or the stage put it.
 */
public record EmailFailed(String eventId, String customerId, Instant timestamp, String decisionId, String campaign,
                          boolean permanent, String reason) implements CustomerEvent {

    @Override
    public long getEventTime() {
        return timestamp.toEpochMilli();
    }
}
