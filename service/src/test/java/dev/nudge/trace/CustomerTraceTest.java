package dev.nudge.trace;

import dev.nudge.engine.RuleCompiler;
import dev.nudge.engine.RuleSet;
import dev.nudge.event.Json;
import dev.nudge.scenario.Scenario;
import dev.nudge.scenario.ScenarioRunner;
import dev.nudge.scenario.ScenarioTime;
import dev.nudge.testing.Paths;
import dev.nudge.trace.ScenarioTrace.Fired;
import dev.nudge.trace.ScenarioTrace.Step;
import dev.nudge.trace.ScenarioTrace.Verdict;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The trace of one customer through a scenario: the shipped rules plus two running-shoe triggers, each with a slip
 * that compiles and never matches ({@code src/test/resources/trace/}): the trace names the condition and its line;
 * once the slip is fixed, it shows the trigger firing when time passes and what the guards made of it. The shipped
 * scenarios run on the same rules (the running triggers match nothing there).
 */
class CustomerTraceTest {

    private static final Path TRACE = Path.of("src/test/resources/trace");
    private static final Path SCENARIO = TRACE.resolve("fixtures/running-shoe-after-pricing");

    @TempDir
    static Path dir;

    private static CustomerTrace slipped;
    private static CustomerTrace fixed;

    @BeforeAll
    static void compile() throws IOException {
        Path withSlips = copy(dir.resolve("slips"), false);
        Path withFixes = copy(dir.resolve("fixed"), true);
        slipped = new CustomerTrace(rules(withSlips), Json.mapper());
        fixed = new CustomerTrace(rules(withFixes), Json.mapper());
    }

    private static Path copy(Path into, boolean fix) throws IOException {
        Files.createDirectories(into);
        List<Path> files = new ArrayList<>();
        for (Path folder : List.of(Paths.RULES, TRACE)) {
            try (Stream<Path> s = Files.list(folder)) {
                files.addAll(s.filter(p -> p.toString().endsWith(".drl")).toList());
            }
        }
        for (Path p : files) {
            String text = Files.readString(p);
            Files.writeString(into.resolve(p.getFileName()), fix
                    ? text.replace("pricng", "pricing").replace("\"Running\"", "\"running\"") : text);
        }
        return into;
    }

    private static RuleSet rules(Path folder) throws IOException {
        RuleCompiler.Result r = new RuleCompiler(Clock.systemUTC()).compile(folder);
        assertTrue(r.ok(), r.errors().toString());
        return r.rules();
    }

    private static Scenario scenario(Path folder) throws IOException {
        Scenario s = Scenario.load(folder, Json.mapper());
        assertTrue(s.errors().isEmpty(), s.errors().toString());
        return s;
    }

    private static Verdict verdict(ScenarioTrace t, String rule) {
        return t.unfired().stream().filter(v -> v.trigger().rule().equals(rule)).findFirst()
                .orElseThrow(() -> new AssertionError(rule + " is not among the unfired: " + t.unfired()));
    }

    /** Each step as one line: time, what, then rule -> decisions. */
    private static List<String> lines(ScenarioTrace t) {
        List<String> out = new ArrayList<>();
        for (Step s : t.steps()) {
            out.add(ScenarioTime.format(s.at()) + " " + s.what());
            for (Fired f : s.fired()) {
                out.add("  " + f.rule() + (f.decided().isEmpty() ? "" : " -> " + String.join(", ", f.decided())));
            }
        }
        return out;
    }

