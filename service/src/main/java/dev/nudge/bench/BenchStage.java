package dev.nudge.bench;

import java.io.PrintStream;

/** One part of {@code nudge bench} (engine only, through Kafka, Kafka passthrough...), run on the same options. */
public interface BenchStage {

    /** The name used in {@code --stages}, for example {@code engine}. */
    String name();

    /** Runs the stage and prints its table; returns false when it could not run or missed what it checks. */
    boolean run(BenchOptions options, PrintStream out) throws Exception;
}
