package dev.nudge.bench;

import dev.nudge.demo.SimulatorConfig;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;

import java.nio.charset.StandardCharsets;
import dev.nudge.engine.EngineSettings;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What every benchmark stage runs: the same simulated workload and engine settings, so the engine-only, Kafka and
 * passthrough numbers can be compared line by line.
 *
 * @param events          deliveries to run (duplicates included)
 * @param customers       size of the simulated customer population
 * @param span            simulated event time the events are spread over
 * @param partitions      partitions (one engine each), keyed by customer id as the Kafka producer does
 * @param seed            seed of the simulated shoppers
 * @param duplicateRate   share of events delivered twice
 * @param lateRate        share of events delivered up to 30 s late
 * @param rulesDir        the DRL folder to compile
 * @param allowedLateness the engine's allowed lateness (the watermark's distance behind the newest event)
 * @param dedupWindow     how long the engine remembers event ids
 * @param warmupEvents    events of the separate warm-up run before measuring (0: none)
 * @param heapSampleEvery events between live-heap samples (each forces a full GC, outside the timing; 0: none)
 */
public record BenchOptions(long events, int customers, Duration span, int partitions, long seed,
                           double duplicateRate, double lateRate, Path rulesDir, EngineSettings engine,
                           long warmupEvents, long heapSampleEvery) {

    public Duration allowedLateness() {
        return engine.allowedLateness();
    }

    public Duration dedupWindow() {
        return engine.dedupWindow();
    }

    public BenchOptions {
        if (events < 1 || customers < 1 || partitions < 1) {
            throw new IllegalArgumentException("events, customers and partitions must be at least 1");
        }
    }

    /**
     * The partition of a customer's events: murmur2 of the UTF-8 key, made positive, modulo the partition count,
     * computed by the Kafka producer's own code so the engine-only stage splits the stream as the broker would.
     */
    public int partitionOf(String customerId) {
        return BuiltInPartitioner.partitionForKey(customerId.getBytes(StandardCharsets.UTF_8), partitions);
    }

    /** The measured workload. */
    public SimulatorConfig workload() {
        return new SimulatorConfig(seed, customers, events, SimulatorConfig.DEFAULT_START, span, duplicateRate,
                lateRate, Duration.ofSeconds(30));
    }

    /**
     * The warm-up workload: other shoppers (another seed) at the same rate per customer and per hour, so the JIT
     * sees the same mix without the measured run replaying cached work.
     */
    public SimulatorConfig warmup() {
        double share = Math.min(1.0, warmupEvents / (double) events);
        int warmCustomers = (int) Math.max(1, Math.round(customers * share));
        return new SimulatorConfig(seed + 1, warmCustomers, warmupEvents, SimulatorConfig.DEFAULT_START,
                span, duplicateRate, lateRate, Duration.ofSeconds(30));
    }
}
