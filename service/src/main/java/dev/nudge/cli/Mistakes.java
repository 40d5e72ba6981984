package dev.nudge.cli;

import org.apache.commons.text.similarity.LevenshteinDistance;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.PrintWriter;
import java.net.BindException;
import java.nio.file.NoSuchFileException;
import java.util.Comparator;
import java.util.List;

/**
 * Short answers to the user's mistakes, on stderr with a non-zero exit code and no stack trace: a mistyped command
 * gets the nearest commands ("Did you mean: run?"), no command at all the list of commands, a wrong option the
 * command's {@code --help} to look at, and a
 * {@link UserError}, a path that does not exist or a port in use one line. Anything else is a bug, and its stack
 * trace is printed as usual.
 */
final class Mistakes implements CommandLine.IParameterExceptionHandler, CommandLine.IExecutionExceptionHandler {

    /** How far a mistyped command may be from a real one (edits: "rnu" is 2 from "run") to be suggested. */
    static final int NEAR = 2;

    /** A mistake of the user's with its one-line explanation, thrown by a command. */
    static final class UserError extends RuntimeException {
        UserError(String message) {
            super(message, null, false, false);
        }
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        String name = cmd.getCommandSpec().qualifiedName();
        if (!cmd.getSubcommands().isEmpty() && ex.getMessage().startsWith("Missing required subcommand")) {
            // `nudge` alone, `nudge rules` alone: the commands to choose from
            cmd.usage(err);
        } else if (ex instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()
                && !cmd.getSubcommands().isEmpty() && !u.getUnmatched().get(0).startsWith("-")) {
            String typed = u.getUnmatched().get(0);
            List<String> near = nearest(typed, cmd);
            err.println(name + ": '" + typed + "' is not a command. " + (near.isEmpty()
                    ? "The commands: " + String.join(", ", visible(cmd)) + "."
                    : "Did you mean: " + String.join(" or ", near) + "?"));
        } else {
            err.println(name + ": " + ex.getMessage() + " (see " + name + " --help)");
        }
        err.flush();
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parsed)
            throws Exception {
        String line = oneLine(ex);
        if (line == null) {
            throw ex;
        }
        cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + line);
        cmd.getErr().flush();
        return 1;
    }

    /** The one-line explanation of an exception that is the user's to fix, or null for a bug. */
    static String oneLine(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof UserError) {
                return t.getMessage();
            }
            if (t instanceof NoSuchFileException f) {
                return "no such file or folder: " + f.getFile();
            }
            if (t instanceof BindException) {
                return "a port is in use (" + t.getMessage() + "): see the port settings in deploy/nudge.properties";
            }
        }
        return null;
    }

    /** The commands within {@link #NEAR} edits of what was typed, or that start with it, nearest first. */
    static List<String> nearest(String typed, CommandLine cmd) {
        LevenshteinDistance distance = new LevenshteinDistance(NEAR);
        String t = typed.toLowerCase(java.util.Locale.ROOT);
        return visible(cmd).stream()
                .filter(c -> distance.apply(t, c) >= 0 || (t.length() >= 2 && c.startsWith(t)))
                .sorted(Comparator.comparingInt(c -> {
                    int d = distance.apply(t, c);
                    return d >= 0 ? d : NEAR + 1;
                }))
                .toList();
    }

    private static List<String> visible(CommandLine cmd) {
        return cmd.getSubcommands().entrySet().stream()
                .filter(e -> !e.getValue().getCommandSpec().usageMessage().hidden())
                .map(java.util.Map.Entry::getKey).toList();
    }
}
