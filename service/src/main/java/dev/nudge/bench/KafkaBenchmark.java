package dev.nudge.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.app.NudgeService;
import dev.nudge.config.NudgeConfig;
import dev.nudge.config.Settings;
import dev.nudge.event.CustomerEvent;
import dev.nudge.event.EventWriter;
import dev.nudge.event.Json;
import dev.nudge.kafka.Headers;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The broker stages of the benchmark, against a real Kafka broker: throughput of Nudge and of a passthrough
 * over a pre-loaded topic, then end-to-end latency of probe events at a fixed offered rate.
 */
public final class KafkaBenchmark {

    /** Figures of one stage. */
    public record Figures(String stage, long events, double seconds, double p50Millis, double p99Millis, int latencies) {
        public double eventsPerSecond() {
            return events / seconds;
        }
    }

    private static final int PARTITIONS = 4;
    private final String bootstrap;
    private final Path rulesDir;
    private final ObjectMapper json = Json.mapper();
    private final EventWriter writer = new EventWriter(json);

    private final int instances;

    /** {@code instances}: consumers of the group in this process, for Nudge and the passthrough alike. */
    public KafkaBenchmark(String bootstrap, Path rulesDir, int instances) {
        this.bootstrap = bootstrap;
        this.rulesDir = rulesDir;
        this.instances = instances;
    }

    private void deployPassthrough(Vertx vertx, String in, String out, String group) throws Exception {
        for (int i = 0; i < instances; i++) {
            vertx.deployVerticle(new PassthroughVerticle(bootstrap, in, out, group),
                            new io.vertx.core.DeploymentOptions().setThreadingModel(io.vertx.core.ThreadingModel.WORKER))
                    .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        }
    }

    /** Writes the events to a new topic, as fast as the producer goes; returns how many. */
    public long preload(String topic, Iterator<CustomerEvent> events) throws Exception {
        createTopics(topic);
        long n = 0;
        try (var producer = producer()) {
            while (events.hasNext()) {
                CustomerEvent e = events.next();
                producer.send(new ProducerRecord<>(topic, e.customerId(), writer.write(e)));
                n++;
            }
            producer.flush();
        }
        return n;
    }

    /** Nudge reads the whole pre-loaded topic: events/s from start of consumption to the last commit. */
    public Figures nudgeThroughput(String topic, long events) throws Exception {
        String group = "bench-nudge-" + System.nanoTime();
        try (NudgeService service = NudgeService.start(config(topic, group))) {
            return new Figures("nudge", events, awaitConsumed(group, topic), Double.NaN, Double.NaN, 0);
        }
    }

    /** The passthrough reads the same topic and copies each record. */
    public Figures passthroughThroughput(String topic, long events) throws Exception {
        String group = "bench-pass-" + System.nanoTime();
        createTopics(topic + ".copy");
        Vertx vertx = Vertx.vertx();
        try {
            deployPassthrough(vertx, topic, topic + ".copy", group);
            return new Figures("passthrough", events, awaitConsumed(group, topic), Double.NaN, Double.NaN, 0);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        }
    }

    /**
     * Offers {@code rate} events/s of shopper traffic for {@code warmUp + measure}; every decision read after the
     * warm-up gives one latency, from the moment the event that made it due was written to Kafka.
     */
    public Figures nudgeLatency(Iterator<CustomerEvent> background, int rate, Duration warmUp, Duration measure)
            throws Exception {
        String topic = "bench.live." + System.nanoTime();
        createTopics(topic, topic + ".decisions");
        NudgeConfig config = config(topic, "bench-live-" + System.nanoTime(), topic + ".decisions");
        try (NudgeService service = NudgeService.start(config)) {
            return offer("nudge", topic, topic + ".decisions", background, rate, warmUp, measure);
        }
    }

    /** The same offered load through the passthrough; every copied record gives one latency. */
    public Figures passthroughLatency(Iterator<CustomerEvent> background, int rate, Duration warmUp, Duration measure)
            throws Exception {
        String topic = "bench.live.pass." + System.nanoTime();
        createTopics(topic, topic + ".copy");
        Vertx vertx = Vertx.vertx();
        try {
            deployPassthrough(vertx, topic, topic + ".copy", "bench-pl-" + System.nanoTime());
            return offer("passthrough", topic, topic + ".copy", background, rate, warmUp, measure);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        }
    }

