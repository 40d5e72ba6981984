package dev.nudge.demo;

import dev.nudge.event.CartUpdated;
import dev.nudge.event.CheckoutCompleted;
import dev.nudge.event.CustomerEvent;
import dev.nudge.event.PageVisited;
import dev.nudge.event.ProductViewed;

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
            return new ProductViewed(id, v.customerId(), time, v.productId(), v.name(), v.price(), v.url(), v.imageUrl());
        }
        PageVisited p = (PageVisited) e;
        return new PageVisited(id, p.customerId(), time, p.url());
    }
}
