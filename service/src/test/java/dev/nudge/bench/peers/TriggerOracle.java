package dev.nudge.bench.peers;

import dev.nudge.engine.PeerDeduplicator;
import dev.nudge.event.CartUpdated;
import dev.nudge.event.CheckoutCompleted;
import dev.nudge.event.CustomerEvent;
import dev.nudge.event.Item;
import dev.nudge.event.ProductViewed;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The expected mails of the comparison, computed in plain Java from the whole stream at once: the one place where the
 * triggers the peers implement are defined. All times are event times in milliseconds; "in [a, b]" includes both ends.
 *
 * <ul>
 * <li><b>Dedup</b>: a delivery whose event id was seen before (within the dedup window) is dropped.</li>
 * <li><b>Cart abandonment</b> ({@value Mail#CART}, key: the cart id), as {@code rules/cart-abandonment.drl}: a cart
 *     update at t that is not empty falls due at t + 30 min unless the same customer's same cart is updated again in
 *     (t, t + 30 min] (empty or not) or the customer completes a checkout of that cart, or of no named cart, in
 *     [t, t + 30 min].</li>
 * <li><b>Browse abandonment</b> ({@value Mail#BROWSE}, key: the product id), as {@code rules/browse-abandonment.drl}:
 *     a view at t of a product falls due at t + 1 h when the same customer viewed that product at least twice more in
 *     [t - 1 h, t], did not view it again in [t, t + 1 h], and has no cart update holding it in [t - 1 h, t + 1 h].</li>
 * <li><b>Cap</b>, as the frequency cap of {@code rules/guards.drl}: of a customer's due mails, taken in due-time
 *     order (at the same instant a cart mail before a browse mail, then by key), one is sent only when no mail
 *     sent to that customer fell due in the 16 hours up to it (due - earlier due &lt;= 16 h blocks it).</li>
 * </ul>
 *
 * <p>What the shipped rules do besides, and the peers do not: re-eligibility (one mail per cart or product in 72 h),
 * consent and opt-outs, staff, VIP carts as their own campaign, quiet hours, holdouts, source freshness, other
 * triggers (checkout abandonment, pricing pages) whose mails count for the cap too, revocations and conversions. Two
 * updates of one cart, or two views of one product by one customer, in the same millisecond are not in this stream
 * (carts are one visit's, and a visit's events are seconds apart), so the rules' tie-breaks for them are not defined
 * here.
 */
final class TriggerOracle {

    static final long CART_WAIT = 30 * 60_000L;
    static final long BROWSE_WINDOW = 60 * 60_000L;
    static final int BROWSE_VIEWS = 3;
    static final long CAP = 16 * 60 * 60_000L;

    private TriggerOracle() {
    }

    /** The mails the triggers send on this stream, in due-time order. */
    static List<Mail> mails(List<CustomerEvent> stream, long dedupWindowMillis) {
        return capped(due(stream, dedupWindowMillis));
    }

    /** The mails the triggers make due on this stream, before the cap, in no set order. */
    static List<Mail> due(List<CustomerEvent> stream, long dedupWindowMillis) {
        PeerDeduplicator dedup = new PeerDeduplicator(dedupWindowMillis);
        Map<String, List<CartUpdated>> cartsByCustomer = new HashMap<>();
        Map<String, List<CheckoutCompleted>> checkouts = new HashMap<>();
        Map<String, List<ProductViewed>> views = new HashMap<>();
        for (CustomerEvent e : stream) {
            if (!dedup.firstSeen(e.eventId(), e.getEventTime())) {
                continue;
            }
            dedup.evictBefore(e.getEventTime());
            if (e instanceof CartUpdated c) {
                cartsByCustomer.computeIfAbsent(c.customerId(), k -> new ArrayList<>()).add(c);
            } else if (e instanceof CheckoutCompleted c) {
                checkouts.computeIfAbsent(c.customerId(), k -> new ArrayList<>()).add(c);
            } else if (e instanceof ProductViewed v) {
                views.computeIfAbsent(v.customerId() + '\u0000' + v.productId(), k -> new ArrayList<>()).add(v);
            }
        }
        List<Mail> due = new ArrayList<>();
        for (List<CartUpdated> carts : cartsByCustomer.values()) {
            for (CartUpdated c : carts) {
                if (!c.isEmpty() && cartAbandoned(c, carts, checkouts.getOrDefault(c.customerId(), List.of()))) {
                    due.add(new Mail(c.customerId(), Mail.CART, c.cartId(), c.getEventTime() + CART_WAIT));
                }
            }
        }
        for (List<ProductViewed> same : views.values()) {
            for (ProductViewed v : same) {
                if (browseAbandoned(v, same, cartsByCustomer.getOrDefault(v.customerId(), List.of()))) {
                    due.add(new Mail(v.customerId(), Mail.BROWSE, v.productId(), v.getEventTime() + BROWSE_WINDOW));
                }
            }
        }
        return due;
    }

    private static boolean cartAbandoned(CartUpdated c, List<CartUpdated> carts, List<CheckoutCompleted> bought) {
        long t = c.getEventTime();
        for (CartUpdated later : carts) {
            long d = later.getEventTime() - t;
            if (later != c && later.cartId().equals(c.cartId()) && d > 0 && d <= CART_WAIT) {
                return false;
            }
        }
        for (CheckoutCompleted o : bought) {
            long d = o.getEventTime() - t;
            if ((o.cartId() == null || o.cartId().equals(c.cartId())) && d >= 0 && d <= CART_WAIT) {
                return false;
            }
        }
        return true;
    }

    private static boolean browseAbandoned(ProductViewed v, List<ProductViewed> same, List<CartUpdated> carts) {
        long t = v.getEventTime();
        int earlier = 0;
        for (ProductViewed o : same) {
            long d = o.getEventTime() - t;
            if (o == v) {
                continue;
            }
            if (d >= 0 && d <= BROWSE_WINDOW) {
                return false;
            }
            if (d < 0 && d >= -BROWSE_WINDOW) {
                earlier++;
            }
        }
        if (earlier < BROWSE_VIEWS - 1) {
            return false;
        }
        for (CartUpdated c : carts) {
            long d = c.getEventTime() - t;
            if (d >= -BROWSE_WINDOW && d <= BROWSE_WINDOW && holds(c, v.productId())) {
                return false;
            }
        }
        return true;
    }

    private static boolean holds(CartUpdated c, String productId) {
        for (Item i : c.items()) {
            if (i.productId().equals(productId)) {
                return true;
            }
        }
        return false;
    }

    /** The cap: the first due wins, and each sent mail blocks the customer's next 16 hours. */
    static List<Mail> capped(List<Mail> candidates) {
        List<Mail> due = new ArrayList<>(candidates);
        due.sort(Comparator.comparingLong(Mail::dueMillis)
                .thenComparing(m -> Mail.CART.equals(m.campaign()) ? 0 : 1)
                .thenComparing(Mail::key));
        Map<String, Long> lastSent = new HashMap<>();
        List<Mail> sent = new ArrayList<>();
        for (Mail m : due) {
            Long last = lastSent.get(m.customerId());
            if (last == null || m.dueMillis() - last > CAP) {
                lastSent.put(m.customerId(), m.dueMillis());
                sent.add(m);
            }
        }
        return sent;
    }
}
