package dev.nudge.demo;

import dev.nudge.decision.Conversion;
import dev.nudge.decision.Decision;
import dev.nudge.engine.EngineSettings;
import dev.nudge.engine.Holdouts;
import dev.nudge.engine.PartitionEngine;
import dev.nudge.engine.QuietHours;
import dev.nudge.engine.RuleSet;
import dev.nudge.event.CartUpdated;
import dev.nudge.event.CustomerEvent;
import dev.nudge.event.CustomerProfile;
import dev.nudge.event.Item;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * A campaign experiment with a known answer, run through the real rules on event time: {@code customers} shoppers
 * leave a cart each, spread over ten days; the cart rule decides (mailed, or held out by the campaign's holdout);
 * each shopper answers the decision as {@link MailEffect} says, and their order comes back into the rules, which count
 * the conversions. What it returns is what the conversions topic would hold, for the campaign report to judge.
 */
public final class EffectSimulation {

    private static final Instant START = Instant.parse("2026-03-02T00:00:00Z");
    private static final Duration SPREAD = Duration.ofDays(10);
    private static final String[][] PRODUCTS = {{"kettle-1", "Kettle", "49.00"}, {"mug-2", "Mug", "9.00"},
            {"lamp-3", "Desk lamp", "39.00"}, {"tent-2p", "Two-person tent", "249.00"}};

    private EffectSimulation() {
    }

    /** The assignment and conversion records of one run; the same arguments give the same records. */
    public static List<Conversion> run(RuleSet rules, MailEffect effect, int customers, int holdoutPercent,
                                       long seed) {
        return run(rules, effect, customers, new Holdouts(holdoutPercent, Map.of()), seed);
    }

    /** {@link #run(RuleSet, MailEffect, int, int, long)} with holdouts and experiment variants of one's own. */
    public static List<Conversion> run(RuleSet rules, MailEffect effect, int customers, Holdouts holdouts, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        PriorityQueue<CustomerEvent> queue = new PriorityQueue<>(Comparator.comparingLong(CustomerEvent::getEventTime)
                .thenComparing(CustomerEvent::eventId));
        long step = SPREAD.toMillis() / customers;
        for (int i = 0; i < customers; i++) {
            String id = "sim-" + i;
            Instant at = START.plusMillis(i * step + rng.nextLong(step));
            queue.add(new CustomerProfile("p-" + id, id, at, id + "@mail.example", null, null, null, true, Map.of()));
            String[] p = PRODUCTS[rng.nextInt(PRODUCTS.length)];
            queue.add(new CartUpdated("c-" + id, id, at.plusSeconds(1), "cart-" + id,
                    List.of(new Item(p[0], p[1], new BigDecimal(p[2]), 1 + rng.nextInt(2), null, null))));
        }
        List<Conversion> records = new ArrayList<>();
        EngineSettings settings = new EngineSettings(Duration.ofMinutes(1), Duration.ofHours(24),
                EngineSettings.NEVER_STALE, holdouts, QuietHours.NONE, Map.of(),
                EngineSettings.DEFAULT_MAX_CLOCK_SKEW);
        try (PartitionEngine engine = new PartitionEngine(rules, settings)) {
            while (!queue.isEmpty()) {
                while (!queue.isEmpty()) {
                    PartitionEngine.Outcome o = engine.accept(queue.poll());
                    answer(o.decisions(), engine, effect, queue, records);
                    records.addAll(o.conversions());
                }
                // time runs on an hour: the last carts are decided, and their shoppers' orders (later still) follow
                answer(engine.advanceEventTime(engine.maxEventTime() + 3_600_000), engine, effect, queue, records);
            }
        }
        return records;
    }

    private static void answer(List<Decision> decisions, PartitionEngine engine, MailEffect effect,
                               PriorityQueue<CustomerEvent> queue, List<Conversion> records) {
        for (Decision d : decisions) {
            Conversion assigned = Conversion.assignmentOf(d, engine.conversionWindowMillis(d.rule()));
            if (assigned != null) {
                records.add(assigned);
                var order = effect.answer(d);
                if (order != null) {
                    queue.add(order);
                }
            }
        }
    }
}
