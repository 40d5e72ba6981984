package dev.nudge.engine;

import dev.nudge.event.CartUpdated;
import dev.nudge.event.CustomerProfile;
import dev.nudge.event.Item;
import dev.nudge.testing.Paths;
import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Once time has moved on, nothing of a decided mail is left in memory, whatever path it took through the guards:
 * held for the night and released, or changed by a rule (time zone, VIP campaign). Drools kept every candidate that a
 * rule had changed in place, one per mail, for ever; this catches that kind of leak, which no fact count shows.
 */
class NothingRetainedTest {

    @Test
    void heldAndChangedMailsLeaveNothingBehind() throws Exception {
        List<WeakReference<CartUpdated>> carts = new ArrayList<>();
        EngineSettings settings = new EngineSettings(Duration.ofMinutes(1), Duration.ofHours(24), Duration.ofHours(1),
                Holdouts.NONE, QuietHours.parse("21:00-08:00", "UTC"), Map.of(), EngineSettings.DEFAULT_MAX_CLOCK_SKEW);
        int decided;
        RuleSet rules = new RuleCompiler(Clock.systemUTC()).compile(Paths.RULES).rules();
        try (PartitionEngine engine = new PartitionEngine(rules, settings)) {
            Instant night = Instant.parse("2026-03-02T22:00:00Z");
            for (int i = 0; i < 900; i++) {
                // a third in New York (their afternoon: sent at once, after a time-zone change), a third VIPs in the
                // default zone (held for the night, after a campaign change), a third plain (held)
                String customer = "c" + i;
                if (i % 3 == 0) {
                    engine.accept(new CustomerProfile("p" + i, customer, night.minusSeconds(60), null, null, null,
                            "America/New_York", true, Map.of()));
                } else if (i % 3 == 1) {
                    engine.accept(new CustomerProfile("p" + i, customer, night.minusSeconds(60), null, null, null,
                            null, true, Map.of("tier", "vip")));
                }
                CartUpdated cart = new CartUpdated("e" + i, customer, night.plusMillis(i), "cart-" + i,
                        List.of(new Item("lamp", "Lamp", BigDecimal.TEN, 1, null, null)));
                carts.add(new WeakReference<>(cart));
                engine.accept(cart);
            }
            decided = engine.advanceEventTime(night.plus(Duration.ofDays(5)).toEpochMilli()).size();
            assertEquals(engine.factsKeptForGood(), engine.factCount(), "only profiles are left in the session");
            // a collection may leave some weak references for the next one: ask again, a few times
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
                System.gc();
                assertEquals(0, carts.stream().filter(r -> r.get() != null).count(),
                        "carts (and the candidates that hold them) still reachable after all was decided");
            });
        }
        // 300 sent at once, 600 held and then sent: 1,500 records
        assertEquals(1500, decided);
    }
}
