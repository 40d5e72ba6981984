package dev.nudge.event;

import java.time.Instant;

/** The customer marked a mail as spam (a mailbox provider's feedback loop): no more marketing mail. */
public record SpamComplaint(String eventId, String customerId, Instant timestamp, String campaign) implements ConsentSignal {

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
        return "spam-complaint";
    }
}
