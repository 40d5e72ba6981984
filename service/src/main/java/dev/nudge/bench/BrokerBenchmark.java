package dev.nudge.bench;

import dev.nudge.demo.ShopperSimulator;
import dev.nudge.demo.SimulatedEvent;
import dev.nudge.event.CustomerEvent;
import dev.nudge.kafka.EmbeddedKafka;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;

/**
 * The broker stages: the same workload through a real Kafka broker into Nudge, and through a passthrough
 * (consume and produce, no rules) as the upper bound; then end-to-end latency at a fixed offered rate.
 */
public final class BrokerBenchmark implements BenchStage {

    /** Nudge through Kafka should reach at least this share of the passthrough's events/s. */
    public static final double TARGET_RATIO = 0.5;
    /** p99 end-to-end latency to stay under at {@link #rate} events/s. */
    public static final double TARGET_P99_MILLIS = 100;

    private final int rate;
    private final Duration warmUp;
    private final Duration measure;

    public BrokerBenchmark(int rate, Duration warmUp, Duration measure) {
        this.rate = rate;
        this.warmUp = warmUp;
        this.measure = measure;
    }

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public boolean run(BenchOptions o, PrintStream out) throws Exception {
        out.println("== kafka: through a real broker, against a passthrough ==");
        Path dir = Files.createTempDirectory("nudge-bench-kafka");
        try (EmbeddedKafka broker = EmbeddedKafka.start(dir, 0)) {
            KafkaBenchmark bench = new KafkaBenchmark(broker.bootstrapServers(), o.rulesDir());
            out.printf("loading %,d events into the broker...%n", o.events());
            long loaded = bench.preload("bench.events", events(o, 0));
            out.println("Nudge reads them all...");
            KafkaBenchmark.Figures nudge = bench.nudgeThroughput("bench.events", loaded);
            out.println("the passthrough reads them all...");
            KafkaBenchmark.Figures pass = bench.passthroughThroughput("bench.events", loaded);
            out.printf("offering %,d events/s to Nudge for %ds (first %ds warm-up)...%n", rate,
                    warmUp.plus(measure).toSeconds(), warmUp.toSeconds());
            KafkaBenchmark.Figures nudgeLive = bench.nudgeLatency(events(o, 1), rate, warmUp, measure);
            out.printf("offering %,d events/s to the passthrough...%n", rate);
            KafkaBenchmark.Figures passLive = bench.passthroughLatency(events(o, 2), rate, warmUp, measure);
            double ratio = nudge.eventsPerSecond() / pass.eventsPerSecond();
            out.println();
            out.printf("%-28s %14s %14s%n", "", "Nudge", "passthrough");
            out.printf("%-28s %,14.0f %,14.0f%n", "events/s (pre-loaded topic)", nudge.eventsPerSecond(),
                    pass.eventsPerSecond());
            out.printf("%-28s %14.1f %14.1f%n", "seconds for " + String.format("%,d", loaded), nudge.seconds(),
                    pass.seconds());
            out.printf("%-28s %14.1f %14.1f%n", "latency p50 ms at " + rate + "/s", nudgeLive.p50Millis(),
                    passLive.p50Millis());
            out.printf("%-28s %14.1f %14.1f%n", "latency p99 ms at " + rate + "/s", nudgeLive.p99Millis(),
                    passLive.p99Millis());
            out.printf("%-28s %14d %14d%n", "latency probes measured", nudgeLive.probes(), passLive.probes());
            out.printf("%-28s %13.0f%%   (target >= %.0f%%)%n", "Nudge / passthrough", ratio * 100, TARGET_RATIO * 100);
            out.printf("%-28s %14s   (target p99 < %.0f ms at %,d/s)%n", "latency target",
                    nudgeLive.p99Millis() < TARGET_P99_MILLIS ? "met" : "MISSED", TARGET_P99_MILLIS, rate);
            // speed depends on the machine; the stage fails only when it measured nothing
            return nudgeLive.probes() > 0 && passLive.probes() > 0;
        }
    }

    /** The workload again, with another seed per use so topics and groups never see the same event ids. */
    private static Iterator<CustomerEvent> events(BenchOptions o, long seedOffset) {
        var config = o.workload();
        var sim = new ShopperSimulator(new dev.nudge.demo.SimulatorConfig(config.seed() + 100 * seedOffset,
                config.customers(), config.events(), config.start(), config.span(), config.duplicateRate(),
                config.lateRate(), config.maxDelay()));
        return sim.stream().map(SimulatedEvent::event).iterator();
    }
}
