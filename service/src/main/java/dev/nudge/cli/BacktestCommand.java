package dev.nudge.cli;

import dev.nudge.backtest.Backtest;
import dev.nudge.backtest.BacktestResult;
import dev.nudge.backtest.BacktestText;
import dev.nudge.backtest.Window;
import dev.nudge.backtest.WindowReader;
import dev.nudge.config.NudgeConfig;
import dev.nudge.engine.Durations;
import dev.nudge.engine.RuleCompiler;
import dev.nudge.engine.RuleSet;
import dev.nudge.event.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code nudge rules backtest}: replays recorded events through candidate rules and the running ones and prints what
 * would change. Reads the events topic without a consumer group and writes nothing anywhere.
 */
@Command(name = "backtest", description = "Replay recorded events through candidate rules and the running rules; "
        + "print the decisions added, removed and changed.")
final class BacktestCommand implements Callable<Integer> {

    @Option(names = "--rules", description = "Candidate rules folder (default: engine.rules-dir of the configuration)")
    Path rulesDir;

    @Option(names = "--since", defaultValue = "7d",
            description = "How much event time to replay, back from the newest event (default: ${DEFAULT-VALUE})")
    String since;

    @Option(names = "--file", description = "Replay this JSONL file of events instead of the events topic")
    Path file;

    @Mixin
    KafkaReading kafka;

    @Option(names = "--json", description = "Print the result as JSON, as POST /rules/backtest answers it")
    boolean asJson;

    @Override
    public Integer call() throws Exception {
        NudgeConfig config = kafka.config();
        Duration window;
        try {
            window = Durations.parse(since);
        } catch (IllegalArgumentException e) {
            throw new Mistakes.UserError(e.getMessage() + " (--since)");
        }
        Path running = Arguments.folder(config.engine().rulesDir(), "running rules folder (engine.rules-dir)");
        Path candidate = Arguments.folder(rulesDir != null ? rulesDir : running, "candidate rules folder (--rules)");
        if (file != null && !Files.isRegularFile(file)) {
            throw new Mistakes.UserError("no events file at " + file + " (--file)" + (file.isAbsolute() ? ""
                    : "; relative paths start in " + Path.of("").toAbsolutePath()));
        }
        RuleCompiler compiler = new RuleCompiler(Clock.systemUTC());
        long t0 = System.nanoTime();
        RuleSet before = compile(compiler, running);
        long t1 = System.nanoTime();
        RuleSet after = compile(compiler, candidate);
        long t2 = System.nanoTime();
        if (before == null || after == null) {
            return 1;
        }
        WindowReader reader = new WindowReader(Json.mapper());
        Window events;
        if (file != null) {
            events = reader.fromFile(file, window);
        } else {
            String servers = kafka.servers(config);
            try {
                events = reader.fromTopic(servers, config.kafka().topics().events(), window);
            } catch (org.apache.kafka.common.KafkaException e) {
                System.err.println("could not read " + config.kafka().topics().events() + " at " + servers + ": "
                        + e.getMessage());
                return 1;
            }
        }
        BacktestResult result = new Backtest(config.engine().settings()).run(events, before, (t1 - t0) / 1_000_000,
                after, (t2 - t1) / 1_000_000);
        System.out.print(asJson ? Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(result) + "\n"
                : BacktestText.render(result));
        return 0;
    }

    /** The rules of {@code dir}, or null after printing each error as {@code rules check} does. */
    private static RuleSet compile(RuleCompiler compiler, Path dir) throws java.io.IOException {
        RuleCompiler.Result result = compiler.compile(dir);
        if (!result.ok()) {
            result.errors().forEach(e -> System.out.println(dir.resolve(e.file()) + ":" + e.line() + ":"
                    + e.column() + ": " + e.message()));
            return null;
        }
        return result.rules();
    }
}
