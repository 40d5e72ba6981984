package dev.nudge.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What an analyst gets from {@code nudge rules check}: located errors for broken rules, a versioned set otherwise. */
class RuleCompilerTest {

    private static final String HEADER = """
            package rules;

            import dev.nudge.event.PageVisited;

            global dev.nudge.engine.Decisions decisions;

            declare PageVisited @role(event) @timestamp(eventTime) @expires(1h) end

            """;
    private static final String VALID = HEADER + """
            rule "AnyPage"
            when
                $v : PageVisited()
            then
                decisions.trigger(drools, "any-page", $v);
            end
            """;

    private final RuleCompiler compiler = new RuleCompiler(Clock.systemUTC());

    /** A trigger on any page visit, under {@code header} (the rule line and its attributes, as in a file). */
    private static String trigger(String header) {
        return header + """

                when
                    $v : PageVisited( )
                then
                    decisions.trigger(drools, "any", $v);
                end
                """;
    }

    @Test
    void syntaxErrorIsReportedWithFileLineAndMessage(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("good.drl"), VALID);
        // the pattern on line 11 is never closed; Drools notices at the 'then' of line 12, the analyst reads line 11
        Files.writeString(dir.resolve("broken.drl"), HEADER + """
                rule "Broken"
                when
                    $v : PageVisited( url == "x"
                then
                    decisions.trigger(drools, "broken", $v);
                end
                """);

        RuleCompiler.Result result = compiler.compile(dir);

