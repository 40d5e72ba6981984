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

/** {@code nudge rules check} as an analyst runs it: on the folder, on one file, on a wrong path, with --verbose. */
class RulesCheckCommandTest {

    private static final String NL = System.lineSeparator();

    /** The shipped rules, with {@code cart-abandonment.drl}'s cartId misspelt in one pattern and a broken sibling. */
    private static Path rulesWithSlips(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(Paths.RULES)) {
            for (Path p : s.filter(p -> p.toString().endsWith(".drl")).toList()) {
                Files.copy(p, dir.resolve(p.getFileName()));
            }
        }
        Files.writeString(dir.resolve("slip.drl"), """
                package rules;
                import dev.nudge.event.CartUpdated;

                rule "Slip"
                when
                    $c : CartUpdated( cartid == "x" )
                then
                end
                """);
        Files.writeString(dir.resolve("other.drl"), """
                package rules;
                import dev.nudge.event.CartUpdated;

                rule "Other"
                when
                    $c : CartUpdated( hasProdct("p") )
                then
                end
                """);
        return dir;
    }

    @Test
    void theShippedRulesFolderAndOneOfItsFilesCheckOk() {
        Result folder = run("rules", "check", Paths.RULES.toString());
        assertEquals(0, folder.exit(), folder.out() + folder.err());
        assertTrue(folder.out().startsWith("OK "), folder.out());
        // cart-abandonment.drl alone would not know CartUpdated is an event: it is checked with events.drl
        Result file = run("rules", "check", Paths.RULES.resolve("cart-abandonment.drl").toString());
        assertEquals(0, file.exit(), file.out() + file.err());
        assertTrue(file.out().startsWith("OK cart-abandonment.drl with the 8 other files of its folder, version "),
                file.out());
    }

    @Test
    void anExampleIsCheckedWithTheRulesOfTheFolderAboveAndItsErrorsAtItsOwnPath(@TempDir Path dir) throws IOException {
        Result shipped = run("rules", "check", Paths.RULES.resolve("examples/price-drop.drl").toString());
        assertEquals(0, shipped.exit(), shipped.out());
        assertTrue(shipped.out().startsWith("OK price-drop.drl with the 9 other files of " + Paths.RULES
                + " (as if copied there), version "), shipped.out());
        Path examples = Files.createDirectories(rulesWithSlips(dir).resolve("examples"));
        Files.move(dir.resolve("slip.drl"), examples.resolve("slip.drl"));
        Result r = run("rules", "check", examples.resolve("slip.drl").toString());
        assertEquals(1, r.exit());
        assertTrue(r.out().startsWith(examples.resolve("slip.drl")
                + ":6:22: CartUpdated has no field 'cartid'; did you mean 'cartId'?" + NL), r.out());
    }

    @Test
    void aFolderListsEveryErrorInWords(@TempDir Path dir) throws IOException {
        Result r = run("rules", "check", rulesWithSlips(dir).toString());
        assertEquals(1, r.exit());
        assertEquals(List.of(
                dir.resolve("other.drl") + ":6:22: CartUpdated has no method 'hasProdct'; did you mean 'hasProduct'?",
                dir.resolve("slip.drl") + ":6:22: CartUpdated has no field 'cartid'; did you mean 'cartId'?"),
                r.out().lines().sorted().toList());
    }

    @Test
    void aFileListsItsOwnErrorsAndCountsTheOthers(@TempDir Path dir) throws IOException {
        Result r = run("rules", "check", rulesWithSlips(dir).resolve("slip.drl").toString());
        assertEquals(1, r.exit());
        assertEquals(dir.resolve("slip.drl") + ":6:22: CartUpdated has no field 'cartid'; did you mean 'cartId'?" + NL
                + "1 more error in other files of " + dir + ", compiled with slip.drl: run `nudge rules check " + dir
                + "`" + NL, r.out());
        assertEquals("", r.err());
    }

    @Test
    void verboseShowsWhatDroolsWrote(@TempDir Path dir) throws IOException {
        Result r = run("rules", "check", "--verbose", rulesWithSlips(dir).resolve("slip.drl").toString());
        assertEquals(1, r.exit());
        List<String> lines = r.out().lines().toList();
        assertEquals(dir.resolve("slip.drl") + ":6:22: CartUpdated has no field 'cartid'; did you mean 'cartId'?",
                lines.get(0));
        assertTrue(lines.get(1).startsWith("    | Unable to Analyse Expression cartid == \"x\""), r.out());
        assertTrue(r.out().contains("    | [Error: unable to resolve method using strict-mode: "
                + "dev.nudge.event.CartUpdated.cartid()]"), r.out());
    }

    @Test
    void testOnAFileReportsItsCompileErrorsToo(@TempDir Path dir) throws IOException {
        Path fixtures = Files.createDirectories(dir.resolve("fixtures"));
        Path rules = Files.createDirectories(dir.resolve("rules"));
        Result r = run("rules", "test", rulesWithSlips(rules).resolve("other.drl").toString(), fixtures.toString());
        assertEquals(1, r.exit());
        assertTrue(r.out().startsWith(rules.resolve("other.drl")
                + ":6:22: CartUpdated has no method 'hasProdct'; did you mean 'hasProduct'?" + NL), r.out());
    }

    @Test
    void aWindowLongerThanItsFactsAreKeptIsAWarningThatDoesNotFailTheCheck(@TempDir Path dir) throws IOException {
        try (Stream<Path> s = Files.list(Paths.RULES)) {
            for (Path p : s.filter(p -> p.toString().endsWith(".drl")).toList()) {
                Files.copy(p, dir.resolve(p.getFileName()));
            }
        }
        Path fortnight = Files.writeString(dir.resolve("fortnight.drl"), """
                package rules;
                import dev.nudge.event.ProductViewed;
                global dev.nudge.engine.Decisions decisions;
                rule "Fortnight" @reEligibility("21d")
                when
                    $v : ProductViewed( )
                then
                    decisions.trigger(drools, "fortnight", $v);
                end
                """);
        String warning = fortnight + ":4:17: warning: rule \"Fortnight\": @reEligibility(\"21d\") is longer than "
                + "the mails it counts are kept (KeyDecided @expires(15d) in events.drl): it acts as 15d" + NL;
        Result file = run("rules", "check", fortnight.toString());
        assertEquals(0, file.exit(), file.out());
        assertTrue(file.out().startsWith(warning + "OK fortnight.drl with the 9 other files of its folder"), file.out());
        Result folder = run("rules", "check", dir.toString());
        assertEquals(0, folder.exit(), folder.out());
        assertTrue(folder.out().startsWith(warning + "OK "), folder.out());
    }

    @Test
    void withItsSettingsTheCheckComparesWindowsWithTheReplayHorizon(@TempDir Path dir) throws IOException {
        Path settings = Files.writeString(dir.resolve("nudge.properties"), "engine.replay-horizon=24h\n");
        Result r = run("rules", "check", "--config", settings.toString(), Paths.RULES.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains(Paths.RULES.resolve("cart-abandonment.drl") + ":14:18: warning: rule "
                + "\"CartAbandonedAfter30Minutes\": @reEligibility(\"72h\") is longer than a restart re-reads "
                + "(engine.replay-horizon 24h): after a restart it acts as 24h" + NL), r.out());
        Result missing = run("rules", "check", "--config", dir.resolve("nope.properties").toString());
        assertEquals(1, missing.exit());
        assertEquals(1, missing.err().lines().count(), missing.err());
    }

    @Test
    void aWrongPathOrAFileThatIsNotDrlIsOneLine(@TempDir Path dir) throws IOException {
        Path missing = dir.resolve("cart-abandonment.drl");
        Result r = run("rules", "check", missing.toString());
        assertEquals(1, r.exit());
        assertEquals("nudge rules check: no rules folder or .drl file at " + missing + NL, r.err());
        Path text = Files.writeString(dir.resolve("notes.txt"), "x");
        r = run("rules", "check", text.toString());
        assertEquals(1, r.exit());
        assertEquals("nudge rules check: " + text + " is not a .drl file; give a rules file or folder" + NL, r.err());
    }
}
