package dev.nudge.cli;

import dev.nudge.kafka.EmbeddedKafka;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code nudge broker}: the single-node Kafka broker {@code nudge run} embeds, as a process of its own, for Nudge
 * processes that share one cluster on this machine ({@code nudge send}, several {@code nudge run}, the chaos run).
 */
@Command(name = "broker", description = "Run a single-node Apache Kafka broker (KRaft) on loopback until stopped.")
final class BrokerCommand implements Callable<Integer> {

    @Option(names = "--data-dir", defaultValue = "target/nudge-kafka",
            description = "Where the broker keeps its data, kept across restarts (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--port", defaultValue = "9092", description = "Its port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    int port;

    @Override
    public Integer call() throws Exception {
        if (port != 0) {
            Ports.check(java.util.List.of(new Ports.Port("127.0.0.1", port, "--port")));
        }
        EmbeddedKafka broker = EmbeddedKafka.start(dataDir, port);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            stopped.countDown();
        }, "nudge-broker-shutdown"));
        System.out.println("Kafka broker up: kafka.bootstrap.servers=" + broker.bootstrapServers());
        stopped.await();
        return 0;
    }
}
