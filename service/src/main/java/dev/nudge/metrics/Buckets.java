package dev.nudge.metrics;

import java.time.Duration;
import java.util.stream.DoubleStream;

/**
 * The histogram buckets of Nudge's latencies: fixed bounds, the same in every instance, so Prometheus can add the
 * buckets up over instances and {@code histogram_quantile} reads a fleet's p99. Each set spans what is normal for its
 * stage and what an alert must still tell apart.
 */
final class Buckets {

    /** One event through the rules: tens of microseconds normally, a second is a rule gone wrong. */
    static final Duration[] RULES = seconds(0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
            0.1, 0.25, 0.5, 1);
    /** Event to decision: milliseconds normally (the benchmark's target is a p99 under 100 ms), minutes in a backlog. */
    static final Duration[] DECISION = seconds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120,
            300);
    /** Decision to the relay's "250": milliseconds normally, up to the give-up time while the relay is away. */
    static final Duration[] DELIVERY = seconds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300,
            900, 3600);

    private Buckets() {
    }

    private static Duration[] seconds(double... bounds) {
        return DoubleStream.of(bounds).mapToObj(s -> Duration.ofNanos(Math.round(s * 1e9))).toArray(Duration[]::new);
    }
}
