package dev.nudge.engine;

import dev.nudge.event.EmailFailed;
import dev.nudge.event.EmailSent;
import dev.nudge.event.PageVisited;
import dev.nudge.event.ProductViewed;
import dev.nudge.testing.Paths;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Events no pattern of the compiled rules can match are not kept; everything a rule may read still is. */
class FactGateTest {

    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    private static RuleSet shipped;

    @BeforeAll
    static void compile() throws Exception {
        shipped = new RuleCompiler(Clock.systemUTC()).compile(Paths.RULES).rules();
    }

    private static PartitionEngine engine(RuleSet rules) {
        return new PartitionEngine(rules, Duration.ofMinutes(1), Duration.ofHours(24));
    }

    @Test
    void theShippedRulesKeepPricingAndCheckoutPagesViewsAndOtherSendersMailsOnly() {
        try (PartitionEngine e = engine(shipped)) {
            long empty = e.factCount();
            e.accept(new PageVisited("p1", "ana", T0, "https://shop.example/"));
            e.accept(new PageVisited("p2", "ana", T0.plusSeconds(1), "https://shop.example/category/lamps"));
            e.accept(new PageVisited("p3", "ana", T0.plusSeconds(2), null));
            // Nudge's own sent reports: the rules count the decision instead (decisionId == null in guards.drl)
            e.accept(new EmailSent("s1", "ana", T0.plusSeconds(3), "d-1", "cart-abandonment"));
            // no shipped rule reads a failure
            e.accept(new EmailFailed("f1", "ana", T0.plusSeconds(4), "d-1", "cart-abandonment", true, "550"));
            assertEquals(empty, e.factCount());
            assertEquals(5, e.eventsLeftOut());

            e.accept(new PageVisited("p4", "ana", T0.plusSeconds(5), "https://shop.example/pricing"));
            e.accept(new PageVisited("p5", "ana", T0.plusSeconds(6), "https://shop.example/checkout?step=2"));
            e.accept(new EmailSent("s2", "ana", T0.plusSeconds(7), null, "newsletter"));
            e.accept(new ProductViewed("v1", "ana", T0.plusSeconds(8), "lamp", "Lamp", BigDecimal.TEN, null, null));
            assertEquals(empty + 4, e.factCount());
            assertEquals(5, e.eventsLeftOut());
        }
    }

    @Test
    void aTypeSomePatternReadsWithoutAConstraintIsAlwaysKept(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("events.drl"), Files.readString(Paths.RULES.resolve("events.drl")));
        Files.writeString(dir.resolve("pages.drl"), """
                package rules;
                import dev.nudge.event.PageVisited;
                global dev.nudge.engine.Decisions decisions;
                rule "EveryPage" when
                    PageVisited( customerId == "nobody" )
                then
                end
                """);
        RuleSet literal = new RuleCompiler(Clock.systemUTC()).compile(dir).rules();
        try (PartitionEngine e = engine(literal)) {
            e.accept(new PageVisited("p1", "ana", T0, "/"));
            assertEquals(1, e.eventsLeftOut(), "ana's visit fails the pattern's only constraint");
        }
        Files.writeString(dir.resolve("pages.drl"), """
                package rules;
                import dev.nudge.event.PageVisited;
                global dev.nudge.engine.Decisions decisions;
                rule "EveryPage" when
                    $p : PageVisited( )
                    PageVisited( this != $p, customerId == $p.customerId )
                then
                end
                """);
        RuleSet open = new RuleCompiler(Clock.systemUTC()).compile(dir).rules();
        try (PartitionEngine e = engine(open)) {
            long empty = e.factCount();
            e.accept(new PageVisited("p1", "ana", T0, "/"));
            e.accept(new EmailFailed("f1", "ana", T0.plusSeconds(1), "d-1", "x", true, "550"));
            assertEquals(empty + 1, e.factCount(), "every page is read; a failure still by nothing");
            assertEquals(1, e.eventsLeftOut());
        }
    }
}
