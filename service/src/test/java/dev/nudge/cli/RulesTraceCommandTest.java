package dev.nudge.cli;

import dev.nudge.cli.CommandLineTest.Result;
import dev.nudge.testing.Paths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static dev.nudge.cli.CommandLineTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code nudge rules test --trace <customer>} as an analyst runs it, through the command line. */
class RulesTraceCommandTest {

    private static final String NL = System.lineSeparator();
    private static final Path TRACE = Path.of("src/test/resources/trace");

    /** The shipped rules and the two running-shoe triggers with their slips. */
    private static Path rules(Path dir) throws IOException {
        for (Path folder : List.of(Paths.RULES, TRACE)) {
            try (Stream<Path> s = Files.list(folder)) {
                for (Path p : s.filter(p -> p.toString().endsWith(".drl")).toList()) {
                    Files.copy(p, dir.resolve(p.getFileName()));
                }
            }
        }
        return dir;
    }

    @Test
    void theTraceShowsEachEventAndTheConditionThatNeverMatchedThenTheResult(@TempDir Path dir) throws IOException {
        Path scenario = TRACE.resolve("fixtures/running-shoe-after-pricing");
        Result r = run("rules", "test", rules(dir).toString(), scenario.toString(), "--trace", "ana");
        assertEquals(0, r.exit(), r.out() + r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(List.of(
                "TRACE ana in running-shoe-after-pricing",
                "  00:00:00  PageVisited p1  \"Ana reads the pricing page\"",
                "            no rule fired",
                "  00:10:00  ProductViewed v1  \"then looks at a running shoe\"",
                "            no rule fired",
                "  00:15:00  ProductViewed v2  \"and again\"",
                "            no rule fired",
                "  triggers that did not fire for ana:"), lines.subList(0, 8));
        assertTrue(r.out().contains(NL + "    RunningShoeViewedAfterPricing     condition 1 matched, condition 2 never "
                + "matched: `PageVisited( customerId == $customer, url matches \".*/pricng.*\", this before[0s, 2h] "
                + "$view )` (" + dir.resolve("running-after-pricing.drl") + ":17)" + NL), r.out());
        assertTrue(r.out().contains(NL + "    RunningProductViewedTwice         condition 1 never matched: `$view : "
                + "ProductViewed( $customer : customerId, $product : productId, category == \"Running\" )` ("
                + dir.resolve("running-fans.drl") + ":11)" + NL), r.out());
        assertTrue(r.out().endsWith("PASS running-shoe-after-pricing" + NL + "1 passed, 0 failed" + NL), r.out());
        assertTrue(r.out().chars().noneMatch(c -> c == 27), "no escape codes");
    }

    @Test
    void aCustomerInNoScenarioIsOneLineAndAFailedScenarioStillFailsTheRun(@TempDir Path dir) throws IOException {
        Path fixtures = Files.createDirectories(dir.resolve("fixtures"));
        Path copied = Files.createDirectories(fixtures.resolve("running-shoe-after-pricing"));
        Path scenario = TRACE.resolve("fixtures/running-shoe-after-pricing");
        Files.copy(scenario.resolve("events.jsonl"), copied.resolve("events.jsonl"));
        // an expectation the slipped rules cannot meet
        Files.writeString(copied.resolve("expected.jsonl"), "{\"at\": \"00:15:00\", \"customerId\": \"ana\", "
                + "\"campaign\": \"running-fans\", \"rule\": \"RunningProductViewedTwice\", \"eventIds\": [\"v2\"]}\n");
        Path rules = rules(Files.createDirectories(dir.resolve("rules")));
        Result nobody = run("rules", "test", rules.toString(), fixtures.toString(), "--trace", "zoe");
        assertEquals(1, nobody.exit());
        assertEquals("FAIL running-shoe-after-pricing" + NL
                + "     missing    at 00:15:00  ana  running-fans (RunningProductViewedTwice)  events [v2]" + NL
                + "zoe appears in no scenario of " + fixtures + NL
                + "0 passed, 1 failed" + NL, nobody.out());
        Result ana = run("rules", "test", rules.toString(), fixtures.toString(), "--trace", "ana");
        assertEquals(1, ana.exit());
        assertTrue(ana.out().startsWith("TRACE ana in running-shoe-after-pricing" + NL), ana.out());
        assertTrue(ana.out().contains("RunningProductViewedTwice         condition 1 never matched"), ana.out());
    }

    @Test
    void theHelpSaysWhatTraceDoes() {
        Result r = run("rules", "test", "--help");
        assertEquals(0, r.exit());
        assertTrue(r.out().contains("--trace=<customer>"), r.out());
    }
}
