package dev.nudge.event;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * An event of one customer id told again under the id it was merged into, with an id of its own: the same event
 * re-keyed twice gets the same id (a redelivery stays a duplicate), and never the original's (the two ids may share a
 * partition, whose dedup would take the copy for a repeat).
 */
public final class Rekey {

    private Rekey() {
    }

    public static CustomerEvent to(CustomerEvent e, String customer) {
        String id = eventId(e.eventId(), e.customerId());
        if (e instanceof CartUpdated c) {
            return new CartUpdated(id, customer, c.timestamp(), c.cartId(), c.items());
        }
        if (e instanceof CartChanged c) {
            return new CartChanged(id, customer, c.timestamp(), c.cartId(), c.product(), c.change());
        }
        if (e instanceof CheckoutCompleted c) {
            return new CheckoutCompleted(id, customer, c.timestamp(), c.cartId(), c.orderId(), c.total(), c.currency(),
                    c.email());
        }
        if (e instanceof ProductViewed p) {
            return new ProductViewed(id, customer, p.timestamp(), p.productId(), p.name(), p.price(), p.url(),
                    p.imageUrl(), p.currency(), p.category());
        }
        if (e instanceof PageVisited p) {
            return new PageVisited(id, customer, p.timestamp(), p.url());
        }
        if (e instanceof CustomerProfile p) {
            return new CustomerProfile(id, customer, p.timestamp(), p.email(), p.firstName(), p.locale(), p.timeZone(),
                    p.marketingConsent(), p.attributes());
        }
        if (e instanceof EmailSent s) {
            return new EmailSent(id, customer, s.timestamp(), s.decisionId(), s.campaign());
        }
        if (e instanceof EmailFailed f) {
            return new EmailFailed(id, customer, f.timestamp(), f.decisionId(), f.campaign(), f.permanent(), f.reason());
        }
        if (e instanceof Unsubscribed u) {
            return new Unsubscribed(id, customer, u.timestamp(), u.campaign());
        }
        if (e instanceof Subscribed s) {
            return new Subscribed(id, customer, s.timestamp());
        }
        if (e instanceof SpamComplaint s) {
            return new SpamComplaint(id, customer, s.timestamp(), s.campaign());
        }
        if (e instanceof EmailBounced b) {
            return new EmailBounced(id, customer, b.timestamp(), b.hard(), b.detail(), b.campaign());
        }
        // a merge is about the id it names, never one of that id's facts
        throw new IllegalArgumentException("not re-keyed: " + e.type() + " " + e.eventId());
    }

    /** {@code <event id>@<old customer id>}, or a name-based UUID of the two when that would be too long for an id. */
    public static String eventId(String eventId, String from) {
        String id = eventId + "@" + from;
        if (id.length() <= Fields.MAX_ID) {
            return id;
        }
        return UUID.nameUUIDFromBytes(id.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