    @Test
    void aMisspeltConditionThatNeverMatchesIsNamedAtItsLine() throws IOException {
        ScenarioTrace t = slipped.trace(scenario(SCENARIO), "ana");
        assertNotNull(t);
        // ana's three events, in order, with their notes; nothing fired for her: both running triggers have a slip
        assertEquals(List.of("00:00:00 PageVisited p1", "00:10:00 ProductViewed v1", "00:15:00 ProductViewed v2"),
                lines(t));
        assertEquals("and again", t.steps().get(2).note());

        // the pricing page misspelt in condition 2: the view matched, the visit never did
        Verdict pricing = verdict(t, "RunningShoeViewedAfterPricing");
        assertEquals(1, pricing.matched());
        assertEquals(2, pricing.stopped().number());
        assertEquals(17, pricing.stopped().line());
        assertEquals("running-after-pricing.drl", pricing.stopped().file());
        assertEquals("condition 1 matched, condition 2 never matched: `PageVisited( customerId == $customer, url "
                + "matches \".*/pricng.*\", this before[0s, 2h] $view )` (rules/running-after-pricing.drl:17)",
                TraceText.explain(pricing, f -> "rules/" + f));

        // the category's case in condition 1: not even the view matched
        Verdict fans = verdict(t, "RunningProductViewedTwice");
        assertEquals(0, fans.matched());
        assertEquals(11, fans.stopped().line());
        assertTrue(TraceText.explain(fans, f -> f).startsWith("condition 1 never matched: `$view : ProductViewed( "
                + "$customer : customerId, $product : productId, category == \"Running\" )` (running-fans.drl:11)"),
                TraceText.explain(fans, f -> f));

        // the shipped browse trigger got as far as its views allow: two views, not three
        Verdict browse = verdict(t, "BrowseAbandonedAfterThreeViews");
        assertEquals(2, browse.matched());
        assertFalse(t.decidedOtherwise());
    }

    @Test
    void onceFixedTheTriggersFireAtTheEventAndWhenTimePassesWithWhatTheGuardsDecided() throws IOException {
        ScenarioTrace t = fixed.trace(scenario(SCENARIO), "ana");
        assertEquals(List.of(
                "00:00:00 PageVisited p1",
                "00:10:00 ProductViewed v1",
                // the second view makes the "viewed twice" trigger true at once; the guards let the mail out
                "00:15:00 ProductViewed v2",
                "  RunningProductViewedTwice",
                "  Send -> mail  running-fans",
                // no cart 30 minutes after each view: fired by time passing, before bob's event at 02:00 came in
                "00:40:00 time passes",
                "  RunningShoeViewedAfterPricing",
                "  FrequencyCap -> suppressed (frequency-cap)  running-after-pricing",
                "00:45:00 time passes",
                "  RunningShoeViewedAfterPricing",
                "  FrequencyCap -> suppressed (frequency-cap)  running-after-pricing"), lines(t));
        assertTrue(t.unfired().stream().noneMatch(v -> v.trigger().rule().startsWith("Running")), t.unfired().toString());
        assertFalse(t.decidedOtherwise());
    }

    @Test
    void aNotThatNeverHeldIsReportedAfterTheConditionsThatDid() throws IOException {
        ScenarioTrace t = slipped.trace(scenario(Paths.FIXTURES.resolve("checkout-at-29-59-no-mail")), "ana");
        Verdict cart = verdict(t, "CartAbandonedAfter30Minutes");
        assertEquals(3, cart.matched());
        assertEquals(25, cart.stopped().line());
        assertTrue(TraceText.explain(cart, f -> f).startsWith("conditions 1-3 matched, condition 4 never held: `not "
                + "CheckoutCompleted( customerId == $customer, cartId == null || cartId == $cartId, this after[0s, 30m] "
                + "$cart )` (cart-abandonment.drl:25)"), TraceText.explain(cart, f -> f));
    }

    @Test
    void eachDecisionIsShownAtTheRuleThatMadeItInTheOrderTheEngineTookThem() throws IOException {
        ScenarioTrace t = slipped.trace(scenario(Paths.FIXTURES.resolve("checkout-at-30-01-mail-at-30-00")), "ana");
        assertEquals(List.of(
                "00:00:00 CartUpdated c1",
                // event time runs a minute behind the newest event: the checkout at 00:30:01 is in before 00:30:00
                "00:30:01 CheckoutCompleted c2",
                "00:30:00 time passes",
                "  CartAbandonedAfter30Minutes",
                "  Send -> mail  cart-abandonment",
                "  DecidedMailVoidWhenBought -> voided (purchased)  cart-abandonment",
                "  CartMailConvertedByAnOrderOfItsCart"), lines(t));
    }

