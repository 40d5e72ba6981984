package dev.nudge.engine;

import dev.nudge.decision.Conversion;
import dev.nudge.decision.DecisionKind;
import dev.nudge.event.CartUpdated;
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
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** rules/conversions.drl: which order converts which decision, in which arm, once. */
class ConversionsTest {

    private static final Instant T = Instant.parse("2026-03-02T10:00:00Z");
    private static RuleSet rules;

    @BeforeAll
    static void compile() throws Exception {
        rules = new RuleCompiler(Clock.systemUTC()).compile(Paths.RULES).rules();
    }

    private static PartitionEngine engine(int holdoutPercent) {
        return new PartitionEngine(rules, new EngineSettings(Duration.ofMinutes(1), Duration.ofHours(24),
                EngineSettings.NEVER_STALE, new Holdouts(holdoutPercent, Map.of()), QuietHours.NONE, Map.of(),
                EngineSettings.DEFAULT_MAX_CLOCK_SKEW));
    }

    private static CartUpdated cart(String cartId, Instant at) {
        return new CartUpdated("c-" + cartId, "ana", at, cartId,
                List.of(new Item("mug", "Mug", new BigDecimal("12.50"), 1, null, null)));
    }

    private static CheckoutCompleted order(String id, String cartId, Instant at) {
        return new CheckoutCompleted(id, "ana", at, cartId, id, new BigDecimal("12.50"), "EUR");
    }

    private static Instant at(Duration d) {
        return T.plus(d);
    }

    @Test
    void theFirstOrderOfTheMailedCartWithinTheWindowConvertsItOnce() {
        try (PartitionEngine e = engine(0)) {
            e.accept(cart("cart-1", T));
            var decided = e.accept(new PageVisited("p1", "ana", at(Duration.ofMinutes(31)), "/")).decisions();
            assertEquals(DecisionKind.MAIL, decided.get(0).kind());
            assertEquals(List.of(), e.accept(order("o-other", "cart-2", at(Duration.ofMinutes(40)))).conversions(),
                    "an order of another cart does not convert a cart mail");

            List<Conversion> c = e.accept(order("o-1", "cart-1", at(Duration.ofHours(2)))).conversions();
            assertEquals(1, c.size());
            Conversion conv = c.get(0);
            assertEquals(Conversion.CONVERTED, conv.kind());
            assertEquals(decided.get(0).decisionId(), conv.decisionId());
            assertEquals("cart-abandonment", conv.campaign());
            assertEquals(Conversion.MAILED, conv.arm());
            assertEquals("o-1", conv.orderId());
            assertEquals(new BigDecimal("12.50"), conv.revenue());
            assertEquals(90 * 60L, conv.secondsToConvert(), "from the decision at 00:30 to the order at 02:00");
            assertEquals(decided.get(0).rulesVersion(), conv.rulesVersion());
            assertEquals(List.of(), e.accept(order("o-2", null, at(Duration.ofHours(3)))).conversions(),
                    "one conversion a decision");
        }
    }

    @Test
    void aHeldOutDecisionConvertsToo() {
        try (PartitionEngine e = engine(100)) {
            e.accept(cart("cart-1", T));
            assertEquals(DecisionKind.HOLDOUT, e.accept(new PageVisited("p1", "ana", at(Duration.ofMinutes(31)), "/"))
                    .decisions().get(0).kind());
            List<Conversion> c = e.accept(order("o-1", null, at(Duration.ofHours(5)))).conversions();
            assertEquals(Conversion.HOLDOUT, c.get(0).arm(), "intent to treat: the holdout is counted the same way");
        }
    }

    @Test
    void anOrderBeforeTheDecisionOrAfterTheWindowConvertsNothing() {
        try (PartitionEngine e = engine(0)) {
            e.accept(cart("cart-1", T));
            // an order naming another cart does not cancel cart-1's mail, and comes before it is decided
            assertEquals(List.of(), e.accept(order("o-early", "cart-9", at(Duration.ofMinutes(10)))).conversions());
            assertEquals(1, e.accept(new PageVisited("p1", "ana", at(Duration.ofMinutes(31)), "/")).decisions().size());
            e.accept(new PageVisited("p2", "ana", at(Duration.ofHours(70)), "/"));
            assertEquals(List.of(), e.accept(order("o-late", "cart-1", at(Duration.ofMinutes(30).plusHours(72)
                    .plusSeconds(1)))).conversions(), "72 hours and a second after the decision: outside the window");
        }
    }
}
