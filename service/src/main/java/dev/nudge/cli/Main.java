package dev.nudge.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code nudge} command: parses the command line and hands over to a subcommand; nothing else. */
@Command(name = "nudge", mixinStandardHelpOptions = true, version = "nudge 0.1.0",
        description = "Real-time decisions for personalized e-mail triggers.",
        subcommands = {RunCommand.class, SendCommand.class, RulesCommand.class, BenchCommand.class,
                BrokerCommand.class, ChaosCommand.class, ReportCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }
}
