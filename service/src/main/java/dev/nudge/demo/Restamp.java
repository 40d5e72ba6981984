package dev.nudge.demo;

import dev.nudge.event.CartUpdated;
import dev.nudge.event.CheckoutCompleted;
import dev.nudge.event.CustomerEvent;
import dev.nudge.event.CustomerProfile;
import dev.nudge.event.EmailBounced;
import dev.nudge.event.EmailFailed;
import dev.nudge.event.EmailSent;
import dev.nudge.event.PageVisited;
import dev.nudge.event.ProductViewed;
import dev.nudge.event.SpamComplaint;
import dev.nudge.event.Subscribed;
import dev.nudge.event.Unsubscribed;

import java.time.Instant;

/**
 * Copies of simulated events with a run's own ids and times, so a second demo run is not taken for a replay, and, for
 * a resumed run, its own customers (a prefix on ids and addresses), whom the earlier runs' mails do not hold back.
 */
final class Restamp {

    private Restamp() {
    }

    static CustomerEvent of(CustomerEvent e, String idPrefix, Instant time) {
        return of(e, idPrefix, "", time);
    }

    static CustomerEvent of(CustomerEvent e, String idPrefix, String customerPrefix, Instant time) {
        String id = idPrefix + e.eventId();
        String customer = customerPrefix + e.customerId();
        if (e instanceof CartUpdated c) {
            return new CartUpdated(id, customer, time, c.cartId(), c.items());
        }
        if (e instanceof CheckoutCompleted c) {
            return new CheckoutCompleted(id, customer, time, c.cartId(), c.orderId(), c.total(), c.currency());
        }
        if (e instanceof ProductViewed v) {
            return new ProductViewed(id, customer, time, v.productId(), v.name(), v.price(), v.url(), v.imageUrl(),
                    v.currency(), v.category());
        }
        if (e instanceof PageVisited p) {
            return new PageVisited(id, customer, time, p.url());
        }
        return account(e, id, customer, customerPrefix, time);
    }

    private static CustomerEvent account(CustomerEvent e, String id, String customer, String customerPrefix,
                                         Instant time) {
        if (e instanceof CustomerProfile p) {
            String email = p.email() == null ? null : customerPrefix + p.email();
            return new CustomerProfile(id, customer, time, email, p.firstName(), p.locale(), p.timeZone(),
                    p.marketingConsent(), p.attributes());
        }
        if (e instanceof EmailSent m) {
            return new EmailSent(id, customer, time, m.decisionId(), m.campaign());
        }
        if (e instanceof EmailFailed f) {
            return new EmailFailed(id, customer, time, f.decisionId(), f.campaign(), f.permanent(), f.reason());
        }
        if (e instanceof Unsubscribed u) {
            return new Unsubscribed(id, customer, time, u.campaign());
        }
        if (e instanceof Subscribed s) {
            return new Subscribed(id, customer, time);
        }
        if (e instanceof EmailBounced b) {
            return new EmailBounced(id, customer, time, b.hard(), b.detail(), b.campaign());
        }
        if (e instanceof SpamComplaint s) {
            return new SpamComplaint(id, customer, time, s.campaign());
        }
        throw new IllegalArgumentException("the simulator does not make " + e.type() + " events");
    }
}
