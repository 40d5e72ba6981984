package dev.nudge.engine;

import dev.nudge.decision.Decision;
import dev.nudge.decision.DecisionKind;
import dev.nudge.event.CartUpdated;
import dev.nudge.event.Item;
import dev.nudge.testing.Paths;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HoldoutsTest {

    @Test
    void theShareHeldOutMatchesThePercentage() {
        Holdouts tenPercent = new Holdouts(10, Map.of());
        int held = 0;
        for (int i = 0; i < 100_000; i++) {
            if (tenPercent.heldOut("cart-abandonment", "customer-" + i)) {
                held++;
            }
        }
        assertTrue(held > 9_700 && held < 10_300, "about 10% held out, got " + held);
    }

    @Test
    void aCustomerStaysInOrOutAndCampaignsAreIndependent() {
        Holdouts h = new Holdouts(50, Map.of("browse-abandonment", 0.0));
        for (int i = 0; i < 1000; i++) {
            String c = "customer-" + i;
            assertEquals(h.heldOut("cart-abandonment", c), new Holdouts(50, Map.of()).heldOut("cart-abandonment", c));
            assertFalse(h.heldOut("browse-abandonment", c), "the per-campaign 0% wins over the default");
        }
        int both = 0;
        for (int i = 0; i < 10_000; i++) {
            String c = "customer-" + i;
            if (h.heldOut("cart-abandonment", c) && h.heldOut("pricing-page-interest", c)) {
                both++;
            }
        }
        assertTrue(both > 2_300 && both < 2_700, "held out of both about a quarter of the time, got " + both);
    }

    @Test
    void decisionsOfHeldOutCustomersAreMarkedNotDropped() throws Exception {
        RuleSet rules = new RuleCompiler(Clock.systemUTC()).compile(Paths.RULES).rules();
        Instant t = Instant.parse("2026-03-02T10:00:00Z");
        try (PartitionEngine e = new PartitionEngine(rules, new EngineSettings(Duration.ofMinutes(1),
                Duration.ofHours(24), EngineSettings.NEVER_STALE, new Holdouts(100, Map.of()), QuietHours.NONE, Map.of(),
                EngineSettings.DEFAULT_MAX_CLOCK_SKEW))) {
            e.accept(new CartUpdated("c1", "ana", t, "cart-1", List.of(new Item("mug", "Mug", BigDecimal.ONE, 1, null, null))));
            List<Decision> d = e.advanceEventTime(t.plus(Duration.ofHours(1)).toEpochMilli());
            assertEquals(1, d.size());
            assertEquals(DecisionKind.HOLDOUT, d.get(0).kind());
        }
        assertThrows(IllegalArgumentException.class, () -> new Holdouts(101, Map.of()));
    }
}
