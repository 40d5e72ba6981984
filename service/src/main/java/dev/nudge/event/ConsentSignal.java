package dev.nudge.event;

/**
 * An event that says whether the customer may get marketing mail from now on: the newest decisive one per customer
 * counts, and rules keep only that one.
 */
public sealed interface ConsentSignal extends CustomerEvent permits Unsubscribed, Subscribed, SpamComplaint,
        EmailBounced {

    /** True for an opt-in, false for an opt-out. */
    boolean optsIn();

    /** False for a signal that changes nothing (a soft bounce). */
    default boolean decisive() {
        return true;
    }

    /** The suppression reason an opt-out gives, for example {@code unsubscribed}. */
    String reason();
}