        assertFalse(result.ok());
        assertNull(result.rules());
        assertFalse(result.errors().isEmpty());
        for (RuleError e : result.errors()) {
            assertEquals("broken.drl", e.file(), e.toString());
            assertEquals(11, e.line(), e.toString());
            assertEquals(32, e.column(), e.toString());
            assertTrue(e.raw().startsWith("[ERR 102] Line 12:0 mismatched input 'then'"), e.raw());
        }
    }

    @Test
    void positionWrittenInTheMessageIsTheLocation(@TempDir Path dir) throws IOException {
        // one ')' too many on line 11; Drools leaves the column at 0 and writes "Line 11:22" into the text
        Files.writeString(dir.resolve("broken.drl"), HEADER + """
                rule "Broken"
                when
                  $v : PageVisited( ) )
                then
                    decisions.trigger(drools, "broken", $v);
                end
                """);

        List<RuleError> errors = compiler.compile(dir).errors();

        assertEquals(1, errors.size(), errors.toString());
        RuleError e = errors.get(0);
        assertEquals(11, e.line(), e.toString());
        assertEquals(22, e.column(), e.toString());
        assertEquals("broken.drl:11:22: ')' closes nothing: remove it or add the '(' it closes", e.toString());
        assertTrue(e.raw().startsWith("[ERR 102] Line 11:22 mismatched input ')'"), e.raw());
    }

    @Test
    void columnGivenByDroolsIsKeptAndTextWithoutPositionLeavesItAlone() {
        assertEquals(new RuleError("a.drl", 3, 7, "Line 9:9 x"), RuleError.of("a.drl", 3, 7, "Line 9:9 x"));
        assertEquals(new RuleError("a.drl", 5, 0, "Unable to Analyse Expression urlx == \"x\""),
                RuleError.of("a.drl", 5, 0, "Unable to Analyse Expression urlx == \"x\""));
        assertEquals(new RuleError("a.drl", 13, 4, "[ERR 102] Line 13:4 mismatched input"),
                RuleError.of("a.drl", 0, 0, "[ERR 102] Line 13:4 mismatched input"));
    }

    @Test
    void misspeltTriggerAttributeStopsTheLoad(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("night.drl"), HEADER + trigger("rule \"NightOwl\" @quietHours(\"wait\")"));

        RuleCompiler.Result result = compiler.compile(dir);

        assertNull(result.rules());
        assertEquals("night.drl: rule \"NightOwl\": @quietHours must be hold, skip or send, got 'wait'",
                result.errors().get(0).file() + ": " + result.errors().get(0).message());
    }

    @Test
    void unknownAttributeStopsTheLoadAtItsLineWithTheNearestKnownName(@TempDir Path dir) throws IOException {
        // line 9: the rule; line 10: the misspelt attribute, at column 17 (counted from 0, as Drools counts)
        Files.writeString(dir.resolve("again.drl"),
                HEADER + trigger("rule \"Again\"\n    @priority(5) @reEligibilty(\"72h\")"));

        RuleCompiler.Result result = compiler.compile(dir);

        assertNull(result.rules(), "a misspelt attribute would silently turn re-eligibility off");
        assertEquals(List.of(new RuleError("again.drl", 10, 17, "rule \"Again\": unknown attribute @reEligibilty; "
                + "did you mean @reEligibility? (known: @priority, @reEligibility, @reEligibilityKey, @quietHours, @cancelledBy, @conversionWindow, @variant)")),
                result.errors());
    }

    @Test
    void attributeErrorsAreLocatedAtTheirLine(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("night.drl"), VALID + "\n" + trigger("rule \"NightOwl\" @quietHours(\"wait\")"));

        RuleError e = compiler.compile(dir).errors().get(0);
        assertEquals(16, e.line(), e.toString());
        assertEquals(16, e.column(), e.toString());
    }

    @Test
    void cancelledByNamesOnlyEventsThatVoidMails(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("night.drl"), HEADER + trigger("rule \"NightOwl\" @cancelledBy(\"Checkout\")"));

        assertEquals("rule \"NightOwl\": @cancelledBy names 'Checkout'; did you mean CheckoutCompleted? (mails are "
                        + "voided by CheckoutCompleted and CartUpdated; write other conditions into the trigger)",
                compiler.compile(dir).errors().get(0).message());
    }

    @Test
    void reEligibilityKeyIsCartProductCustomerOrAFieldOfTheTriggerEventAndAnotherIsAnErrorAtItsLine(@TempDir Path dir)
            throws IOException {
        // line 9: the rule; line 10: the misspelt key, at column 4
        Files.writeString(dir.resolve("interest.drl"),
                HEADER + trigger("rule \"Interest\"\n    @reEligibilityKey(\"categroy\") @reEligibility(\"14d\")"));

        RuleCompiler.Result result = compiler.compile(dir);

        assertNull(result.rules(), "a misspelt key would count re-eligibility per something else");
        RuleError e = result.errors().get(0);
        assertEquals(10, e.line(), e.toString());
        assertEquals(4, e.column(), e.toString());
        assertTrue(e.message().startsWith("rule \"Interest\": @reEligibilityKey must be cart, product, customer or a "
                + "field of the trigger event, got 'categroy'; did you mean category? (fields: "), e.message());
        for (String ok : List.of("category", "cart", "product", "customer", "url")) {
            Files.writeString(dir.resolve("interest.drl"),
                    HEADER + trigger("rule \"Interest\" @reEligibilityKey(\"" + ok + "\")"));
            assertTrue(compiler.compile(dir).ok(), ok);
        }
    }

    @Test
    void aKeyTheTriggerEventDoesNotHaveFailsTheRuleOnThatEventSayingWhy(@TempDir Path dir) throws IOException {
        // a page visit has no cart: the rule fails on the visit (logged, counted, dead-lettered), the others go on
        Files.writeString(dir.resolve("cartless.drl"), HEADER + trigger("rule \"Cartless\" @reEligibilityKey(\"cart\")"));
        RuleSet rules = compiler.compile(dir).rules();
        try (PartitionEngine e = new PartitionEngine(rules, java.time.Duration.ofMinutes(1), java.time.Duration.ofHours(24))) {
            var outcome = e.accept(new dev.nudge.event.PageVisited("p1", "ana", java.time.Instant.parse(
                    "2026-03-02T10:00:00Z"), "https://shop.example/"));
            assertTrue(outcome.failed());
            assertTrue(outcome.failure().contains("rule \"Cartless\" failed on it")
                    && outcome.failure().contains("@reEligibilityKey(\"cart\"): PageVisited has no field 'cartId'"),
                    outcome.failure());
        }
    }

    @Test
    void reEligibilityMustBeADuration(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("again.drl"), HEADER + trigger("rule \"Again\" @reEligibility(\"three days\")"));

        assertEquals("rule \"Again\": not a duration: 'three days' (write 30m, 72h or 7d)",
                compiler.compile(dir).errors().get(0).message());
    }

    @Test
    void folderWithoutRulesIsAnError(@TempDir Path dir) throws IOException {
        RuleCompiler.Result result = compiler.compile(dir);
        assertNull(result.rules());
        assertEquals("no .drl files in this folder", result.errors().get(0).message());
    }

    @Test
    void validFolderGivesRulesVersionedByContent(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("any-page.drl");
        Files.writeString(file, VALID);

        RuleCompiler.Result first = compiler.compile(dir);
        assertTrue(first.ok(), () -> first.errors().toString());
        RuleSet rules = first.rules();
        assertNotNull(rules.kieBase().getRule("rules", "AnyPage"));
        assertEquals(List.of("any-page.drl"), rules.files());
        assertEquals(List.of(), first.errors());

        // same content, same hash: a reload of unchanged files is the same version of the rules
        assertEquals(rules.contentHash(), compiler.compile(dir).rules().contentHash());

        Files.writeString(file, VALID.replace("\"any-page\"", "\"any-page-v2\""));
        RuleSet changed = compiler.compile(dir).rules();
        assertNotEquals(rules.contentHash(), changed.contentHash());
    }
}
