package dev.nudge.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.config.NudgeConfig;
import dev.nudge.config.Settings;
import dev.nudge.event.Json;
import dev.nudge.http.HttpVerticle;
import dev.nudge.kafka.EmbeddedKafka;
import dev.nudge.kafka.KafkaProps;
import dev.nudge.kafka.TopicAdmin;
import dev.nudge.metrics.Metrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import java.io.PrintStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;
import java.util.stream.IntStream;

/**
 * The ingest benchmark: the same simulated events into the events topic three ways in one run, a Kafka producer (the
 * native path, the upper bound), Segment batches through {@code POST /v1/batch}, and frames through the WebSocket
 * {@code GET /events/ws}, each over real loopback against Nudge's HTTP server and a real broker, measured until Kafka
 * acknowledged every event. The topic's end offsets must grow by exactly the events sent, or the stage fails.
 */
public final class IngestBenchmark implements BenchStage {

    /** The stage's events unless {@code --events} says otherwise. */
    public static final long DEFAULT_EVENTS = 200_000;
    private static final String KEY = "bench-ingest-key-0123456789";

    private final int batch;
    private final int clients;
    private final int window;
    private final int rounds;

    /**
     * {@code batch}: events a request or frame; {@code clients}: HTTP clients, and WebSocket connections alike;
     * {@code window}: frames a connection sends ahead of their answers (the producer may have as many events
     * unacknowledged as all connections together); {@code rounds}: times each way runs, each round starting with
     * another.
     */
    public IngestBenchmark(int batch, int clients, int window, int rounds) {
        this.rounds = rounds;
        this.batch = batch;
        this.clients = clients;
        this.window = window;
    }

    @Override
    public String name() {
        return "ingest";
    }

    @Override
    public boolean run(BenchOptions o, PrintStream out) throws Exception {
        try (EmbeddedKafka broker = EmbeddedKafka.start(Files.createTempDirectory("nudge-bench-ingest"), 0)) {
            return run(broker.bootstrapServers(), o, out);
        }
    }

    /** Against a broker already running. */
    public boolean run(String bootstrap, BenchOptions o, PrintStream out) throws Exception {
        out.printf("== ingest: %,d events into Kafka by a producer, POST /v1/batch and the WebSocket, %d rounds; %d "
                + "events a request or frame, %d clients, %d frames ahead a connection ==%n", o.events(), rounds,
                batch, clients, window);
        double loadBefore = EngineReport.loadAverage();
        ObjectMapper json = Json.mapper();
        List<IngestWorkload.Event> events = IngestWorkload.of(o.workload(), o.events(), json);
        NudgeConfig config = NudgeConfig.from(Settings.of(settings(bootstrap, o.partitions())));
        TopicAdmin.ensureTopics(bootstrap, config.kafka().topics());
        String topic = config.kafka().topics().events();
        Vertx vertx = Vertx.vertx();
        try {
            HttpVerticle http = new HttpVerticle(config, new Metrics(), json,
                    () -> Future.succeededFuture(new JsonObject()), null, null, null, null);
            vertx.deployVerticle(http).await();
            int port = http.port();
            // the JIT and the connections warmed on a tenth of the events, each way, not counted
            IngestPaths warm = new IngestPaths(events.subList(0, Math.max(batch, events.size() / 10)), json);
            out.println("warming up each way on a tenth of the events...");
            int ahead = clients * window * batch;
            warm.kafka(bootstrap, topic, ahead);
            warm.segmentBatches(port, KEY, batch, clients);
            warm.webSocket(port, KEY, batch, clients, window);
            IngestPaths paths = new IngestPaths(events, json);
            List<Way> ways = List.of(
                    new Way("Kafka producer (per record)", () -> paths.kafka(bootstrap, topic, ahead)),
                    new Way("POST /v1/batch (per request)", () -> paths.segmentBatches(port, KEY, batch, clients)),
                    new Way("WebSocket (per frame)", () -> paths.webSocket(port, KEY, batch, clients, window)));
            Map<String, List<IngestPaths.Figures>> figures = new LinkedHashMap<>();
            ways.forEach(w -> figures.put(w.name(), new ArrayList<>()));
            boolean counted = true;
            for (int round = 0; round < rounds; round++) {
                // each round starts with another way: what the machine's other work does falls on all of them
                for (int i = 0; i < ways.size(); i++) {
                    Way w = ways.get((round + i) % ways.size());
                    out.printf("round %d: %s...%n", round + 1, w.name());
                    long before = endOffsets(bootstrap, topic, o.partitions());
                    figures.get(w.name()).add(w.run().call());
                    long delta = endOffsets(bootstrap, topic, o.partitions()) - before;
                    if (delta != events.size()) {
                        out.printf("MISMATCH: %,d events on the topic of %,d sent%n", delta, events.size());
                        counted = false;
                    }
                }
            }
            out.println();
            out.printf("%-30s %12s %19s %9s %9s%n", "way in, median of " + rounds + " rounds", "events/s",
                    "(slowest, fastest)", "p50 ms", "p99 ms");
            figures.forEach((name, f) -> out.printf("%-30s %,12.0f %,9.0f %,9.0f %9.2f %9.2f%n", name,
                    median(f, IngestPaths.Figures::eventsPerSecond),
                    f.stream().mapToDouble(IngestPaths.Figures::eventsPerSecond).min().orElse(0),
                    f.stream().mapToDouble(IngestPaths.Figures::eventsPerSecond).max().orElse(0),
                    median(f, IngestPaths.Figures::p50Millis), median(f, IngestPaths.Figures::p99Millis)));
            out.printf("every way, every round: %,d events on the topic as sent%s%n", events.size(),
                    counted ? "" : ": NO, see MISMATCH above");
            out.printf("native JSON %.0f bytes an event on average; %d partitions; acks=all, idempotent, linger 2 ms; "
                    + "at most %,d events unacknowledged by the producer, %,d unanswered on the WebSockets, %,d in "
                    + "the HTTP requests%n", IngestWorkload.averageBytes(events), o.partitions(), ahead, ahead,
                    clients * batch);
            out.println("machine: " + EngineReport.machine(loadBefore));
            return counted;
        } finally {
            vertx.close().await();
        }
    }

    /** One way in, named as the table names it. */
    private record Way(String name, Callable<IngestPaths.Figures> run) {
    }

    private static double median(List<IngestPaths.Figures> f, ToDoubleFunction<IngestPaths.Figures> of) {
        double[] v = f.stream().mapToDouble(of).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static Map<String, String> settings(String bootstrap, int partitions) {
        Map<String, String> s = new HashMap<>();
        s.put("kafka.bootstrap.servers", bootstrap);
        s.put("kafka.topic.events", "bench.ingest.events");
        s.put("kafka.topic.partitions", String.valueOf(partitions));
        s.put("http.host", "127.0.0.1");
        s.put("http.port", "0");
        s.put("ingest.keys.bench", KEY);
        s.put("ingest.keys.bench.types", "*");
        return s;
    }

    /** The events on the topic: the sum of its partitions' end offsets. */
    private static long endOffsets(String bootstrap, String topic, int partitions) {
        try (var consumer = new KafkaConsumer<String, byte[]>(KafkaProps.groupless(bootstrap))) {
            List<TopicPartition> tps = IntStream.range(0, partitions).mapToObj(p -> new TopicPartition(topic, p))
                    .toList();
            return consumer.endOffsets(tps).values().stream().mapToLong(Long::longValue).sum();
        }
    }
}
