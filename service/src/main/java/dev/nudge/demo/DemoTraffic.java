package dev.nudge.demo;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Endless shopper traffic for {@code nudge run}: the busy half of one simulated day after another (10:00 to 22:00),
 * joined end to end so the demo never sits through a quiet night.
 */
public final class DemoTraffic implements Iterator<SimulatedEvent> {

    private static final Duration OPEN = Duration.ofHours(10);
    private static final Duration BUSY = Duration.ofHours(12);
    /** Events per shopper per busy half-day: enough for carts, views and checkouts to show up every few seconds. */
    private static final int EVENTS_PER_SHOPPER = 30;

    private final int shoppers;
    private final long seed;
    private final Catalogue catalogue;
    private int day;
    private ShopperSimulator current;

    /** Shoppers of the placeholder shop at {@code https://shop.example}. */
    public DemoTraffic(int shoppers, long seed) {
        this(shoppers, seed, new Catalogue());
    }

    /** Shoppers of the demo shop at {@code shop}: their mails link to its pages and show its images. */
    public DemoTraffic(int shoppers, long seed, String shop) {
        this(shoppers, seed, Catalogue.servedAt(shop));
    }

    private DemoTraffic(int shoppers, long seed, Catalogue catalogue) {
        this.shoppers = shoppers;
        this.seed = seed;
        this.catalogue = catalogue;
        this.current = simulator(0);
    }

    private ShopperSimulator simulator(int d) {
        Instant start = SimulatorConfig.DEFAULT_START.plus(Duration.ofDays(d)).plus(OPEN);
        return new ShopperSimulator(new SimulatorConfig(seed + d, shoppers, (long) shoppers * EVENTS_PER_SHOPPER,
                start, BUSY, 0.01, 0.01, Duration.ofSeconds(30)), catalogue);
    }

    @Override
    public boolean hasNext() {
        return true;
    }

    /** The next delivery, with the nights cut out of its times: day {@code d} is moved back by {@code d} nights. */
    @Override
    public SimulatedEvent next() {
        while (!current.hasNext()) {
            current = simulator(++day);
        }
        SimulatedEvent e = current.next();
        if (e == null) {
            throw new NoSuchElementException();
        }
        long shift = Duration.ofDays(day).minus(BUSY.multipliedBy(day)).toMillis();
        return new SimulatedEvent(e.arrivalMillis() - shift,
                Restamp.of(e.event(), "d" + day + "-", Instant.ofEpochMilli(e.event().getEventTime() - shift)), e.kind());
    }
}
