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
    /** p99 event to decision to stay under at {@link #rate} events/s (10,000 by default). */
    public static final double TARGET_P99_MILLIS = 50;

    private final int rate;
    private final int mailRate;
    private final Duration warmUp;
    private final Duration measure;
    private final int instances;

    /** {@code mailRate}: events/s of the run with the send stage on (0: no such run). */
    public BrokerBenchmark(int rate, int mailRate, Duration warmUp, Duration measure, int instances) {
        this.rate = rate;
        this.mailRate = mailRate;
        this.instances = instances;
        this.warmUp = warmUp;
        this.measure = measure;
    }

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public boolean run(BenchOptions o, PrintStream out) throws Exception {
        out.printf("== kafka: through a real broker, against a passthrough; %d consumer(s) each ==%n", instances);
        Path dir = Files.createTempDirectory("nudge-bench-kafka");
        try (EmbeddedKafka broker = EmbeddedKafka.start(dir, 0)) {
            KafkaBenchmark bench = new KafkaBenchmark(broker.bootstrapServers(), o.rulesDir(), instances);
            if (o.warmupEvents() > 0) {
                // the JIT compiles Drools, Jackson and the Kafka clients on the first hundreds of thousands of events:
                // without this the measured pass starts on a cold JVM, and the JIT takes a quarter of the machine
                out.printf("warming up: %,d events of another seed through Nudge and the passthrough...%n",
                        o.warmupEvents());
                long warm = bench.preload("bench.warmup", events(o, 4, o.warmupEvents()));
                bench.nudgeThroughput("bench.warmup", warm);
                bench.passthroughThroughput("bench.warmup", warm);
            }
            out.printf("loading %,d events into the broker...%n", o.events());
            long loaded = bench.preload("bench.events", events(o, 0, o.events()));
            out.println("Nudge reads them all...");
            KafkaBenchmark.Figures nudge = bench.nudgeThroughput("bench.events", loaded);
            out.println("the passthrough reads them all...");
            KafkaBenchmark.Figures pass = bench.passthroughThroughput("bench.events", loaded);
            out.printf("offering %,d events/s to Nudge for %ds (first %ds warm-up)...%n", rate,
                    warmUp.plus(measure).toSeconds(), warmUp.toSeconds());
            long live = (long) (rate * (warmUp.plus(measure).toSeconds() + 5) * 1.1);
            KafkaBenchmark.Figures nudgeLive = bench.nudgeLatency(events(o, 1, live), rate, warmUp, measure);
            out.printf("offering %,d events/s to the passthrough...%n", rate);
            KafkaBenchmark.Figures passLive = bench.passthroughLatency(events(o, 2, live), rate, warmUp, measure);
            KafkaBenchmark.MailFigures mail = null;
            if (mailRate > 0) {
                out.printf("offering %,d events/s to Nudge with its send stage mailing to an SMTP relay...%n", mailRate);
                mail = bench.nudgeMailLatency(events(o, 3, (long) (mailRate * (warmUp.plus(measure).toSeconds() + 5)
                        * 1.1)), mailRate, warmUp, measure);
            }
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
            out.printf("%-28s %14d %14d%n", "latencies measured", nudgeLive.latencies(), passLive.latencies());
            out.printf("%-28s %13.0f%%   (target >= %.0f%%)%n", "Nudge / passthrough", ratio * 100, TARGET_RATIO * 100);
            out.printf("%-28s %14s   (target p99 < %.0f ms at %,d/s)%n", "latency target",
                    nudgeLive.p99Millis() < TARGET_P99_MILLIS ? "met" : "MISSED", TARGET_P99_MILLIS, rate);
            if (mail != null) {
                out.printf("%-28s %14.1f   (%,d mails accepted of %,d decided to an address after the warm-up)%n",
                        "event -> mail p50 ms at " + mailRate + "/s", mail.p50Millis(), mail.mails(), mail.decided());
                out.printf("%-28s %14.1f   (event -> decision at %,d/s: p50 %.1f, p99 %.1f ms)%n",
                        "event -> mail p99 ms at " + mailRate + "/s", mail.p99Millis(), mailRate,
                        mail.decisions().p50Millis(), mail.decisions().p99Millis());
            }
            out.println("latency: from the moment the event that made an output due was written to Kafka to the moment");
            out.println("the output is read downstream; for Nudge, every decision after the warm-up (a decision that needs");
            out.println("an absence waits for the allowed lateness by design: that wait is not counted, the work after it is);");
            out.println("event -> mail: to the moment the SMTP relay has the whole message, with the send stage's rate limit");
            out.println("lifted (holdouts, revocations and mails to customers without an address are not counted)");
            // speed depends on the machine; the stage fails only when it measured nothing
            return nudgeLive.latencies() > 0 && passLive.latencies() > 0 && (mail == null || mail.mails() > 0);
        }
    }

    /** Another seed per use, so topics and groups never share event ids; the same traffic density per hour. */
    private static Iterator<CustomerEvent> events(BenchOptions o, long seedOffset, long count) {
        var config = o.workload();
        double scale = count / (double) config.events();
        var sim = new ShopperSimulator(new dev.nudge.demo.SimulatorConfig(config.seed() + 100 * seedOffset,
                (int) Math.max(1, config.customers() * scale), count, config.start(),
                Duration.ofMillis((long) Math.max(60_000, config.span().toMillis() * scale)), config.duplicateRate(),
                config.lateRate(), config.maxDelay()));
        return sim.stream().map(SimulatedEvent::event).iterator();
    }
}
