package dev.nudge.event;

import java.time.Instant;

/**
 * A mail to the customer bounced: a hard bounce (the address does not exist) stops marketing mail, a soft one does not;
 * {@code campaign} says which campaign's mail bounced, if known (the send stage names it; the campaign report counts it).
 */
public record EmailBounced(String eventId, String customerId, Instant timestamp, boolean hard, String detail,
                           String campaign) implements ConsentSignal {

    @Override
    public long getEventTime() {
        return timestamp.toEpochMilli();
    }

    @Override
    public boolean optsIn() {
        return false;
    }

    /** Only a hard bounce changes whether the customer may be mailed. */
    @Override
    public boolean decisive() {
        return hard;
    }

    @Override
    public String reason() {
        return "hard-bounce";
    }
}
