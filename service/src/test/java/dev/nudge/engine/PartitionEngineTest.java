package dev.nudge.engine;

import dev.nudge.decision.Decision;
import dev.nudge.event.CartChanged;
import dev.nudge.event.CartChanged.Change;
import dev.nudge.event.CartUpdated;
import dev.nudge.event.ProductViewed;
import dev.nudge.event.CustomerEvent;
import dev.nudge.event.CustomerMerged;
import dev.nudge.event.CheckoutCompleted;
import dev.nudge.event.Item;
import dev.nudge.event.PageVisited;
import dev.nudge.testing.Paths;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Event time, lateness, cart changes and memory of one partition's session, driven with the pseudo clock. */
class PartitionEngineTest {

    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    private static RuleSet rules;

    @BeforeAll
    static void compile() throws Exception {
        rules = new RuleCompiler(Clock.systemUTC()).compile(Paths.RULES).rules();
    }

    private static Instant at(int minutes, int seconds) {
        return T0.plusSeconds(minutes * 60L + seconds);
    }

    private static CartUpdated cart(String id, Instant t) {
        return new CartUpdated(id, "ana", t, "cart-1",
                List.of(new Item("mug", "Mug", new BigDecimal("12.00"), 1, null, null)));
    }

    /** The visit of a demo-shop visitor who signs in at the end: every fact of the anonymous id moves, in time order. */
    @Test
    void aMergeMovesEveryFactOfTheMergedIdInTimeOrderAndLeavesNoneBehind() {
        try (PartitionEngine e = new PartitionEngine(rules, Duration.ofMinutes(1), Duration.ofHours(24))) {
            // pages the rules read (pricing, checkout): a page no rule can match is not kept, so has nothing to move
            e.accept(new PageVisited("p1", "anon", at(0, 0), "http://127.0.0.1/shop/pricing"));
            e.accept(new PageVisited("p2", "anon", at(0, 10), "http://127.0.0.1/shop/checkout"));
            e.accept(new ProductViewed("v1", "anon", at(0, 11), "shoe-42", "Shoe", BigDecimal.TEN, null, null));
            e.accept(new CartUpdated("c1", "anon", at(0, 20), "cart-9",
                    List.of(new Item("shoe-42", "Shoe", BigDecimal.TEN, 1, null, null))));
            e.accept(new PageVisited("p3", "anon", at(0, 21), "http://127.0.0.1/shop/pricing?plan=pro"));
            e.accept(new PageVisited("p4", "ana", at(0, 25), "http://127.0.0.1/shop/pricing"));
            long before = e.factCount();

            PartitionEngine.Outcome merged = e.accept(new CustomerMerged("m1", "anon", at(0, 30), "ana"));
            assertEquals(List.of("p1@anon", "p2@anon", "v1@anon", "c1@anon", "p3@anon"),
                    merged.forwards().stream().map(CustomerEvent::eventId).toList());
            assertTrue(merged.forwards().stream().allMatch(f -> f.customerId().equals("ana")));
            assertEquals(before - 5, e.factCount(), "nothing of the anonymous id stays");
            // its later events follow, and the merge is kept for good
            PartitionEngine.Outcome later = e.accept(new PageVisited("p5", "anon", at(1, 0), "/"));
            assertEquals("p5@anon", later.forwards().get(0).eventId());
            assertEquals("m1", merged.customerState().eventId());
        }
    }

    @Test
    void watermarkTrailsTheNewestEventByTheAllowedLateness() {
        try (PartitionEngine e = new PartitionEngine(rules, Duration.ofMinutes(1), Duration.ofHours(24))) {
            e.accept(cart("c1", at(0, 0)));
            assertEquals(at(-1, 0).toEpochMilli(), e.watermark());
            // an event at 30:30 does not yet close the 30 minutes: the lateness is still open
            assertTrue(e.accept(new PageVisited("v1", "ana", at(30, 30), "/")).decisions().isEmpty());
            List<Decision> d = e.accept(new PageVisited("v2", "ana", at(31, 0), "/")).decisions();
            assertEquals(1, d.size());
            assertEquals(at(30, 0), d.get(0).decidedAt());
        }
    }

