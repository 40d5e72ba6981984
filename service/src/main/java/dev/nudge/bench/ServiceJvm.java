package dev.nudge.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs a benchmark stage in a JVM of its own with the service's JVM options, so the Kafka stage measures Nudge as
 * {@code nudge run} runs it (the JVM's default collector, G1), while the engine stage keeps the throughput
 * collector it is tuned for.
 */
public final class ServiceJvm {

    /** JVM options of the child when {@code NUDGE_SERVICE_JAVA_OPTS} is not set. */
    public static final String DEFAULT_OPTIONS = "-Xms2g -Xmx2g";

    private ServiceJvm() {
    }

    /** Runs {@code nudge <args>} in a child JVM, its output passed through; returns its exit code. */
    public static int run(List<String> args) throws Exception {
        String options = System.getenv().getOrDefault("NUDGE_SERVICE_JAVA_OPTS", DEFAULT_OPTIONS);
        System.out.println("(the kafka stage runs in its own JVM with the service's options: " + options + ")");
        return new ProcessBuilder(command(options, args)).inheritIO().start().waitFor();
    }

    /** The command line of {@code nudge <args>} in a JVM like this one (its java, its classpath) with {@code options}. */
    public static List<String> command(String options, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        for (String o : options.trim().split("\\s+")) {
            if (!o.isEmpty()) {
                command.add(o);
            }
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("dev.nudge.cli.Main");
        command.addAll(args);
        return command;
    }
}
