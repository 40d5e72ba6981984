package dev.nudge.backtest;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The events a backtest replays: per partition (or customer bucket of a file), in the order the pipeline read them;
 * {@code unreadable} counts records that were not events; {@code from}/{@code to} are the window's event times (null
 * when it is empty); {@code readTime} is how long reading took.
 */
public record Window(String source, Map<Integer, List<Recorded>> partitions, long unreadable, Instant from,
                     Instant to, Duration readTime) {

    public Window {
        partitions = Map.copyOf(partitions);
    }

    public long events() {
        return partitions.values().stream().mapToLong(List::size).sum();
    }
}
