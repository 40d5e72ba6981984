package dev.nudge.demo;

import dev.nudge.event.CartUpdated;
import dev.nudge.event.CheckoutCompleted;
import dev.nudge.event.CustomerEvent;
import dev.nudge.event.Item;
import dev.nudge.event.PageVisited;
import dev.nudge.event.ProductViewed;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Plans one shopper's visit as a short list of events in event-time order: some leave at once, some browse (a few
 * keep coming back to one product), some fill a cart and leave it, some buy within minutes, a few read the pricing
 * pages. The shares are chosen so that every shipped trigger fires now and then, as in a real shop.
 */
final class SessionPlanner {

    private static final double BOUNCE = 0.25;
    private static final double BROWSE = 0.37;        // the rest fill a cart
    private static final double FIXATED = 0.15;       // browsers who keep viewing one product
    private static final double BUY = 0.40;           // of those who fill a cart
    private static final double PRICING = 0.06;       // sessions that read a pricing page
    private static final double PRICING_AGAIN = 0.45; // of those, who read one twice
    private static final BigDecimal FREE_SHIPPING = new BigDecimal("50");
    private static final BigDecimal SHIPPING = new BigDecimal("4.90");

    private final SplittableRandom rng;
    private final Catalogue catalogue;
    private long carts;
    private long orders;
    private List<CustomerEvent> out;
    private String customer;
    private long t;

    SessionPlanner(SplittableRandom rng, Catalogue catalogue) {
        this.rng = rng;
        this.catalogue = catalogue;
    }

    List<CustomerEvent> plan(String customerId, long startMillis) {
        out = new ArrayList<>(12);
        customer = customerId;
        t = startMillis;
        page(catalogue.landingPage(rng));
        boolean pricing = rng.nextDouble() < PRICING;
        if (pricing) {
            page(catalogue.pricingPage(rng));
        }
        double kind = rng.nextDouble();
        if (kind < BOUNCE) {
            if (rng.nextBoolean()) {
                view(catalogue.product(rng));
            }
        } else if (kind < BOUNCE + BROWSE) {
            browse(3 + rng.nextInt(8), rng.nextDouble() < FIXATED);
        } else {
            Catalogue.Product focus = browse(2 + rng.nextInt(5), rng.nextDouble() < FIXATED / 2);
            fillCart(focus, rng.nextDouble() < BUY);
        }
        if (pricing && rng.nextDouble() < PRICING_AGAIN && !(out.get(out.size() - 1) instanceof CheckoutCompleted)) {
            page(catalogue.pricingPage(rng));
        }
        return out;
    }

    /** Views and pages; a fixated shopper returns to one product, which is what browse abandonment looks for. */
    private Catalogue.Product browse(int steps, boolean fixated) {
        Catalogue.Product focus = catalogue.product(rng);
        view(focus);
        for (int i = 0; i < steps; i++) {
            double x = rng.nextDouble();
            if (fixated && x < 0.45) {
                view(focus);
            } else if (x < 0.75) {
                view(catalogue.product(rng));
            } else {
                page(catalogue.browsingPage(rng));
            }
        }
        return focus;
    }

    private void fillCart(Catalogue.Product focus, boolean buy) {
        String cartId = "cart-" + Long.toString(++carts, 36) + "-" + customer;
        List<Item> cart = new ArrayList<>(4);
        int lines = 1 + (rng.nextInt(3) == 0 ? 1 + rng.nextInt(2) : 0);
        for (int i = 0; i < lines; i++) {
            Catalogue.Product p = i == 0 && rng.nextDouble() < 0.6 ? focus : catalogue.product(rng);
            if (i > 0) {
                view(p);
            }
            if (cart.stream().noneMatch(it -> it.productId().equals(p.productId()))) {
                cart.add(p.line(rng.nextInt(5) == 0 ? 2 : 1));
            }
            emit(new CartUpdated(id(), customer, at(), cartId, cart));
        }
        if (rng.nextInt(10) == 0) { // changes their mind about the last line
            cart.remove(cart.size() - 1);
            emit(new CartUpdated(id(), customer, at(), cartId, cart));
        }
        if (!buy || cart.isEmpty()) {
            if (rng.nextBoolean()) {
                page(Catalogue.CART_PAGE);
            }
            return;
        }
        page(Catalogue.CART_PAGE);
        page(Catalogue.CHECKOUT_PAGE);
        BigDecimal total = BigDecimal.ZERO;
        for (Item it : cart) {
            total = total.add(it.price().multiply(BigDecimal.valueOf(it.quantity())));
        }
        if (total.compareTo(FREE_SHIPPING) < 0) {
            total = total.add(SHIPPING);
        }
        t += 30_000 + rng.nextLong(6 * 60_000); // paying takes a few minutes
        // some shops do not say which cart was bought
        String boughtCart = rng.nextInt(20) == 0 ? null : cartId;
        out.add(new CheckoutCompleted(id(), customer, Instant.ofEpochMilli(t), boughtCart,
                "order-" + Long.toString(++orders, 36), total, "EUR"));
    }

    private void view(Catalogue.Product p) {
        emit(new ProductViewed(id(), customer, at(), p.productId(), p.name(), p.price(), p.url(), p.imageUrl(),
                p.line(1).currency(), p.category()));
    }

    private void page(String url) {
        emit(new PageVisited(id(), customer, at(), url));
    }

    private void emit(CustomerEvent e) {
        out.add(e);
    }

    /** The next event's time: a few seconds to a few minutes of reading after the previous one. */
    private Instant at() {
        if (!out.isEmpty()) {
            t += 2_000 + Math.min(300_000, (long) (-Math.log(1.0 - rng.nextDouble()) * 35_000));
        }
        return Instant.ofEpochMilli(t);
    }

    private String id() {
        return uuid(rng);
    }

    /** A random (version 4 shaped) UUID from a seeded generator: realistic length, reproducible. */
    static String uuid(SplittableRandom rng) {
        long hi = (rng.nextLong() & ~0xF000L) | 0x4000L;
        long lo = (rng.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(hi, lo).toString();
    }
}
