package dev.nudge.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ScopeType;

/**
 * The {@code nudge} command: parses the command line and hands over to a subcommand; nothing else. Every subcommand
 * answers {@code --help} ({@code scope = INHERIT}); a mistyped one gets a suggestion ({@link Mistakes}).
 */
@Command(name = "nudge", mixinStandardHelpOptions = true, version = "nudge 0.1.0", scope = ScopeType.INHERIT,
        description = "Real-time decisions for personalized e-mail triggers.",
        subcommands = {RunCommand.class, SendCommand.class, RulesCommand.class, BenchCommand.class,
                BrokerCommand.class, ChaosCommand.class, ReportCommand.class, PreviewCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line as {@code deploy/nudge} runs it: no colours, short answers to mistakes. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        // the console is often a log file: no escape codes, whatever the terminal
        cl.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        cl.setParameterExceptionHandler(new Mistakes());
        cl.setExecutionExceptionHandler(new Mistakes());
        return cl;
    }
}
