package dev.nudge.cli;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** {@code nudge run}: the broker (unless one is configured), the service, and the demo shoppers. */
@Command(name = "run", description = "Run Nudge.")
final class RunCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        return 1;
    }
}
