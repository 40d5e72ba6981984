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

/** Copies of simulated events with a run's own ids and times, so a second demo run is not taken for a replay. */
final class Restamp {

    private Restamp() {
    }

    static CustomerEvent of(CustomerEvent e, String idPrefix, Instant time) {
        String id = idPrefix + e.eventId();
        if (e instanceof CartUpdated c) {
            return new CartUpdated(id, c.customerId(), time, c.cartId(), c.items());
        }
        if (e instanceof CheckoutCompleted c) {
            return new CheckoutCompleted(id, c.customerId(), time, c.cartId(), c.orderId(), c.total(), c.currency());
        }
        if (e instanceof ProductViewed v) {
            return new ProductViewed(id, v.customerId(), time, v.productId(), v.name(), v.price(), v.url(), v.imageUrl(),
                    v.currency());
        }
        if (e instanceof PageVisited p) {
            return new PageVisited(id, p.customerId(), time, p.url());
        }
        return account(e, id, time);
    }

    private static CustomerEvent account(CustomerEvent e, String id, Instant time) {
        if (e instanceof CustomerProfile p) {
            return new CustomerProfile(id, p.customerId(), time, p.email(), p.firstName(), p.locale(), p.timeZone(),
                    p.marketingConsent(), p.attributes());
        }
        if (e instanceof EmailSent m) {
            return new EmailSent(id, m.customerId(), time, m.decisionId(), m.campaign());
        }
        if (e instanceof EmailFailed f) {
            return new EmailFailed(id, f.customerId(), time, f.decisionId(), f.campaign(), f.permanent(), f.reason());
        }
        if (e instanceof Unsubscribed u) {
            return new Unsubscribed(id, u.customerId(), time, u.campaign());
        }
        if (e instanceof Subscribed s) {
            return new Subscribed(id, s.customerId(), time);
        }
        if (e instanceof EmailBounced b) {
            return new EmailBounced(id, b.customerId(), time, b.hard(), b.detail(), b.campaign());
        }
        if (e instanceof SpamComplaint s) {
            return new SpamComplaint(id, s.customerId(), time, s.campaign());
        }
        throw new IllegalArgumentException("the simulator does not make " + e.type() + " events");
    }
}
