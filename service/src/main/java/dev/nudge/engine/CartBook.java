package dev.nudge.engine;

import dev.nudge.event.CartChanged;
import dev.nudge.event.CartUpdated;
import dev.nudge.event.CustomerEvent;
import dev.nudge.event.Item;

import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The last known content of each cart of one partition, so that a {@link CartChanged} (one product added or
 * removed) reaches the rules as a whole {@link CartUpdated}: rules and mails always see the whole cart.
 *
 * <p>Out-of-order events, as far as is reasonable without keeping a history of every cart:
 * <ul>
 * <li>Changes are applied in arrival order. Adding and removing given quantities commute, so most late changes
 * still give the right content; a removal that arrives after a later addition of the same product, or that
 * finds too few to take away, is applied as if it came last.</li>
 * <li>The cart a change produces is stamped with the change's own time, or 1 ms after the cart's latest change
 * when that is newer (a late change, or two changes in the same millisecond, common with timestamps to the
 * second). So the newest content is always the cart's last update, and the stale one it corrects is never
 * mailed; the mail is then due 30 minutes after the cart's latest change.</li>
 * <li>A whole cart (a native {@code CartUpdated}, "Cart Viewed", "Checkout Started") replaces the content unless
 * the cart changed later; a change older than the latest whole cart is already in it and inserts nothing.</li>
 * </ul>
 * A cart is forgotten once it went unchanged for as long as the rules keep a {@code CartUpdated}: by then the rules
 * have forgotten it too, and a later change starts from an empty cart.
 */
final class CartBook {

    private record Key(String customerId, String cartId) {
    }

    private record Cart(List<Item> items, long lastChange, long lastWhole) {
    }

    private final long retentionMillis;
    // insertion order is change order, close to event time order: eviction can stop at the first young cart
    private final LinkedHashMap<Key, Cart> carts = new LinkedHashMap<>();

    CartBook(long retentionMillis) {
        this.retentionMillis = retentionMillis;
    }

    /** The fact to insert for {@code event}: itself, the whole cart a change makes, or null when there is none. */
    CustomerEvent toFact(CustomerEvent event) {
        if (event instanceof CartUpdated whole) {
            Key key = new Key(whole.customerId(), whole.cartId());
            Cart known = carts.get(key);
            long time = whole.getEventTime();
            if (known == null || time >= known.lastChange()) {
                put(key, new Cart(whole.items(), time, time));
            }
            return whole;
        }
        if (event instanceof CartChanged change) {
            return apply(change);
        }
        return event;
    }

    private CartUpdated apply(CartChanged change) {
        Key key = new Key(change.customerId(), change.cartId());
        Cart known = carts.getOrDefault(key, new Cart(List.of(), Long.MIN_VALUE, Long.MIN_VALUE));
        long time = change.getEventTime();
        if (time < known.lastWhole()) {
            return null;
        }
        List<Item> items = CartLines.apply(known.items(), change.product(), change.change());
        Instant stamp = change.timestamp();
        if (time <= known.lastChange()) {
            stamp = Instant.ofEpochMilli(known.lastChange() + 1);
        }
        put(key, new Cart(items, stamp.toEpochMilli(), known.lastWhole()));
        return new CartUpdated(change.eventId(), change.customerId(), stamp, change.cartId(), items);
    }

    private void put(Key key, Cart cart) {
        carts.remove(key);
        carts.put(key, cart);
    }

    /** Forgets carts unchanged since before {@code watermark} minus the retention. */
    void forgetBefore(long watermark) {
        long cutoff = watermark - retentionMillis;
        Iterator<Map.Entry<Key, Cart>> it = carts.entrySet().iterator();
        while (it.hasNext()) {
            if (it.next().getValue().lastChange() >= cutoff) {
                return;
            }
            it.remove();
        }
    }

    int size() {
        return carts.size();
    }
}
