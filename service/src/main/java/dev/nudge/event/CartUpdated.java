package dev.nudge.event;

import java.time.Instant;
import java.util.List;

/** The cart's content after a change; {@code items} is the whole cart, not the change. */
public record CartUpdated(String eventId, String customerId, Instant timestamp, String cartId, List<Item> items)
        implements CustomerEvent {

    public CartUpdated {
        items = List.copyOf(items);
    }

    @Override
    public long getEventTime() {
        return timestamp.toEpochMilli();
    }

    /** Whether the cart holds the product, for rules such as "viewed but never added". */
    public boolean hasProduct(String productId) {
        return items.stream().anyMatch(i -> i.productId().equals(productId));
    }
}
