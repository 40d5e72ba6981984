package dev.nudge.demo;

import java.time.Duration;
import java.time.Instant;

/**
 * What {@link ShopperSimulator} produces: how many customers and deliveries over which stretch of event time, and
 * how imperfect the delivery is (duplicates, events delivered late).
 *
 * @param seed          same seed, same stream
 * @param customers     size of the customer population; each visit picks one at random, so some come back
 * @param events        deliveries to produce, duplicates included
 * @param start         event time of the beginning of the period (midnight, so the daily curve reads as hours)
 * @param span          length of the simulated period
 * @param duplicateRate share of events delivered a second time, with the same eventId, a little later
 * @param lateRate      share of events delivered after newer ones, by up to {@code maxDelay} of event time
 * @param maxDelay      how far behind a late event may arrive; keep it inside the engine's allowed lateness
 */
public record SimulatorConfig(long seed, int customers, long events, Instant start, Duration span,
                              double duplicateRate, double lateRate, Duration maxDelay) {

    /** A Monday midnight, so a one-day run reads as a whole shop day. */
    public static final Instant DEFAULT_START = Instant.parse("2026-03-02T00:00:00Z");

    public SimulatorConfig {
        if (customers < 1 || events < 0 || span.isNegative() || span.isZero()) {
            throw new IllegalArgumentException("need customers >= 1, events >= 0 and a positive span");
        }
        if (duplicateRate < 0 || duplicateRate > 1 || lateRate < 0 || lateRate > 1) {
            throw new IllegalArgumentException("duplicate and late rates are shares between 0 and 1");
        }
        if (maxDelay.toMillis() < 1_000) {
            throw new IllegalArgumentException("maxDelay must be at least one second");
        }
    }

    /** A day of traffic with 1% duplicates and 1% of events up to 30 s late. */
    public static SimulatorConfig of(long seed, int customers, long events, Duration span) {
        return new SimulatorConfig(seed, customers, events, DEFAULT_START, span, 0.01, 0.01, Duration.ofSeconds(30));
    }

    public SimulatorConfig withRates(double duplicates, double late) {
        return new SimulatorConfig(seed, customers, events, start, span, duplicates, late, maxDelay);
    }

    public SimulatorConfig withStart(Instant newStart) {
        return new SimulatorConfig(seed, customers, events, newStart, span, duplicateRate, lateRate, maxDelay);
    }
}
