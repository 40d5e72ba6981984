package dev.nudge.engine;

import dev.nudge.testing.Paths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A rule that looks further back than its facts are kept compiles, and acts on the shorter time; the compiler warns at
 * the window or attribute, against the {@code @expires} of the shipped {@code events.drl}.
 */
class RetentionCheckTest {

    private final RuleCompiler compiler = new RuleCompiler(Clock.systemUTC());

    private static Path shippedRules(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(Paths.RULES)) {
            for (Path p : s.filter(p -> p.toString().endsWith(".drl")).toList()) {
                Files.copy(p, dir.resolve(p.getFileName()));
            }
        }
        return dir;
    }

    private List<RuleError> warningsWith(Path dir, String rule) throws IOException {
        Files.writeString(shippedRules(dir).resolve("new.drl"), """
                package rules;
                import dev.nudge.event.ProductViewed;
                import dev.nudge.event.CartUpdated;
                global dev.nudge.engine.Decisions decisions;

                """ + rule);
        RuleCompiler.Result result = compiler.compile(dir);
        assertTrue(result.ok(), result.errors().toString());
        return result.warnings();
    }

    @Test
    void theShippedRulesKeepEveryFactAsLongAsTheirWindowsNeed(@TempDir Path dir) throws IOException {
        // cancellation.drl waits 24h for a CartUpdated after a decision: the decision (73h) waits, not the cart (5h)
        assertEquals(List.of(), compiler.compile(shippedRules(dir)).warnings());
    }

    private static final String FORTNIGHT = """
            rule "Fortnight"
                @reEligibility("%s")
            when
                $v : ProductViewed( )
            then
                decisions.trigger(drools, "fortnight", $v);
            end
            """;

    @Test
    void reEligibilityOfTwoWeeksIsCoveredByTheMailsKeptForIt(@TempDir Path dir) throws IOException {
        // KeyDecided is kept 15 days (events.drl) and restored after a restart: 14 days hold, whatever the horizon
        assertEquals(List.of(), warningsWith(dir, FORTNIGHT.formatted("14d")));
        assertEquals(List.of(), new RuleCompiler(Clock.systemUTC(), Duration.ofHours(74)).compile(dir).warnings()
                .stream().filter(w -> w.file().equals("new.drl")).toList());
    }

    @Test
    void reEligibilityLongerThanTheMailsItCountsAreKeptIsWarnedAtTheAttribute(@TempDir Path dir) throws IOException {
        assertEquals(List.of(new RuleError("new.drl", 7, 4, "rule \"Fortnight\": @reEligibility(\"21d\") is longer "
                        + "than the mails it counts are kept (KeyDecided @expires(15d) in events.drl): it acts as 15d")),
                warningsWith(dir, FORTNIGHT.formatted("21d")));
    }

    @Test
    void withoutKeyDecidedReEligibilityIsComparedWithTheDecisionsAndTheReplayHorizon(@TempDir Path dir)
            throws IOException {
        Path rules = shippedRules(dir);
        // rules written before KeyDecided: re-eligibility counted on DecisionMade only, kept 73h, replayed 74h
        Files.writeString(rules.resolve("events.drl"), Files.readString(rules.resolve("events.drl"))
                .replaceAll("(?m)^declare KeyDecided .*$", ""));
        Files.writeString(rules.resolve("new.drl"), """
                package rules;
                import dev.nudge.event.ProductViewed;
                global dev.nudge.engine.Decisions decisions;

                """ + FORTNIGHT.formatted("14d"));
        RuleCompiler.Result result = compiler.compile(rules);
        assertTrue(result.ok(), result.errors().toString());
        assertEquals(List.of(new RuleError("new.drl", 6, 4, "rule \"Fortnight\": @reEligibility(\"14d\") is longer "
                + "than decisions are kept (DecisionMade @expires(73h) in events.drl): it acts as 73h")), result.warnings());
        assertTrue(new RuleCompiler(Clock.systemUTC(), Duration.ofHours(24)).compile(rules).warnings().contains(
                new RuleError("cart-abandonment.drl", 14, 18, "rule \"CartAbandonedAfter30Minutes\": @reEligibility(\"72h\")"
                        + " is longer than a restart re-reads (engine.replay-horizon 24h): after a restart it acts as 24h")));
    }

    @Test
    void dayMarksCountedOverAWeekNeedNoRawEventsAndSurviveARestart(@TempDir Path dir) throws IOException {
        String rule = """
                rule "ThreeDays"
                when
                    $v : ProductViewed( )
                    accumulate( DayMark( customerId == $v.customerId, this before[0s, %s] $v ); $n : count(1); $n >= 3 )
                then
                    decisions.trigger(drools, "three-days", $v);
                end
                """;
        Path rules = shippedRules(dir);
        String header = """
                package rules;
                import dev.nudge.event.ProductViewed;
                import dev.nudge.engine.DayMark;
                global dev.nudge.engine.Decisions decisions;

                """;
        Files.writeString(rules.resolve("new.drl"), header + rule.formatted("7d"));
        RuleCompiler horizon = new RuleCompiler(Clock.systemUTC(), Duration.ofHours(74));
        assertEquals(List.of(), horizon.compile(rules).warnings(), "7 days of marks kept 8 days, restored after a restart");
        Files.writeString(rules.resolve("new.drl"), header + rule.formatted("20d"));
        assertEquals(List.of(new RuleError("new.drl", 9, 59, "rule \"ThreeDays\": before[0s, 20d] needs DayMark kept "
                + "480h, but it is kept 8d (@expires in events.drl): the window acts as at most 8d")),
                horizon.compile(rules).warnings());
    }

    @Test
    void aWindowTheEarlierFactCannotWaitForIsWarnedAtTheOperator(@TempDir Path dir) throws IOException {
        // the view waits up to 4h for a cart, but views are kept 3h
        assertEquals(List.of(new RuleError("new.drl", 9, 55, "rule \"LateCart\": after[0s, 4h] needs ProductViewed "
                        + "kept 4h, but it is kept 3h (@expires in events.drl): the window acts as at most 3h")),
                warningsWith(dir, """
                        rule "LateCart"
                        when
                            $v : ProductViewed( )
                            not CartUpdated( customerId == $v.customerId, this after[0s, 4h] $v )
                        then
                            decisions.trigger(drools, "late-cart", $v);
                        end
                        """));
    }

    @Test
    void aSlidingWindowLongerThanItsFactsAreKeptIsWarned(@TempDir Path dir) throws IOException {
        assertEquals(List.of(new RuleError("new.drl", 9, 61, "rule \"BusyDay\": over window:time(1d) needs "
                        + "ProductViewed kept 24h, but it is kept 3h (@expires in events.drl): the window acts as at most 3h")),
                warningsWith(dir, """
                        rule "BusyDay"
                        when
                            $v : ProductViewed( )
                            accumulate( ProductViewed( customerId == $v.customerId ) over window:time(1d);
                                        $n : count(1); $n > 10 )
                        then
                            decisions.trigger(drools, "busy-day", $v);
                        end
                        """));
    }

    @Test
    void aWaitLongerThanTheReplayHorizonIsWarnedWhenAHorizonIsGiven(@TempDir Path dir) throws IOException {
        String rule = """
                rule "TwoDays"
                when
                    $v : ProductViewed( )
                    not ProductViewed( customerId == $v.customerId, this != $v, this before[0s, 48h] $v )
                then
                    decisions.trigger(drools, "two-days", $v);
                end
                """;
        String events = Files.readString(Paths.RULES.resolve("events.drl"))
                .replace("declare ProductViewed     @role(event) @timestamp(eventTime) @expires(3h)",
                        "declare ProductViewed     @role(event) @timestamp(eventTime) @expires(50h)");
        Path rules = shippedRules(dir);
        Files.writeString(rules.resolve("events.drl"), events);
        Files.writeString(rules.resolve("new.drl"), """
                package rules;
                import dev.nudge.event.ProductViewed;
                global dev.nudge.engine.Decisions decisions;

                """ + rule);
        // kept long enough (50h): no warning without a horizon; a restart re-reading 24h cannot see 48h back
        assertEquals(List.of(), compiler.compile(rules).warnings());
        List<RuleError> warnings = new RuleCompiler(Clock.systemUTC(), Duration.ofHours(24)).compile(rules).warnings();
        assertEquals(List.of(new RuleError("new.drl", 8, 69, "rule \"TwoDays\": before[0s, 48h] needs ProductViewed "
                        + "kept 48h, but a restart re-reads only engine.replay-horizon (24h): after a restart the window "
                        + "acts as at most 24h")),
                warnings.stream().filter(w -> w.file().equals("new.drl")).toList());
        // and the shipped triggers' 72h re-eligibility, counted on decisions, would not survive a restart either
        assertTrue(warnings.contains(new RuleError("cart-abandonment.drl", 14, 18, "rule \"CartAbandonedAfter30Minutes\": "
                + "@reEligibility(\"72h\") is longer than a restart re-reads (engine.replay-horizon 24h): after a restart "
                + "it acts as 24h")), warnings.toString());
    }
}
