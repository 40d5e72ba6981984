package dev.nudge.chaos;

import dev.nudge.bench.ServiceJvm;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One process of the chaos run ({@code nudge broker}, the SMTP sink, a Nudge instance): started from this JVM's own
 * classpath, its output appended to a log file, stopped politely or killed with SIGKILL, and started again alike.
 */
final class Child {

    private final String name;
    private final List<String> command;
    private final Map<String, String> env;
    private final Path home;
    private final Path log;
    private Process process;

    Child(String name, String javaOptions, List<String> args, Map<String, String> env, Path home, Path logDir) {
        this.name = name;
        this.env = env;
        this.home = home;
        this.log = logDir.resolve(name + ".log");
        this.command = List.copyOf(ServiceJvm.command(javaOptions, args));
    }

    String name() {
        return name;
    }

    synchronized void start() throws IOException {
        if (alive()) {
            throw new IllegalStateException(name + " is running already");
        }
        ProcessBuilder pb = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        process = pb.start();
    }

    synchronized boolean alive() {
        return process != null && process.isAlive();
    }

    /** SIGKILL: no shutdown hook, no goodbye to the consumer group, nothing flushed. */
    synchronized void kill() throws InterruptedException {
        if (alive()) {
            process.destroyForcibly();
            process.waitFor();
        }
    }

    /** SIGTERM, then SIGKILL if it is not gone within a minute. */
    synchronized void stop() throws InterruptedException {
        if (alive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor();
            }
        }
    }

    Path log() {
        return log;
    }
}
