package dev.nudge.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.config.NudgeConfig;
import dev.nudge.engine.PartitionEngine;
import dev.nudge.engine.RuleSet;
import dev.nudge.metrics.Metrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.producer.KafkaProducer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The decision pipeline on Kafka: poll events, run each partition's rules, send decisions and dead letters,
 * commit the offsets once the cluster acknowledged them, poll again.
 *
 * <p>Deployed as a worker verticle, so rule work never runs on an event loop. Within one instance everything
 * happens in order on one thread at a time: one poll is processed, sent and committed before the next.
 */
public final class EngineVerticle extends VerticleBase {

    private static final Logger LOG = LoggerFactory.getLogger(EngineVerticle.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(100);

    private final NudgeConfig config;
    private final Supplier<RuleSet> rules;
    private final Metrics metrics;
    private final RecordProcessor processor;
    private final Map<TopicPartition, PartitionState> states = new ConcurrentHashMap<>();
    private final PartitionAssignments assignments;
    private KafkaConsumer<String, byte[]> consumer;
    private KafkaProducer<String, byte[]> producer;
    private volatile boolean stopping;
    private volatile long lag;

    public EngineVerticle(NudgeConfig config, Supplier<RuleSet> rules, Metrics metrics, ObjectMapper json) {
        this.config = config;
        this.rules = rules;
        this.metrics = metrics;
        this.processor = new RecordProcessor(config.kafka().topics(), json, metrics);
        this.assignments = new PartitionAssignments(states, this::newState);
    }

    @Override
    public Future<?> start() {
        var k = config.kafka();
        producer = KafkaProducer.create(vertx, KafkaProps.producer(k.bootstrapServers(), k.producerOverrides()));
        consumer = KafkaConsumer.create(vertx, KafkaProps.consumer(k.bootstrapServers(), k.consumerGroup(),
                k.consumerOverrides()));
        String topic = k.topics().events();
        return consumer.subscribe(topic).map(v -> {
            // our own listener runs inside poll(), so a new owner seeks to its replay point before any fetch
            assignments.attach(consumer.unwrap());
            consumer.unwrap().subscribe(List.of(topic), assignments);
            context.runOnContext(x -> pollLoop());
            return null;
        });
    }

    private PartitionState newState(TopicPartition tp, OffsetAndMetadata committed) {
        var e = config.engine();
        PartitionEngine engine = new PartitionEngine(rules.get(), e.allowedLateness(), e.dedupWindow());
        var mark = committed == null ? java.util.Optional.<Checkpoint.Mark>empty()
                : Checkpoint.Mark.decode(committed.metadata());
        long horizon = e.replayHorizon().toMillis();
        if (mark.isPresent() && mark.get().replayFrom() < committed.offset()) {
            LOG.info("partition {}: replaying offsets {}..{} to rebuild pending triggers", tp,
                    mark.get().replayFrom(), committed.offset() - 1);
            return new PartitionState(engine, new Checkpoint(horizon, mark.get().replayFrom()), committed.offset(),
                    mark.get().watermark());
        }
        return new PartitionState(engine, new Checkpoint(horizon, committed == null ? 0 : committed.offset()), -1,
                Long.MIN_VALUE);
    }

    private void pollLoop() {
        if (stopping) {
            return;
        }
        consumer.poll(POLL_TIMEOUT)
                .map(records -> handle(records.records()))
                .compose(this::sendAndCommit)
                .onComplete(ar -> {
                    if (ar.failed() && !stopping) {
                        LOG.error("engine loop failed, polling again: {}", ar.cause().toString());
                    }
                    pollLoop();
                });
    }

    private Outbox handle(ConsumerRecords<String, byte[]> records) {
        assignments.applyRevocations();
        Outbox out = new Outbox();
        for (ConsumerRecord<String, byte[]> rec : records) {
            PartitionState state = states.get(new TopicPartition(rec.topic(), rec.partition()));
            if (state != null) {
                processor.process(rec, state, out);
                state.sawEvent(System.currentTimeMillis());
            }
        }
        var e = config.engine();
        processor.tick(states, System.currentTimeMillis(), e.idleTick().toMillis(), e.clockSpeed(), out);
        updateLag();
        return out;
    }

    /** Sends everything, then commits; a failed send leaves the offset uncommitted, so the events are read again. */
    private Future<Void> sendAndCommit(Outbox out) {
        if (out.isEmpty()) {
            return Future.succeededFuture();
        }
        io.vertx.core.Promise<Void> promise = io.vertx.core.Promise.promise();
        Producer<String, byte[]> raw = producer.unwrap();
        AtomicInteger remaining = new AtomicInteger(out.records.size() + 1);
        AtomicReference<Exception> failure = new AtomicReference<>();
        Runnable done = () -> {
            if (remaining.decrementAndGet() == 0) {
                // back on the verticle's thread: the commit must not race the next poll
                context.runOnContext(v -> {
                    if (failure.get() != null) {
                        promise.fail(failure.get());
                    } else {
                        promise.complete();
                    }
                });
            }
        };
        // the native send: Vert.x's wrapper hops to a worker thread per record, which costs a third of throughput
        for (Outbox.Pending p : out.records) {
            raw.send(p.record(), (meta, err) -> {
                if (err != null) {
                    failure.set(err);
                } else if (p.decision() != null) {
                    metrics.decision(p.decision());
                    metrics.latency(Duration.ofMillis(Math.max(0, System.currentTimeMillis() - p.causeMillis())));
                }
                done.run();
            });
        }
        done.run();
        return promise.future().map(v -> {
            commit(out.nextOffsets);
            return null;
        });
    }

    private void commit(Map<TopicPartition, Long> nextOffsets) {
        if (nextOffsets.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        nextOffsets.forEach((tp, next) -> {
            PartitionState s = states.get(tp);
            if (s != null) {
                long wm = s.engine.watermark();
                String meta = new Checkpoint.Mark(wm, s.checkpoint.replayFrom(wm)).encode();
                offsets.put(tp, new OffsetAndMetadata(next, meta));
            }
        });
        try {
            consumer.unwrap().commitSync(offsets);
        } catch (RuntimeException e) {
            // a rebalance took the partition away: its new owner replays, and decision ids absorb the rest
            LOG.warn("commit of {} failed: {}", offsets.keySet(), e.toString());
        }
    }

    /** Facts in working memory over this verticle's partitions. */
    public long factCount() {
        return states.values().stream().mapToLong(s -> s.engine.factCount()).sum();
    }

    /** Events not yet read from this verticle's partitions, as the consumer knew it after the last poll. */
    public long lag() {
        return lag;
    }

    /** The consumer is not thread-safe, so lag is read here, between polls, and published for the scrape. */
    private void updateLag() {
        long sum = 0;
        for (TopicPartition tp : states.keySet()) {
            sum += consumer.unwrap().currentLag(tp).orElse(0);
        }
        lag = sum;
    }

    @Override
    public Future<?> stop() {
        stopping = true;
        states.values().forEach(s -> s.engine.close());
        return consumer.close().eventually(() -> producer.close());
    }
}
