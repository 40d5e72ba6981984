package dev.nudge.engine;

import dev.nudge.event.CheckoutCompleted;
import dev.nudge.event.PageVisited;
import dev.nudge.testing.Paths;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A trigger that needs the absence of an event ("no purchase before the visit") is only decided once the allowed
 * lateness has passed: until then the purchase may still arrive.
 */
class AbsenceWaitsForLatenessTest {

    private static final Instant T = Instant.parse("2026-03-02T10:00:00Z");
    private static RuleSet rules;

    @BeforeAll
    static void compile() throws Exception {
        rules = new RuleCompiler(Clock.systemUTC()).compile(Paths.RULES).rules();
    }

    private static PageVisited pricing(String id, Instant t) {
        return new PageVisited(id, "ana", t, "https://shop.example/pricing");
    }

    @Test
    void secondPricingVisitWaitsForTheLatenessThenIsDecided() {
        try (PartitionEngine e = new PartitionEngine(rules, Duration.ofMinutes(1), Duration.ofHours(24))) {
            e.accept(pricing("v1", T));
            assertTrue(e.accept(pricing("v2", T.plusSeconds(10))).decisions().isEmpty(),
                    "a purchase stamped before the visit may still arrive for a minute");
            var d = e.accept(new PageVisited("v3", "bob", T.plusSeconds(71), "https://shop.example/")).decisions();
            assertEquals(1, d.size());
            assertEquals(T.plusSeconds(10), d.get(0).decidedAt());
        }
    }

    @Test
    void purchaseArrivingLateButStampedBeforeTheVisitPreventsTheMail() {
        try (PartitionEngine e = new PartitionEngine(rules, Duration.ofMinutes(1), Duration.ofHours(24))) {
            e.accept(pricing("v1", T));
            e.accept(pricing("v2", T.plusSeconds(10)));
            e.accept(new CheckoutCompleted("k1", "ana", T.plusSeconds(5), null, "o-1", BigDecimal.TEN, "EUR"));
            assertTrue(e.advanceEventTime(T.plus(Duration.ofHours(30)).toEpochMilli()).isEmpty());
        }
    }
}
