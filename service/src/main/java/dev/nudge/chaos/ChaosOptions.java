package dev.nudge.chaos;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How hard a chaos run shakes Nudge: how many processes and events, over how long, how many {@code kill -9}, which
 * broker and relay outages, and how fast event time runs against the wall clock ({@code speed}: the workload's
 * span of event time is {@code duration x speed}, and the engines' idle clock runs as fast).
 */
public record ChaosOptions(int processes, long events, Duration duration, double speed, int kills,
                           List<Duration> brokerOutages, Duration relayOutage, int partitions, long seed,
                           Duration drainTimeout, String javaOptions, Path home, Path workDir) {

    public ChaosOptions {
        if (processes < 1 || events < 1 || kills < 0 || partitions < processes) {
            throw new IllegalArgumentException("a chaos run needs at least one process, one event, no fewer partitions ("
                    + partitions + ") than processes (" + processes + ") and no negative kills");
        }
        brokerOutages = List.copyOf(brokerOutages);
    }

    /** The run the README's figures come from: 3 processes, 1,000,000 events, 20 kills, broker down 30 s and 3 min. */
    public static ChaosOptions full(Path home) {
        return new ChaosOptions(3, 1_000_000, Duration.ofMinutes(10), 10, 20,
                List.of(Duration.ofSeconds(30), Duration.ofMinutes(3)), Duration.ofSeconds(30), 6, 42,
                Duration.ofMinutes(10), "-Xmx1g", home, home.resolve("target/chaos"));
    }
}
