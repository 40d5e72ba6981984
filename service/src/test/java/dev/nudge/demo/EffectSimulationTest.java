package dev.nudge.demo;

import dev.nudge.decision.Conversion;
import dev.nudge.engine.RuleCompiler;
import dev.nudge.engine.RuleSet;
import dev.nudge.testing.Paths;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The simulated shoppers answer decisions as configured, and the real rules count what they do. */
class EffectSimulationTest {

    private static RuleSet rules;

    @BeforeAll
    static void compile() throws Exception {
        rules = new RuleCompiler(Clock.systemUTC()).compile(Paths.RULES).rules();
    }

    @Test
    void everyCartIsDecidedOnceAndTheOrdersItCausesAreCountedOnceEach() {
        MailEffect effect = new MailEffect(0.05, 0.10, Duration.ofHours(48), 7);
        List<Conversion> records = EffectSimulation.run(rules, effect, 4_000, 20, 42);
        long assigned = records.stream().filter(r -> r.kind().equals(Conversion.ASSIGNED)).count();
        assertEquals(4_000, assigned, "one decision per abandoned cart");
        Set<String> converted = new HashSet<>();
        records.stream().filter(r -> r.kind().equals(Conversion.CONVERTED)).forEach(r ->
                assertTrue(converted.add(r.decisionId()), "converted twice: " + r.decisionId()));
        double holdoutShare = records.stream().filter(r -> r.kind().equals(Conversion.ASSIGNED)
                && r.arm().equals(Conversion.HOLDOUT)).count() / 4_000.0;
        assertTrue(Math.abs(holdoutShare - 0.20) < 0.03, "the holdout is about 20%: " + holdoutShare);
        assertEquals(List.of(records), List.of(EffectSimulation.run(rules, effect, 4_000, 20, 42)),
                "deterministic");
    }
}
