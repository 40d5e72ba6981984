package dev.nudge.cli;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** {@code nudge bench}: the benchmark documented in README. */
@Command(name = "bench", description = "Run the benchmark.")
final class BenchCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.out.println("not yet");
        return 1;
    }
}
