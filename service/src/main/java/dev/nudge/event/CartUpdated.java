package dev.nudge.event;

import java.time.Instant;
import java.util.List;

/**
 * The cart's content after a change; {@code items} is the whole cart, not the change. A line with quantity 0 is not
 * in the cart (shops keep such lines after "remove"), so it is dropped here, once, for every rule and every mail.
 */
public record CartUpdated(String eventId, String customerId, Instant timestamp, String cartId, List<Item> items)
        implements CustomerEvent {

    public CartUpdated {
        items = allInCart(items) ? List.copyOf(items) : items.stream().filter(i -> i.quantity() > 0).toList();
    }

    @Override
    public long getEventTime() {
        return timestamp.toEpochMilli();
    }

    // a loop, not a stream: every cart change of every shopper is built through here
    private static boolean allInCart(List<Item> items) {
        for (Item i : items) {
            if (i.quantity() <= 0) {
                return false;
            }
        }
        return true;
    }

    /** True when no line has a quantity above 0: nothing to remind the customer of. */
    public boolean isEmpty() {
        return items.isEmpty();
    }

    /** Whether the cart holds the product, for rules such as "viewed but never added". */
    public boolean hasProduct(String productId) {
        return items.stream().anyMatch(i -> i.productId().equals(productId));
    }
}
