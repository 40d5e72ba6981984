package dev.nudge.event;

import java.time.Instant;

/** A fact about one customer at one instant of event time: the common shape of every event type. */
public sealed interface CustomerEvent
        permits CartUpdated, CartChanged, CheckoutCompleted, ProductViewed, PageVisited, CustomerProfile, EmailSent, EmailFailed,
        ConsentSignal, CustomerMerged {

    /** Unique id of the event; a repeated id is a duplicate delivery. */
    String eventId();

    String customerId();

    /** When it happened (event time, not arrival time). */
    Instant timestamp();

    /** Event time in epoch milliseconds, the field Drools orders events by. */
    long getEventTime();

    /** The type name used on the wire and in rules, for example {@code CartUpdated}. */
    default String type() {
        return getClass().getSimpleName();
    }
}
