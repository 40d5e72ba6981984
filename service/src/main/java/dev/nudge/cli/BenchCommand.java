package dev.nudge.cli;

import dev.nudge.bench.BenchOptions;
import dev.nudge.bench.BenchStage;
import dev.nudge.bench.BrokerBenchmark;
import dev.nudge.bench.ServiceJvm;
import dev.nudge.bench.EngineBenchmark;
import dev.nudge.bench.SoakBenchmark;
import dev.nudge.config.NudgeConfig;
import dev.nudge.config.Settings;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/** {@code nudge bench}: runs the chosen benchmark stages, one after the other, on the same simulated workload. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmark Nudge on simulated shopper traffic (deterministic: same seed, same events).",
        footer = {"",
                "JVM options: deploy/nudge passes NUDGE_JAVA_OPTS to java; when it is unset,",
                "bench runs with BENCH_JAVA_OPTS from deploy/nudge (a fixed 2 GB heap and",
                "ParallelGC; the reasons are written there). Live heap peaks at about 550 MB",
                "for 1M events a day: raise -Xmx for bigger runs, for example",
                "  NUDGE_JAVA_OPTS='-Xms4g -Xmx4g -XX:+UseParallelGC' deploy/nudge bench \\",
                "      --events 3000000",
                "Do not set -XX:+DisableExplicitGC: live heap is sampled with System.gc().",
                "The soak stage runs only when named: deploy/nudge bench --only soak",
                "(30 days, 10M events unless --soak-days, --span or --events say otherwise).",
                "The ingest stage too: deploy/nudge bench --only ingest (200,000 events unless",
                "--events says otherwise; a Kafka producer, POST /v1/batch and the WebSocket).",
                "Profile: NUDGE_JAVA_OPTS='-XX:StartFlightRecording=filename=bench.jfr'.",
                "Esper and plain Drools on the same stream as the engine: deploy/nudge bench-peers",
                "(its own --help; see docs/benchmark.md)."})
final class BenchCommand implements Callable<Integer> {

    /** Every stage in run order; null for those not written yet, so they can be named already. */
    private static final Map<String, Supplier<BenchStage>> STAGES = new LinkedHashMap<>();

    /** Stages too long for every run: they run only when named. */
    private static final Set<String> ON_REQUEST = Set.of("soak", "send", "ingest");

    static {
        STAGES.put("engine", EngineBenchmark::new);
        STAGES.put("soak", SoakBenchmark::new);
        STAGES.put("send", dev.nudge.bench.SendBenchmark::new);
    }

    @Spec
    CommandSpec spec;

    @Option(names = "--events", defaultValue = "1000000", description = "Events to run, duplicates included (default: ${DEFAULT-VALUE}).")
    long events;
    @Option(names = "--customers", defaultValue = "100000", description = "Simulated customers (default: ${DEFAULT-VALUE}).")
    int customers;
    @Option(names = "--partitions", description = "Partitions, one engine each (default: kafka.topic.partitions, 4).")
    Integer partitions;
    @Option(names = "--span", defaultValue = "1d", converter = DurationConverter.class,
            description = "Simulated event time the events spread over, e.g. 1d, 6h, PT90M (default: ${DEFAULT-VALUE}).")
    Duration span;
    @Option(names = "--seed", defaultValue = "42", description = "Seed of the simulated shoppers (default: ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--duplicates", defaultValue = "0.01", description = "Share of events delivered twice (default: ${DEFAULT-VALUE}).")
    double duplicates;
    @Option(names = "--late", defaultValue = "0.01", description = "Share of events up to 30 s late (default: ${DEFAULT-VALUE}).")
    double late;
    @Option(names = "--warmup", defaultValue = "200000", description = "Events of the separate warm-up run, 0 for none (default: ${DEFAULT-VALUE}).")
    long warmup;
    @Option(names = "--heap-sample-every", defaultValue = "100000",
            description = "Events between live-heap samples (System.gc(), outside the timing); 0 for none (default: ${DEFAULT-VALUE}).")
    long heapSampleEvery;
    @Option(names = "--rules", description = "Rules folder (default: engine.rules-dir, rules).")
    Path rulesDir;
    @Option(names = "--config", defaultValue = "deploy/nudge.properties", description = "Settings file (default: ${DEFAULT-VALUE}).")
    Path configFile;
    @Option(names = "--rate", defaultValue = "10000", description = "Offered events/s of the latency run (default: ${DEFAULT-VALUE}).")
    int rate;
    @Option(names = "--mail-rate", defaultValue = "1000", description = "Offered events/s of the kafka stage's last run, with the send stage on: event to mail accepted by an SMTP relay; 0 to leave it out (default: ${DEFAULT-VALUE}).")
    int mailRate;
    @Option(names = "--instances", defaultValue = "1", description = "Consumers in the group for Nudge (engine.instances) and for the passthrough alike (default: ${DEFAULT-VALUE}).")
    int instances;
    @Option(names = "--latency-seconds", defaultValue = "30", description = "Measured seconds of the latency run, after a third as much warm-up (default: ${DEFAULT-VALUE}).")
    int latencySeconds;
    @Option(names = "--stages", split = ",", description = "Stages to run, in order: engine, kafka (Nudge through a real broker and a passthrough), soak (weeks of event time, heap every day), send, ingest (a Kafka producer, POST /v1/batch and the WebSocket into Kafka) (default: engine, kafka).")
    List<String> stages;
    @Option(names = "--only", description = "Run this one stage; the same as --stages STAGE.")
    String only;
    @Option(names = "--soak-days", defaultValue = "30",
            description = "Simulated days of the soak stage, when --span is not given; its events default to 333,333 a day (default: ${DEFAULT-VALUE}).")
    int soakDays;
    @Option(names = "--ingest-batch", defaultValue = "100", description = "Events a request (POST /v1/batch) or frame (WebSocket) in the ingest stage (default: ${DEFAULT-VALUE}).")
    int ingestBatch;
    @Option(names = "--ingest-clients", defaultValue = "8", description = "Concurrent HTTP clients, and WebSocket connections, in the ingest stage (default: ${DEFAULT-VALUE}).")
    int ingestClients;
    @Option(names = "--ingest-window", defaultValue = "4", description = "Frames each WebSocket connection sends ahead of their answers in the ingest stage; the producer may have as many events unacknowledged as all connections (default: ${DEFAULT-VALUE}).")
    int ingestWindow;
    @Option(names = "--ingest-rounds", defaultValue = "3", description = "Times each way runs in the ingest stage, each round starting with another; the table gives medians (default: ${DEFAULT-VALUE}).")
    int ingestRounds;
    @Option(names = "--in-process", description = "Run the kafka stage in this JVM instead of a JVM with the service's options.")
    boolean inProcess;

    /** The same workload and options for the kafka stage in its own JVM. */
    private List<String> childArgs() {
        List<String> a = new java.util.ArrayList<>(List.of("bench", "--only", "kafka", "--in-process",
                "--events", String.valueOf(events), "--customers", String.valueOf(customers),
                "--span", span.toString(), "--seed", String.valueOf(seed),
                "--duplicates", String.valueOf(duplicates), "--late", String.valueOf(late),
                "--warmup", String.valueOf(warmup),
                "--rate", String.valueOf(rate), "--mail-rate", String.valueOf(mailRate),
                "--latency-seconds", String.valueOf(latencySeconds),
                "--instances", String.valueOf(instances), "--config", configFile.toString()));
        if (partitions != null) {
            a.addAll(List.of("--partitions", String.valueOf(partitions)));
        }
        if (rulesDir != null) {
            a.addAll(List.of("--rules", rulesDir.toString()));
        }
        return a;
    }

    @Override
    public Integer call() throws Exception {
        STAGES.put("kafka", () -> new BrokerBenchmark(rate, mailRate,
                Duration.ofSeconds(Math.max(1, latencySeconds / 3)), Duration.ofSeconds(latencySeconds), instances));
        STAGES.put("ingest", () -> new dev.nudge.bench.IngestBenchmark(ingestBatch, ingestClients, ingestWindow,
                ingestRounds));
        List<String> chosen = only != null ? List.of(only) : stages != null ? stages
                : STAGES.keySet().stream().filter(s -> !ON_REQUEST.contains(s)).toList();
        for (String name : chosen) {
            if ("peers".equals(name)) {
                // Esper is a test dependency: the product's classpath does not have it
                System.err.println("the peers (Esper, plain Drools) run from the test classes: deploy/nudge bench-peers");
                return 2;
            }
            if (!STAGES.containsKey(name)) {
                System.err.println("unknown stage '" + name + "' (known: " + String.join(", ", STAGES.keySet()) + ")");
                return 2;
            }
        }
        NudgeConfig config = Arguments.config(configFile);
        boolean ok = true;
        for (String name : chosen) {
            if ("kafka".equals(name) && !inProcess) {
                ok &= ServiceJvm.run(childArgs()) == 0;
                continue;
            }
            Supplier<BenchStage> stage = STAGES.get(name);
            if (stage == null) {
                System.out.println("== " + name + ": not implemented yet, skipped ==");
                continue;
            }
            ok &= stage.get().run(options(name, config), System.out);
            System.out.println();
        }
        return ok ? 0 : 1;
    }

    /** The options of one stage: the soak has its own defaults for what the command line leaves out. */
    private BenchOptions options(String stage, NudgeConfig config) {
        boolean soak = "soak".equals(stage);
        Duration s = soak && !given("--span") ? Duration.ofDays(soakDays) : span;
        long n = soak && !given("--events") ? SoakBenchmark.defaultEvents((int) Math.max(1, s.toDays()))
                : "ingest".equals(stage) && !given("--events") ? dev.nudge.bench.IngestBenchmark.DEFAULT_EVENTS : events;
        int c = soak && !given("--customers") ? SoakBenchmark.DEFAULT_CUSTOMERS : customers;
        return new BenchOptions(n, c, s, partitions != null ? partitions : config.kafka().topics().partitions(), seed,
                duplicates, late, rulesDir != null ? rulesDir : config.engine().rulesDir(), config.engine().settings(),
                warmup, heapSampleEvery);
    }

    private boolean given(String option) {
        return spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    /** Reads {@code 1d}, {@code 90m} or {@code PT90M} the way the settings file does. */
    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return Settings.of(Map.of("d", value)).duration("d", null);
        }
    }
}
