package dev.nudge.engine;

import dev.nudge.decision.Decision;
import dev.nudge.decision.DecisionKind;
import dev.nudge.event.CartUpdated;
import dev.nudge.event.CheckoutCompleted;
import dev.nudge.event.CustomerProfile;
import dev.nudge.event.Item;
import dev.nudge.event.PageVisited;
import dev.nudge.event.Refusal;
import dev.nudge.event.Unsubscribed;
import dev.nudge.testing.Paths;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a partition refuses to let into event time: events from the future, and events older than the dedup window. */
class EventAdmissionTest {

    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    private static final Instant FAR_FUTURE = Instant.parse("2099-01-01T00:00:00Z");
    private static RuleSet rules;

    @BeforeAll
    static void compile() throws Exception {
        rules = new RuleCompiler(Clock.systemUTC()).compile(Paths.RULES).rules();
    }

    private static PartitionEngine engine() {
        return new PartitionEngine(rules, new EngineSettings(Duration.ofMinutes(1), Duration.ofHours(24),
                Duration.ofHours(1), Holdouts.NONE, QuietHours.NONE, Map.of("CheckoutCompleted", Duration.ofHours(1)),
                Duration.ofMinutes(5)));
    }

    private static long received(Instant t) {
        return t.toEpochMilli();
    }

    private static CartUpdated cart(String id, String customer, Instant t) {
        return new CartUpdated(id, customer, t, "cart-" + customer,
                List.of(new Item("mug", "Mug", new BigDecimal("12.00"), 1, null, null)));
    }

    @Test
    void anEventFromTheFutureIsRefusedAndMovesNothing() {
        try (PartitionEngine e = engine()) {
            e.accept(cart("c1", "ana", T0), received(T0));
            long watermark = e.watermark();
            PartitionEngine.Outcome o = e.accept(new PageVisited("f1", "mal", FAR_FUTURE, "/"), received(T0));
            assertEquals(Refusal.Kind.CLOCK_SKEW, o.refused().kind());
            assertEquals(watermark, e.watermark(), "event time did not move");
            assertEquals(T0.toEpochMilli(), e.maxEventTime());
            // Ana buys ten minutes after her cart: no mail, and the partition goes on deciding for others
            e.accept(new CheckoutCompleted("k1", "ana", T0.plusSeconds(600), "cart-ana", "o-1", null, null),
                    received(T0.plusSeconds(600)));
            e.accept(cart("c2", "bob", T0.plusSeconds(660)), received(T0.plusSeconds(660)));
            List<Decision> due = e.accept(new PageVisited("v1", "zoe", T0.plusSeconds(3000), "/"),
                    received(T0.plusSeconds(3000))).decisions();
            assertEquals(1, due.size(), due.toString());
            assertEquals("bob", due.get(0).customerId());
            assertEquals(DecisionKind.MAIL, due.get(0).kind(), "a real mail, not stale-data");
        }
    }

    @Test
    void anEventUpToTheMaximumSkewAheadIsUsed() {
        try (PartitionEngine e = engine()) {
            assertNull(e.accept(cart("c1", "ana", T0.plusSeconds(300)), received(T0)).refused());
            assertEquals(Refusal.Kind.CLOCK_SKEW,
                    e.accept(cart("c2", "bob", T0.plusSeconds(301)), received(T0)).refused().kind());
        }
    }

    @Test
    void anEventOlderThanTheDedupWindowIsRefusedButConsentAndProfilesAreKept() {
        try (PartitionEngine e = engine()) {
            e.accept(new PageVisited("v1", "zoe", T0, "/"), received(T0));
            Instant old = T0.minus(Duration.ofHours(25));
            PartitionEngine.Outcome cart = e.accept(cart("c1", "ana", old), received(T0));
            assertEquals(Refusal.Kind.TOO_OLD, cart.refused().kind());
            assertTrue(cart.refused().reason().contains("dedup window"), cart.refused().reason());
            assertNull(e.accept(new Unsubscribed("u1", "ana", old, null), received(T0)).refused(),
                    "an opt-out is never lost, however late");
            assertNull(e.accept(new CustomerProfile("p1", "ana", old, "ana@shop.example", "Ana", null, null, true,
                    Map.of()), received(T0)).refused());
        }
    }
}