    @Test
    void lateCheckoutInsideTheLatenessStillCancels() {
        try (PartitionEngine e = new PartitionEngine(rules, Duration.ofMinutes(1), Duration.ofHours(24))) {
            e.accept(cart("c1", at(0, 0)));
            e.accept(new PageVisited("v1", "ana", at(30, 50), "/"));
            PartitionEngine.Outcome late = e.accept(
                    new CheckoutCompleted("k1", "ana", at(29, 55), "cart-1", "o-1", BigDecimal.TEN, "EUR"));
            assertEquals(false, late.late(), "55 seconds behind the newest event is inside the lateness");
            assertTrue(e.advanceEventTime(at(120, 0).toEpochMilli()).isEmpty());
        }
    }

    @Test
    void repeatedEventIdIsIgnoredAndMemoryEmptiesOnceTimeMovesOn() {
        try (PartitionEngine e = new PartitionEngine(rules, Duration.ofMinutes(1), Duration.ofHours(24))) {
            e.accept(cart("c1", at(0, 0)));
            assertTrue(e.accept(cart("c1", at(0, 0))).duplicate());
            assertEquals(1, e.advanceEventTime(at(40, 0).toEpochMilli()).size());
            assertTrue(e.factCount() > 0);
            e.advanceEventTime(at(4 * 24 * 60, 0).toEpochMilli());
            assertEquals(0, e.factCount(), "every event type expires");
            assertEquals(0, e.dedupSize(), "dedup ids expire with their window");
        }
    }

    private static CartChanged change(String id, Instant t, String product, Change change) {
        return new CartChanged(id, "ana", t, "cart-1", new Item(product, null, BigDecimal.ONE, 1, null, null), change);
    }

    @Test
    void cartChangesReachTheRulesAsTheWholeCart() {
        try (PartitionEngine e = new PartitionEngine(rules, Duration.ofMinutes(1), Duration.ofHours(24))) {
            e.accept(change("a1", at(0, 0), "kettle", Change.ADD));
            e.accept(change("a2", at(5, 0), "mug", Change.ADD));
            e.accept(change("r1", at(10, 0), "mug", Change.REMOVE_ALL));
            List<Decision> d = e.advanceEventTime(at(60, 0).toEpochMilli());
            assertEquals(1, d.size(), d.toString());
            assertEquals(at(40, 0), d.get(0).decidedAt());
            assertEquals(List.of("r1"), d.get(0).eventIds());
            assertEquals(List.of(new Item("kettle", null, BigDecimal.ONE, 1, null, null)), d.get(0).payload().get("items"));
        }
    }

    @Test
    void cartsAreRememberedAsLongAsTheRulesKeepThemAndNoLonger() {
        Duration kept = rules.expiry(CartUpdated.class).orElseThrow();
        assertEquals(Duration.ofHours(5), kept, "the @expires of CartUpdated in rules/events.drl");
        try (PartitionEngine e = new PartitionEngine(rules, Duration.ofMinutes(1), Duration.ofHours(24))) {
            e.accept(change("a1", at(0, 0), "kettle", Change.ADD));
            e.accept(new CartUpdated("c1", "ana", at(1, 0), "cart-2", List.of()));
            assertEquals(2, e.cartsKnown());
            e.advanceTo(at(0, 0).plus(kept).toEpochMilli());
            assertEquals(2, e.cartsKnown(), "unchanged for exactly the retention: still known");
            e.advanceTo(at(0, 1).plus(kept).toEpochMilli());
            assertEquals(1, e.cartsKnown(), "unchanged for longer: forgotten");
            e.advanceEventTime(at(4 * 24 * 60, 0).toEpochMilli());
            assertEquals(0, e.cartsKnown());
            assertEquals(0, e.factCount());
        }
    }
}