    private Figures offer(String stage, String in, String out, Iterator<CustomerEvent> background, int rate,
                          Duration warmUp, Duration measure) throws Exception {
        LatencyRecorder latencies = new LatencyRecorder();
        OutputReader reader = new OutputReader(out, latencies);
        reader.start();
        reader.awaitAssigned();
        long sent = 0;
        long start = System.nanoTime();
        long warmUpEnd = start + warmUp.toNanos();
        long end = warmUpEnd + measure.toNanos();
        try (var producer = producer()) {
            while (System.nanoTime() < end && background.hasNext()) {
                if (System.nanoTime() >= warmUpEnd) {
                    latencies.startRecording();
                }
                long due = (System.nanoTime() - start) * rate / 1_000_000_000L;
                while (sent < due && background.hasNext()) {
                    producer.send(record(in, background.next()));
                    sent++;
                }
                Thread.sleep(1);
            }
        }
        reader.drain(Duration.ofSeconds(5));
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Figures(stage, sent, seconds, latencies.quantileMillis(0.5), latencies.quantileMillis(0.99), latencies.count());
    }

    private ProducerRecord<String, byte[]> record(String topic, CustomerEvent e) {
        return new ProducerRecord<>(topic, e.customerId(), writer.write(e));
    }

    /** Seconds until the group has committed the end of every partition. */
    private double awaitConsumed(String group, String topic) throws Exception {
        long start = System.nanoTime();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < PARTITIONS; p++) {
                latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            Map<TopicPartition, Long> ends = admin.listOffsets(latest).all().get().entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
            while (true) {
                var committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
                boolean done = ends.entrySet().stream().allMatch(e -> committed.get(e.getKey()) != null
                        && committed.get(e.getKey()).offset() >= e.getValue());
                if (done) {
                    return (System.nanoTime() - start) / 1e9;
                }
                Thread.sleep(100);
            }
        }
    }

    private NudgeConfig config(String topic, String group) {
        return config(topic, group, topic + ".decisions");
    }

    private NudgeConfig config(String topic, String group, String decisions) {
        Map<String, String> s = new HashMap<>();
        s.put("kafka.bootstrap.servers", bootstrap);
        s.put("kafka.topic.events", topic);
        s.put("kafka.topic.decisions", decisions);
        s.put("kafka.topic.dead-letters", topic + ".dead-letters");
        s.put("kafka.topic.partitions", String.valueOf(PARTITIONS));
        s.put("kafka.consumer.group", group);
        s.put("engine.rules-dir", rulesDir.toString());
        s.put("http.port", "0");
        s.put("engine.instances", String.valueOf(instances));
        // the latency run stamps events with the wall clock: run at night, quiet hours would hold nearly every mail
        // until 08:00, and the stage would measure a few decisions instead of thousands. Holds are exercised by the
        // engine and soak stages.
        s.put("decisions.quiet-hours", "none");
        // the engine through Kafka, comparable with earlier runs: mails are measured by the send stage's own bench
        s.put("send.enabled", "false");
        return NudgeConfig.from(Settings.of(s));
    }

    private void createTopics(String... names) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = java.util.Arrays.stream(names).filter(n -> !existing.contains(n))
                    .map(n -> new NewTopic(n, PARTITIONS, (short) 1)).toList();
            admin.createTopics(missing).all().get();
        }
    }

    private KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.LINGER_MS_CONFIG, 1,
                ProducerConfig.BATCH_SIZE_CONFIG, 65536));
    }

    /** Reads the output topic on its own thread and reports probe ids to {@link LatencyRecorder}. */
    private final class OutputReader extends Thread {
        private final String topic;
        private final LatencyRecorder latencies;
        private volatile boolean running = true;
        private volatile boolean assigned;

        OutputReader(String topic, LatencyRecorder latencies) {
            super("bench-output-reader");
            setDaemon(true);
            this.topic = topic;
            this.latencies = latencies;
        }

        @Override
        public void run() {
            try (var consumer = new KafkaConsumer<String, byte[]>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                    ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
                List<TopicPartition> parts = java.util.stream.IntStream.range(0, PARTITIONS)
                        .mapToObj(p -> new TopicPartition(topic, p)).toList();
                consumer.assign(parts);
                consumer.seekToEnd(parts);
                parts.forEach(consumer::position);
                assigned = true;
                while (running) {
                    for (var r : consumer.poll(Duration.ofMillis(20))) {
                        var cause = r.headers().lastHeader(Headers.CAUSE_TIME);
                        if (cause != null) {
                            latencies.seen(Long.parseLong(new String(cause.value(), StandardCharsets.UTF_8)),
                                    System.currentTimeMillis());
                        }
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException("benchmark output reader failed", e);
            }
        }

        void awaitAssigned() throws InterruptedException {
            while (!assigned) {
                Thread.sleep(10);
            }
        }

        void drain(Duration max) throws InterruptedException {
            Thread.sleep(Math.min(max.toMillis(), 1000));
            running = false;
            join(5000);
        }
    }
}
