package dev.nudge.scenario;

import dev.nudge.engine.RuleCompiler;
import dev.nudge.engine.RuleSet;
import dev.nudge.event.Json;
import dev.nudge.testing.Paths;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Every folder in {@code fixtures/} run through the shipped rules: the analysts' scenarios are the rule tests. */
class ScenariosTest {

    private static RuleSet rules;

    @BeforeAll
    static void compileRules() throws IOException {
        RuleCompiler.Result result = new RuleCompiler(Clock.systemUTC()).compile(Paths.RULES);
        if (!result.ok()) {
            fail("shipped rules do not compile: " + result.errors());
        }
        rules = result.rules();
    }

    static List<Path> scenarios() throws IOException {
        List<Path> all = ScenarioRunner.scenarios(Paths.FIXTURES);
        assertTrue(all.size() >= 12, "expected at least 12 scenarios, found " + all.size());
        return all;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void scenarioGivesExpectedDecisions(Path scenario) throws IOException {
        ScenarioResult result = new ScenarioRunner(rules, Json.mapper()).run(scenario);
        assertTrue(result.passed(), () -> scenario.getFileName() + ":\n  " + String.join("\n  ", result.differences()));
    }
}
