package dev.nudge.scenario;

import dev.nudge.engine.RuleCompiler;
import dev.nudge.event.Json;
import dev.nudge.testing.Paths;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The example triggers of {@code rules/examples/} (not loaded by the service) work beside the shipped rules: their
 * scenarios in {@code fixtures/examples/} pass, as an analyst who adds one to {@code rules/} would see.
 */
class ExampleRulesTest {

    @Test
    void exampleTriggersPassTheirScenarios(@TempDir Path dir) throws IOException {
        for (Path folder : List.of(Paths.RULES, Paths.RULES.resolve("examples"))) {
            try (Stream<Path> files = Files.list(folder)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".drl")).toList()) {
                    Files.copy(f, dir.resolve(f.getFileName()));
                }
            }
        }
        RuleCompiler.Result compiled = new RuleCompiler(Clock.systemUTC()).compile(dir);
        assertTrue(compiled.ok(), () -> compiled.errors().toString());
        List<Path> scenarios = ScenarioRunner.scenarios(Paths.FIXTURES.resolve("examples"));
        assertEquals(10, scenarios.size(), scenarios.toString());
        List<String> failures = new ArrayList<>();
        for (Path scenario : scenarios) {
            ScenarioResult r = new ScenarioRunner(compiled.rules(), Json.mapper()).run(scenario);
            if (!r.passed()) {
                failures.add(scenario.getFileName() + ":\n  " + String.join("\n  ", r.differences()));
            }
        }
        assertEquals(List.of(), failures);
    }

    @Test
    void theServiceDoesNotLoadExamples() throws IOException {
        var rules = new RuleCompiler(Clock.systemUTC()).compile(Paths.RULES).rules();
        assertTrue(rules.files().stream().noneMatch(f -> f.contains("price-drop")), rules.files().toString());
    }
}
