package dev.nudge.pipeline;

import dev.nudge.decision.Decision;
import dev.nudge.engine.PartitionEngine;
import dev.nudge.engine.RuleCompiler;
import dev.nudge.engine.RuleSet;
import dev.nudge.event.CartUpdated;
import dev.nudge.event.Item;
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

/**
 * The idle tick: a quiet partition's event time runs on with the wall clock, so a lone cart is still mailed; but only
 * while the broker answers, since a partition that hears nothing from an absent broker is not quiet.
 */
class PartitionStateTest {

    private static final Instant T = Instant.parse("2026-03-02T10:00:00Z");
    private static final long WALL = 1_000_000L;
    private static final long SECOND = 1000;
    private static RuleSet rules;

    @BeforeAll
    static void compile() throws Exception {
        rules = new RuleCompiler(Clock.systemUTC()).compile(Paths.RULES).rules();
    }

    /** A partition whose only event, a cart at {@link #T}, arrived at wall time {@link #WALL}. */
    private static PartitionState stateWithOneCartSeenAtWall() {
        PartitionEngine engine = new PartitionEngine(rules, Duration.ofMinutes(1), Duration.ofHours(24));
        PartitionState s = new PartitionState(engine, new Checkpoint(Duration.ofHours(28).toMillis(), 0), -1,
                Long.MIN_VALUE);
        s.engine.accept(new CartUpdated("c1", "ana", T, "cart-1",
                List.of(new Item("mug", "Mug", BigDecimal.TEN, 1, null, null))));
        s.sawEvent(WALL);
        return s;
    }

    @Test
    void loneCartIsMailedWhenWallTimeHasCoveredTheDeadlinePlusLateness() {
        PartitionState s = stateWithOneCartSeenAtWall();
        assertTrue(s.tick(WALL + 1800 * SECOND, 0, SECOND, 1.0).isEmpty(), "30 minutes later the lateness is still open");
        List<Decision> d = s.tick(WALL + 1861 * SECOND, 0, SECOND, 1.0);
        assertEquals(1, d.size());
        assertEquals(T.plus(Duration.ofMinutes(30)), d.get(0).decidedAt());
    }

    @Test
    void clockSpeedScalesTheIdleTimeAndBusyPartitionsAreNotTicked() {
        PartitionState s = stateWithOneCartSeenAtWall();
        assertTrue(s.tick(WALL + 500, 0, SECOND, 120.0).isEmpty(), "not idle yet: no tick");
        assertEquals(1, s.tick(WALL + 16 * SECOND, 0, SECOND, 120.0).size(), "16 s at 120x is 32 minutes");
    }

    @Test
    void timeTheBrokerWasOutOfReachIsNotQuietTime() {
        PartitionState s = stateWithOneCartSeenAtWall();
        // at 60x: 5 s of answered fetches are 5 minutes of event time
        assertTrue(s.tick(WALL + 5 * SECOND, 0, SECOND, 60.0).isEmpty());
        // the broker answers again from WALL + 100 s: the 95 s between were not quiet, the shop's events were held up
        assertTrue(s.tick(WALL + 101 * SECOND, WALL + 100 * SECOND, SECOND, 60.0).isEmpty(),
                "6 minutes of quiet, not 101");
        assertTrue(s.tick(WALL + 125 * SECOND, WALL + 100 * SECOND, SECOND, 60.0).isEmpty(), "30 minutes: not yet");
        List<Decision> d = s.tick(WALL + 126 * SECOND, WALL + 100 * SECOND, SECOND, 60.0);
        assertEquals(1, d.size(), "31 minutes of quiet: the cart is due");
        assertEquals(T.plus(Duration.ofMinutes(30)), d.get(0).decidedAt());
    }
}