    @Test
    void aCustomerWithNoEventInTheScenarioHasNoTrace() throws IOException {
        assertNull(slipped.trace(scenario(SCENARIO), "zoe"));
        // bob has one event: it is his trace, without ana's
        ScenarioTrace bob = slipped.trace(scenario(SCENARIO), "bob");
        assertEquals(List.of("02:00:00 PageVisited b1"), lines(bob));
    }

    @Test
    void theProbesChangeNoDecisionOfAnyShippedScenario() throws IOException {
        // the shipped rules and the two running triggers, which match nothing in the shipped scenarios
        assertEquals(List.of("BrowseAbandonedAfterThreeViews", "CartAbandonedAfter30Minutes",
                        "CheckoutPageLeftForAnHour", "PricingPageVisitedTwiceIn24Hours", "RunningProductViewedTwice",
                        "RunningShoeViewedAfterPricing"),
                slipped.triggers().stream().map(TriggerProbes.Trigger::rule).sorted().toList());
        assertTrue(slipped.triggers().stream().allMatch(tr -> tr.untraceable() == null), slipped.triggers().toString());
        int traced = 0;
        for (Path folder : ScenarioRunner.scenarios(Paths.FIXTURES)) {
            Scenario s = scenario(folder);
            String customer = s.inputs().get(0).event().path("customerId").asText(null);
            ScenarioTrace t = customer == null ? null : slipped.trace(s, customer);
            if (t != null) {
                traced++;
                assertFalse(t.decidedOtherwise(), folder.getFileName() + ": the probes changed a decision");
            }
        }
        assertTrue(traced > 40, "traced " + traced);
    }

    @Test
    void aTriggerThatDoesNotOpenWithAPatternIsNotGuessedAtAndAnMvelOneIsTraced(@TempDir Path folder)
            throws IOException {
        copy(folder, false);
        Files.writeString(folder.resolve("no-pattern-first.drl"), """
                package rules;
                import dev.nudge.event.CheckoutCompleted;
                import dev.nudge.event.ProductViewed;
                global dev.nudge.engine.Decisions decisions;
                rule "NothingBoughtYet"
                when
                    not CheckoutCompleted( )
                    $v : ProductViewed( )
                then
                    decisions.trigger( drools, "nothing-bought", $v );
                end
                """);
        // eval( $v.category ... ) reads a property: MVEL, not Java; the probes must be compiled as MVEL too
        Files.writeString(folder.resolve("mvel-eval.drl"), """
                package rules;
                import dev.nudge.event.ProductViewed;
                global dev.nudge.engine.Decisions decisions;
                rule "ShoeCategoryByEval" dialect "mvel"
                when
                    $v : ProductViewed( )
                    eval( $v.category == "shoes" )
                then
                    decisions.trigger( drools, "shoes", $v );
                end
                """);
        CustomerTrace trace = new CustomerTrace(rules(folder), Json.mapper());
        // bob views nothing, so the rule does not fire for him
        ScenarioTrace bob = trace.trace(scenario(SCENARIO), "bob");
        assertEquals("could not trace: its first condition is not a plain pattern (a fact of the customer)",
                TraceText.explain(verdict(bob, "NothingBoughtYet"), f -> f));
        ScenarioTrace t = trace.trace(scenario(SCENARIO), "ana");
        assertEquals("condition 1 matched, condition 2 never held: `eval( $v.category == \"shoes\" )` "
                + "(mvel-eval.drl:7)", TraceText.explain(verdict(t, "ShoeCategoryByEval"), f -> f));
    }
}
