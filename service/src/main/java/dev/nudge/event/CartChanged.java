package dev.nudge.event;

import java.time.Instant;

/**
 * One product put into or taken out of a cart, such as Segment's "Product Added": a change, not the whole cart.
 *
 * <p>Rules never see it: the engine applies it to the cart's last known content and inserts the resulting whole
 * {@link CartUpdated} instead, with this event's id. In Nudge's own JSON format it is {@code "type":"CartChanged"} with
 * {@code cartId}, {@code product} (a line) and {@code change}.
 */
public record CartChanged(String eventId, String customerId, Instant timestamp, String cartId, Item product,
                          Change change) implements CustomerEvent {

    /** What happens to the product's line in the cart. */
    public enum Change {
        /** {@code product.quantity()} more of it; a product not yet in the cart gets a line of its own. */
        ADD,
        /** {@code product.quantity()} fewer of it; the line goes when none is left. */
        REMOVE,
        /** The whole line goes, whatever {@code product.quantity()} says. */
        REMOVE_ALL
    }

    @Override
    public long getEventTime() {
        return timestamp.toEpochMilli();
    }
}
