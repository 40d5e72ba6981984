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
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
import java.util.concurrent.ConcurrentHashMap;
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

    /**
     * Offers {@code rate} events/s to Nudge with its send stage on, mailing to an SMTP sink: every mail the sink accepts
     * whose decision was written after the warm-up gives one latency, from the moment the event that made the decision
     * due was written to Kafka to the moment the relay had the whole message and was about to say "250". The sending
     * rate limit is lifted, so the figure is Nudge's own time, not a queue behind {@code send.rate-per-minute}.
     */
    public MailFigures nudgeMailLatency(Iterator<CustomerEvent> background, int rate, Duration warmUp,
                                        Duration measure) throws Exception {
        String topic = "bench.mail." + System.nanoTime();
        createTopics(topic, topic + ".decisions");
        Map<String, Long> accepted = new ConcurrentHashMap<>();
        Map<String, Long> causes = new ConcurrentHashMap<>();
        LatencyRecorder decided = new LatencyRecorder();
        try (SmtpSink relay = SmtpSink.start(0, (id, to) -> accepted.putIfAbsent(id, System.currentTimeMillis()))) {
            Map<String, String> send = Map.of("send.enabled", "true", "send.smtp.host", "127.0.0.1",
                    "send.smtp.port", String.valueOf(relay.port()), "send.smtp.starttls", "disabled",
                    "send.rate-per-minute", "1000000", "send.unsubscribe-secret", "nudge-bench-unsubscribe-secret-0001");
            NudgeConfig config = config(topic, "bench-mail-" + System.nanoTime(), topic + ".decisions", send);
            try (NudgeService service = NudgeService.start(config)) {
                Figures decisions = offer("nudge", topic, topic + ".decisions", background, rate, warmUp, measure,
                        decided, (r, cause, now) -> {
                            decided.seen(cause, now);
                            var d = json.readTree(r.value());
                            String kind = d.path("kind").asText();
                            // holdouts and revocations are not mailed, nor is a mail to a customer without an address
                            boolean mail = ("mail".equals(kind) || "fallback".equals(kind))
                                    && !d.path("recipient").path("email").asText("").isBlank();
                            if (mail && decided.isRecording()) {
                                causes.putIfAbsent(d.path("decisionId").asText(), cause);
                            }
                        });
                awaitMailed(causes.keySet(), accepted, Duration.ofSeconds(10));
                LatencyRecorder mailed = new LatencyRecorder();
                mailed.startRecording();
                causes.forEach((id, cause) -> {
                    Long at = accepted.get(id);
                    if (at != null) {
                        mailed.seen(cause, at);
                    }
                });
                return new MailFigures(decisions, mailed.quantileMillis(0.5), mailed.quantileMillis(0.99),
                        mailed.count(), causes.size());
            }
        }
    }

    /** Waits until every decision of {@code ids} that is going to be mailed was, or nothing arrived for {@code quiet}. */
    private static void awaitMailed(Set<String> ids, Map<String, Long> accepted, Duration quiet)
            throws InterruptedException {
        int last = -1;
        long lastChange = System.nanoTime();
        while (System.nanoTime() - lastChange < quiet.toNanos()) {
            int n = accepted.size();
            if (n != last) {
                last = n;
                lastChange = System.nanoTime();
            }
            if (accepted.keySet().containsAll(ids)) {
                return;
            }
            Thread.sleep(50);
        }
    }

    /**
     * The mail run: its event → decision figures, and event → mail accepted by the relay over the {@code mails} mails
     * the relay had of the {@code decided} mails to an address decided after the warm-up.
     */
    public record MailFigures(Figures decisions, double p50Millis, double p99Millis, int mails, int decided) {
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
        return offer(stage, in, out, background, rate, warmUp, measure, latencies,
                (r, cause, now) -> latencies.seen(cause, now));
    }

    private Figures offer(String stage, String in, String out, Iterator<CustomerEvent> background, int rate,
                          Duration warmUp, Duration measure, LatencyRecorder latencies, Output output)
            throws Exception {
        OutputReader reader = new OutputReader(out, output);
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
        return config(topic, group, decisions, Map.of());
    }

    private NudgeConfig config(String topic, String group, String decisions, Map<String, String> overrides) {
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
        s.putAll(overrides);
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

    /** What is done with each output record that names its cause's time. */
    @FunctionalInterface
    private interface Output {
        void read(ConsumerRecord<String, byte[]> record, long causeMillis, long nowMillis) throws Exception;
    }

    /** Reads the output topic on its own thread and hands each record with a cause time to its {@link Output}. */
    private final class OutputReader extends Thread {
        private final String topic;
        private final Output handler;
        private volatile boolean running = true;
        private volatile boolean assigned;

        OutputReader(String topic, Output handler) {
            super("bench-output-reader");
            setDaemon(true);
            this.topic = topic;
            this.handler = handler;
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
                            handler.read(r, Long.parseLong(new String(cause.value(), StandardCharsets.UTF_8)),
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
