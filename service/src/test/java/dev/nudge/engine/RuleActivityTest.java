package dev.nudge.engine;

import dev.nudge.event.CheckoutCompleted;
import dev.nudge.event.PageVisited;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A rule that throws is named, counted and survived; fires are counted per rule. */
class RuleActivityTest {

    private static final Instant T = Instant.parse("2026-03-02T10:00:00Z");

    @Test
    void failuresAreNamedByRuleAndTheSessionCarriesOn(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("events.drl"), """
                package rules;
                import dev.nudge.event.CheckoutCompleted;
                import dev.nudge.event.PageVisited;
                declare CheckoutCompleted @role(event) @timestamp(eventTime) @expires(1h) end
                declare PageVisited @role(event) @timestamp(eventTime) @expires(1h) end
                """);
        Files.writeString(dir.resolve("rules.drl"), """
                package rules;
                import dev.nudge.event.CheckoutCompleted;
                import dev.nudge.event.PageVisited;
                global dev.nudge.engine.Decisions decisions;
                rule "CartIdLength"
                when
                    CheckoutCompleted( cartId.length() > 3 )
                then
                end
                rule "ThrowsInThen"
                when
                    PageVisited( url == "/boom" )
                then
                    throw new IllegalStateException("boom");
                end
                rule "AnyPage"
                when
                    PageVisited( )
                then
                end
                """);
        RuleSet rules = new RuleCompiler(Clock.systemUTC()).compile(dir).rules();
        try (PartitionEngine e = new PartitionEngine(rules, Duration.ofMinutes(1), Duration.ofHours(1))) {
            // a checkout without a cart: the condition reads a null field
            assertTrue(e.accept(new CheckoutCompleted("x1", "ana", T, null, "o1", null, null)).failed());
            assertTrue(e.accept(new PageVisited("x2", "ana", T.plusSeconds(1), "/boom")).failed());
            assertEquals(false, e.accept(new PageVisited("x3", "ana", T.plusSeconds(2), "/fine")).failed(),
                    "the session carries on after a failure");

            Map<String, RuleActivity.Counts> activity = e.drainRuleActivity();
            assertEquals(1, activity.get("CartIdLength").failures(), activity.toString());
            assertEquals(1, activity.get("ThrowsInThen").failures(), activity.toString());
            assertTrue(activity.get("AnyPage").fires() >= 1, activity.toString());
            assertTrue(activity.get("AnyPage").consequenceNanos() > 0, activity.toString());
            assertEquals(Map.of(), e.drainRuleActivity(), "drained");
        }
    }
}
