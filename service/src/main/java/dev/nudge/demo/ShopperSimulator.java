package dev.nudge.demo;

import dev.nudge.event.CustomerEvent;

import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A seeded stream of realistic shopper traffic, made on the fly: visits start along a daily curve, each visit's
 * events are merged in event-time order, and the delivery adds the duplicates and late events a real pipeline sees.
 * Visits also carry the customer's profile, consent and mail events now and then ({@link AccountEvents}: about 1% of
 * events when customers come back often, up to 4% when most visits are first visits). Only the visits in progress
 * are in memory (a few thousand at a time), so millions of events need no memory.
 *
 * <p>It delivers {@link SimulatorConfig#events()} events, or a fraction of a percent fewer when the visits of the
 * period run out first. Not thread-safe. The same {@link SimulatorConfig} always gives the same deliveries in the
 * same order. A real-time demo takes {@link #next()} and waits until its arrival time (scaled as it likes); for a
 * demo that never ends, follow one day with a simulator of the next seed whose start is this one's end.
 */
public final class ShopperSimulator implements Iterator<SimulatedEvent> {

    // enough sample visits to know the mean to about 0.5%, a few hundred milliseconds at most
    private static final int MIN_SAMPLE = 5_000;
    private static final int MAX_SAMPLE = 50_000;
    // a hair more visits than the sampled mean asks for, so the stream usually reaches the requested count (the
    // excess is cut at the very end of the period) and otherwise falls short by a fraction of a percent
    private static final double SURPLUS = 1.005;

    /** A visit in progress: its planned events, how far it has got, and the time of its next event. */
    private static final class Visit implements Comparable<Visit> {
        final List<CustomerEvent> events;
        final long seq;
        int pos;
        // cached: the queue compares visits a dozen times per event, and reading it through the event is slow
        long time;

        Visit(List<CustomerEvent> events, long seq) {
            this.events = events;
            this.seq = seq;
            this.time = events.get(0).getEventTime();
        }

        CustomerEvent take() {
            CustomerEvent e = events.get(pos++);
            time = pos < events.size() ? events.get(pos).getEventTime() : Long.MAX_VALUE;
            return e;
        }

        @Override
        public int compareTo(Visit o) {
            return time != o.time ? Long.compare(time, o.time) : Long.compare(seq, o.seq);
        }
    }

    /** A delivery held back (late or repeated) until the stream reaches its arrival time. */
    private record Held(long seq, SimulatedEvent delivery) {
    }

    private final SimulatorConfig config;
    private final SplittableRandom visitsRng;
    // delivery faults draw from their own generator, so they do not shift the shoppers' random draws
    private final SplittableRandom faultsRng;
    private final SessionPlanner planner;
    // a generator of its own, so the shopping in each visit is what it was before profiles and consent were added
    private final AccountEvents account;
    private final ArrivalCurve arrivals;
    private final PriorityQueue<Visit> active = new PriorityQueue<>();
    private final PriorityQueue<Held> held = new PriorityQueue<>(
            Comparator.comparingLong((Held h) -> h.delivery().arrivalMillis()).thenComparingLong(Held::seq));
    private final long maxDelay;
    private final int idWidth;
    private long nextArrival;
    private CustomerEvent source;
    private SimulatedEvent lookahead;
    private long delivered;
    private long seq;

    public ShopperSimulator(SimulatorConfig config) {
        this(config, new Catalogue());
    }

    /** Shoppers of this catalogue's shop. */
    ShopperSimulator(SimulatorConfig config, Catalogue catalogue) {
        this.config = config;
        this.visitsRng = new SplittableRandom(config.seed());
        this.faultsRng = new SplittableRandom(config.seed() * 0x9E3779B97F4A7C15L + 1);
        this.planner = new SessionPlanner(visitsRng, catalogue);
        int sample = (int) Math.max(MIN_SAMPLE, Math.min(MAX_SAMPLE, config.events() / 6));
        this.account = new AccountEvents(new SplittableRandom(config.seed() * 0x9E3779B97F4A7C15L + 2),
                config.seed(), config.customers());
        double perVisit = meanEventsPerVisit(config.seed(), catalogue, sample) + AccountEvents.PER_VISIT;
        double sourceEvents = config.events() / (1 + config.duplicateRate());
        long visits = config.events() == 0 ? 0 : (long) Math.ceil(visitsFor(sourceEvents, perVisit) * SURPLUS);
        this.arrivals = new ArrivalCurve(config.start().toEpochMilli(), config.span().toMillis(), visits,
                new SplittableRandom(config.seed() ^ 0x5DEECE66DL));
        this.nextArrival = arrivals.hasNext() ? arrivals.next() : Long.MAX_VALUE;
        this.maxDelay = config.maxDelay().toMillis();
        this.idWidth = Integer.toString(config.customers() - 1).length();
    }

    /** Events per visit on average, measured on a throw-away sample so the count comes out close to the request. */
    private static double meanEventsPerVisit(long seed, Catalogue catalogue, int visits) {
        SessionPlanner planner = new SessionPlanner(new SplittableRandom(~seed), catalogue);
        long events = 0;
        for (int i = 0; i < visits; i++) {
            events += planner.plan("sample", 0).size();
        }
        return events / (double) visits;
    }

    /**
     * Visits that make {@code events} events, counting each customer's first profile: fewer customers are new as
     * visits grow, so the count is found by iteration (it converges: a visit adds at most one first profile).
     */
    private double visitsFor(double events, double perVisit) {
        double visits = events / perVisit;
        for (int i = 0; i < 50; i++) {
            visits = Math.max(1, events - AccountEvents.expectedFirstProfiles(config.customers(), visits)) / perVisit;
        }
        return visits;
    }

    public SimulatorConfig config() {
        return config;
    }

    @Override
    public boolean hasNext() {
        if (lookahead == null) {
            lookahead = advance();
        }
        return lookahead != null;
    }

    /** The next delivery; wait until its {@link SimulatedEvent#arrivalMillis()} to replay in real time. */
    @Override
    public SimulatedEvent next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        SimulatedEvent e = lookahead;
        lookahead = null;
        return e;
    }

    /** The rest of the stream, lazily. */
    public Stream<SimulatedEvent> stream() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(this,
                Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    private SimulatedEvent advance() {
        if (delivered >= config.events()) {
            return null;
        }
        while (true) {
            if (source == null) {
                source = nextInEventTime();
            }
            long sourceTime = source == null ? Long.MAX_VALUE : source.getEventTime();
            if (!held.isEmpty() && held.peek().delivery().arrivalMillis() <= sourceTime) {
                return count(held.poll().delivery());
            }
            if (source == null) {
                return null;
            }
            CustomerEvent e = source;
            source = null;
            long time = e.getEventTime();
            long arrival = time;
            if (faultsRng.nextDouble() < config.lateRate()) {
                arrival = time + 1_000 + faultsRng.nextLong(maxDelay - 999);
                held.add(new Held(seq++, new SimulatedEvent(arrival, e, SimulatedEvent.Kind.LATE)));
            }
            if (faultsRng.nextDouble() < config.duplicateRate()) {
                // the repeat comes after the first delivery, and still within maxDelay of the event
                long again = Math.min(time + maxDelay, arrival + 100 + faultsRng.nextLong(maxDelay / 2));
                held.add(new Held(seq++, new SimulatedEvent(again, e, SimulatedEvent.Kind.DUPLICATE)));
            }
            if (arrival == time) {
                return count(new SimulatedEvent(time, e, SimulatedEvent.Kind.IN_ORDER));
            }
        }
    }

    private SimulatedEvent count(SimulatedEvent e) {
        delivered++;
        return e;
    }

    /** The earliest event of all visits, starting every visit that begins before it. */
    private CustomerEvent nextInEventTime() {
        while (nextArrival != Long.MAX_VALUE && (active.isEmpty() || nextArrival <= active.peek().time)) {
            int customer = visitsRng.nextInt(config.customers());
            String id = customerId(customer);
            List<CustomerEvent> events = planner.plan(id, nextArrival);
            account.addTo(events, customer, id);
            active.add(new Visit(events, seq++));
            nextArrival = arrivals.hasNext() ? arrivals.next() : Long.MAX_VALUE;
        }
        Visit v = active.poll();
        if (v == null) {
            return null;
        }
        CustomerEvent e = v.take();
        if (v.time != Long.MAX_VALUE) {
            active.add(v);
        }
        return e;
    }

    private String customerId(int n) {
        String digits = Integer.toString(n);
        return "cust-" + "0".repeat(idWidth - digits.length()) + digits;
    }
}
