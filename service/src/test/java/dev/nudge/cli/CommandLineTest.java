package dev.nudge.cli;

import dev.nudge.testing.Paths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line as a newcomer meets it, run in process: help everywhere, suggestions, one-line mistakes. */
class CommandLineTest {

    record Result(int exit, String out, String err) {
    }

    @Test
    void everyCommandAnswersHelpWithItsUsageAndStartsNothing() {
        List<String> commands = new ArrayList<>();
        collect(Main.commandLine(), commands);
        assertTrue(commands.size() >= 10, "nudge and its subcommands: " + commands);
        for (String command : commands) {
            List<String> args = new ArrayList<>(List.of(command.split(" ")).subList(1, command.split(" ").length));
            args.add("--help");
            Result r = run(args.toArray(String[]::new));
            assertEquals(0, r.exit(), command + " --help: " + r.err());
            assertTrue(r.out().startsWith("Usage: " + command + " "), command + " --help printed:\n" + r.out());
            assertTrue(r.out().contains("-h, --help"), r.out());
            assertEquals("", r.err(), command);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "rnu     | nudge: 'rnu' is not a command. Did you mean: run?",
            "repot   | nudge: 'repot' is not a command. Did you mean: report?",
            "rule    | nudge: 'rule' is not a command. Did you mean: rules or run?",
            "xyzzy   | nudge: 'xyzzy' is not a command. The commands: run, send, rules, bench, broker, chaos, report, preview.",
    })
    void aMistypedCommandGetsTheNearestOnesInOneLine(String typed, String expected) {
        Result r = run(typed);
        assertEquals(2, r.exit());
        assertEquals(expected + System.lineSeparator(), r.err());
        assertEquals("", r.out());
    }

    @Test
    void aMistypedSubcommandOfRulesIsSuggestedToo() {
        assertEquals("nudge rules: 'tset' is not a command. Did you mean: test?" + System.lineSeparator(),
                run("rules", "tset").err());
    }

    @Test
    void noCommandAtAllListsTheCommands() {
        Result r = run();
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("Usage: nudge [-hV] [COMMAND]"), r.err());
        assertTrue(r.err().contains("  run "), r.err());
        assertTrue(run("rules").err().startsWith("Usage: nudge rules [-hV] [COMMAND]"), run("rules").err());
    }

    @Test
    void anUnknownOptionPointsToTheCommandsHelp() {
        Result r = run("run", "--no-dmeo");
        assertEquals(2, r.exit());
        assertEquals("nudge run: Unknown option: '--no-dmeo' (see nudge run --help)" + System.lineSeparator(), r.err());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"run", "send", "report", "bench"})
    void aConfigurationFileThatDoesNotExistIsOneLine(String command, @TempDir Path dir) {
        Path missing = dir.resolve("nudge.propertie");
        Result r = run(command, "--config", missing.toString());
        assertEquals(1, r.exit());
        assertEquals("nudge " + command + ": no configuration file at " + missing + " (--config)"
                + System.lineSeparator(), r.err());
    }

    @Test
    void aRulesFolderThatDoesNotExistIsOneLine(@TempDir Path dir) {
        Path missing = dir.resolve("rulez");
        for (String command : List.of("check", "test")) {
            Result r = run("rules", command, missing.toString());
            assertEquals(1, r.exit());
            assertEquals("nudge rules " + command + ": no rules folder or .drl file at " + missing + System.lineSeparator(),
                    r.err());
        }
        Result r = run("rules", "test", Paths.RULES.toString(), missing.toString());
        assertEquals("nudge rules test: no scenarios folder at " + missing + System.lineSeparator(), r.err());
    }

    @Test
    void runChecksItsRulesFolderBeforeStartingAnything(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("nudge.properties");
        java.nio.file.Files.writeString(config, "engine.rules-dir=" + dir.resolve("rulez") + "\n");
        Result r = run("run", "--config", config.toString());
        assertEquals(1, r.exit());
        assertEquals("nudge run: no rules folder (engine.rules-dir) at " + dir.resolve("rulez")
                + System.lineSeparator(), r.err());
    }

    private static void collect(CommandLine cl, List<String> into) {
        into.add(cl.getCommandSpec().qualifiedName());
        cl.getSubcommands().values().forEach(sub -> collect(sub, into));
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }
}
