package dev.nudge.cli;

import dev.nudge.engine.RuleCompiler;
import dev.nudge.event.Json;
import dev.nudge.trace.CustomerTrace;
import dev.nudge.trace.ScenarioTrace;
import dev.nudge.trace.TraceText;
import dev.nudge.scenario.Scenario;
import dev.nudge.scenario.ScenarioResult;
import dev.nudge.scenario.ScenarioRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code nudge rules check|test}: the analysts' own tools, with exit codes for their CI. */
@Command(name = "rules", description = "Check and test the DRL rules.", mixinStandardHelpOptions = true,
        subcommands = {RulesCommand.Check.class, RulesCommand.Test.class, BacktestCommand.class})
final class RulesCommand {

    /** Compiles the rules and prints each error as file:line:column: message. */
    @Command(name = "check", description = "Compile the rules; print errors as file:line:column: message.")
    static final class Check implements Callable<Integer> {
        @Parameters(index = "0", defaultValue = "rules",
                description = "Rules folder, or one .drl file checked with its folder (default: ${DEFAULT-VALUE})")
        Path rulesDir;
        @Option(names = "--verbose", description = "Also print each error as Drools wrote it.")
        boolean verbose;
        @Option(names = "--config", description = "Settings whose engine.replay-horizon windows are checked against.")
        Path config;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            RuleTarget target = RuleTarget.of(rulesDir);
            RuleCompiler.Result result = target.compile(config == null ? null
                    : Arguments.config(config).engine().replayHorizon());
            PrintWriter out = spec.commandLine().getOut();
            if (result.ok()) {
                target.printWarnings(result.warnings(), out);
                int files = result.rules().files().size();
                out.println("OK " + (target.file() == null ? files + " files"
                        : target.file() + " with the " + (files - 1) + " other files of "
                        + (target.extra() == null ? "its folder" : target.dir() + " (as if copied there)"))
                        + ", version " + result.rules().contentHash());
                return 0;
            }
            target.print(result.errors(), verbose, out);
            return 1;
        }
    }

    /** Runs every scenario folder through the rules and prints pass/fail with the differences. */
    @Command(name = "test", description = "Run the scenarios in the fixtures folder against the rules.")
    static final class Test implements Callable<Integer> {
        @Parameters(index = "0", defaultValue = "rules",
                description = "Rules folder, or one .drl file run with its folder (default: ${DEFAULT-VALUE})")
        Path rulesDir;
        @Parameters(index = "1", defaultValue = "fixtures",
                description = "Scenarios folder, or one scenario folder (default: ${DEFAULT-VALUE})")
        Path fixturesDir;
        @Option(names = "--verbose", description = "Also print each compile error as Drools wrote it.")
        boolean verbose;
        @Option(names = "--trace", paramLabel = "<customer>", description = "For each scenario the customer appears "
                + "in, show per event the rules that fired for them and what was decided, and for each trigger that "
                + "did not fire, the first of its conditions that never matched, at its file and line.")
        String trace;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            RuleTarget target = RuleTarget.of(rulesDir);
            Arguments.folder(fixturesDir, "scenarios folder");
            PrintWriter out = spec.commandLine().getOut();
            RuleCompiler.Result compiled = target.compile();
            if (!compiled.ok()) {
                target.print(compiled.errors(), verbose, out);
                return 1;
            }
            ScenarioRunner runner = new ScenarioRunner(compiled.rules(), Json.mapper());
            int failed = 0;
            int passed = 0;
            List<Path> scenarios;
            try {
                scenarios = ScenarioRunner.scenarios(fixturesDir);
            } catch (IOException e) {
                out.println(e.getMessage());
                return 1;
            }
            CustomerTrace tracer = trace == null ? null : new CustomerTrace(compiled.rules(), Json.mapper());
            int traced = 0;
            for (Path scenario : scenarios) {
                ScenarioResult r = runner.run(scenario);
                if (tracer != null && traced(tracer, scenario, target, out)) {
                    traced++;
                }
                if (r.passed()) {
                    passed++;
                    out.println("PASS " + r.name());
                } else {
                    failed++;
                    out.println("FAIL " + r.name());
                    r.differences().forEach(d -> out.println("     " + d));
                }
            }
            if (tracer != null && traced == 0) {
                out.println(trace + " appears in no scenario of " + fixturesDir);
            }
            out.println(passed + " passed, " + failed + " failed");
            return failed == 0 ? 0 : 1;
        }

        /** Prints the trace of the customer through the scenario, if they appear in it; a broken fixture is not. */
        private boolean traced(CustomerTrace tracer, Path folder, RuleTarget target, PrintWriter out)
                throws IOException {
            Scenario scenario = Scenario.load(folder, Json.mapper());
            ScenarioTrace t = scenario.errors().isEmpty() ? tracer.trace(scenario, trace) : null;
            if (t == null) {
                return false;
            }
            TraceText.print(t, file -> target.located(file).toString(), out);
            return true;
        }
    }
}
