package dev.nudge.cli;

import dev.nudge.bench.SmtpSink;
import dev.nudge.chaos.ChaosOptions;
import dev.nudge.chaos.ChaosRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code nudge chaos}: the chaos run (see {@link ChaosRun}), and the recording SMTP relay it runs as a process. */
@Command(name = "chaos", mixinStandardHelpOptions = true, subcommands = ChaosCommand.Sink.class,
        description = {"Kill, starve and poison Nudge while mail flows, and check that no mail is lost or doubled.",
                "A Kafka broker, an SMTP sink and --processes Nudge instances run as processes of their own."})
final class ChaosCommand implements Callable<Integer> {

    @Option(names = "--processes", defaultValue = "3", description = "Nudge processes (default: ${DEFAULT-VALUE}).")
    int processes;
    @Option(names = "--events", defaultValue = "1000000", description = "Records of the workload (default: ${DEFAULT-VALUE}).")
    long events;
    @Option(names = "--duration", defaultValue = "10m", converter = BenchCommand.DurationConverter.class,
            description = "Wall time the workload is sent over (default: ${DEFAULT-VALUE}).")
    Duration duration;
    @Option(names = "--speed", defaultValue = "10",
            description = "Event time runs this many times as fast as the wall clock (default: ${DEFAULT-VALUE}).")
    double speed;
    @Option(names = "--kills", defaultValue = "20", description = "kill -9 of a Nudge process, at random moments (default: ${DEFAULT-VALUE}).")
    int kills;
    @Option(names = "--broker-outages", defaultValue = "30s,3m", split = ",", converter = BenchCommand.DurationConverter.class,
            description = "Broker stops and how long each lasts (default: ${DEFAULT-VALUE}).")
    List<Duration> brokerOutages;
    @Option(names = "--relay-outage", defaultValue = "30s", converter = BenchCommand.DurationConverter.class,
            description = "How long the SMTP relay is down once, 0s for never (default: ${DEFAULT-VALUE}).")
    Duration relayOutage;
    @Option(names = "--partitions", defaultValue = "6", description = "Partitions of the topics (default: ${DEFAULT-VALUE}).")
    int partitions;
    @Option(names = "--seed", defaultValue = "42", description = "Seed of the workload and the kills (default: ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--java-options", defaultValue = "-Xmx1g", description = "JVM options of each Nudge process (default: ${DEFAULT-VALUE}).")
    String javaOptions;
    @Option(names = "--work-dir", defaultValue = "target/chaos",
            description = "Broker data, the sink's record and every process's log; emptied first (default: ${DEFAULT-VALUE}).")
    Path workDir;

    @Override
    public Integer call() throws Exception {
        Path home = Path.of("").toAbsolutePath();
        ChaosOptions options = new ChaosOptions(processes, events, duration, speed, kills, brokerOutages, relayOutage,
                partitions, seed, Duration.ofMinutes(10), javaOptions, home, home.resolve(workDir));
        ChaosRun.Result result = ChaosRun.run(options, System.out);
        System.out.println();
        result.report().forEach(System.out::println);
        return result.passed() ? 0 : 1;
    }

    /** The relay of the chaos run: accepts every mail and appends its decision id and recipient to a file first. */
    @Command(name = "sink", hidden = true, description = "An SMTP sink that records every message it accepts.")
    static final class Sink implements Callable<Integer> {

        @Option(names = "--port", required = true)
        int port;
        @Option(names = "--record", required = true)
        Path record;

        @Override
        public Integer call() throws Exception {
            BufferedWriter writer = Files.newBufferedWriter(record, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            // written and flushed before the client hears "accepted": a kill -9 after that loses no record of it
            SmtpSink sink = SmtpSink.start(port, (id, to) -> {
                synchronized (writer) {
                    for (String address : to) {
                        writer.write(id + "\t" + address + "\n");
                    }
                    writer.flush();
                }
            });
            System.out.println("SMTP sink on port " + sink.port() + ", recording to " + record);
            new CountDownLatch(1).await();
            return 0;
        }
    }
}
