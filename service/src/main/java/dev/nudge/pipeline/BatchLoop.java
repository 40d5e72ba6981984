package dev.nudge.pipeline;

import dev.nudge.kafka.Oversize;
import dev.nudge.supervise.Heartbeat;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.kafka.client.consumer.KafkaReadStream;
import io.vertx.kafka.client.producer.KafkaProducer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The consume-process-produce loop on Kafka, at-least-once: a batch's offsets are committed only after every record
 * it produced is acknowledged, and commits follow batch order.
 *
 * <p>Meant for a worker verticle: {@link #process} runs on one thread at a time. The consumer's own thread
 * fetches the next batch while one is processed, up to {@link #MAX_IN_FLIGHT} batches may wait for their
 * acknowledgements, and one commit at a time carries the offsets of all batches acknowledged since the last.
 * The benchmark's passthrough uses the same loop, so the two compare like for like.
 */
public abstract class BatchLoop extends VerticleBase implements Heartbeat {

    private static final Logger LOG = LoggerFactory.getLogger(BatchLoop.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(100);
    private static final int MAX_IN_FLIGHT = 4;
    private static final long STOP_WAIT_MILLIS = 10_000;
    /** Longer than a healthy consumer goes without an answered fetch, even between busy batches. */
    private static final long ANSWER_GAP_MILLIS = 5_000;

    private final Map<String, String> consumerProps;
    private final Map<String, String> producerProps;
    private final String topic;
    protected KafkaReadStream<String, byte[]> consumer;
    protected KafkaProducer<String, byte[]> producer;
    private Future<Void> acks = Future.succeededFuture();
    private final Map<TopicPartition, OffsetAndMetadata> committable = new HashMap<>();
    private Future<Void> committing = Future.succeededFuture();
    private int inFlight;
    private boolean polling;
    private volatile long lastPollMillis;
    private Metric fetchTotal;
    private double fetchesAnswered;
    private long fetchAnsweredAt;
    private long answeredSince;
    protected volatile boolean stopping;

    protected BatchLoop(String topic, Map<String, String> consumerProps, Map<String, String> producerProps) {
        this.topic = topic;
        this.consumerProps = consumerProps;
        this.producerProps = producerProps;
    }

    /**
     * The last wall time the broker answered a fetch of this consumer. Up to then it has seen the log as the broker had
     * it; after that, with the broker away, "no new events" means "none we can see", not "none happened". Read from
     * the consumer's own fetch count ({@code fetch-total}, counted only for answered fetches; its metrics may be read
     * from any thread).
     */
    protected long lastFetchAnswered(long now) {
        if (fetchTotal == null) {
            fetchTotal = consumer.unwrap().metrics().entrySet().stream()
                    .filter(e -> e.getKey().name().equals("fetch-total")
                            && e.getKey().group().equals("consumer-fetch-manager-metrics"))
                    .map(Map.Entry::getValue).findFirst().orElse(null);
            if (fetchTotal == null) {
                return fetchAnsweredAt;
            }
        }
        double total = ((Number) fetchTotal.metricValue()).doubleValue();
        if (total > fetchesAnswered) {
            if (now - fetchAnsweredAt > ANSWER_GAP_MILLIS) {
                answeredSince = now;
            }
            fetchesAnswered = total;
            fetchAnsweredAt = now;
        }
        return fetchAnsweredAt;
    }

    /**
     * When the broker began to answer after its last silence (no answered fetch for {@link #ANSWER_GAP_MILLIS}; an
     * idle broker answers a fetch every {@code fetch.max.wait.ms}, half a second): as of {@link #lastFetchAnswered}.
     */
    protected long fetchesAnsweredSince() {
        return answeredSince;
    }

    @Override
    public long lastPollMillis() {
        return lastPollMillis;
    }

    /** Turns one polled batch into what to send and what to commit afterwards. */
    protected abstract Outbox process(ConsumerRecords<String, byte[]> records);

    /** Called on the producer's thread when a record of a batch is acknowledged. */
    protected void acknowledged(Outbox.Pending pending) {
    }

    /** Called once when a batch cannot be sent even after the producer's retries; the loop has stopped. */
    protected abstract void failed(Throwable cause);

    /** The rebalance listener, run inside {@code poll()}; null for the default behaviour. */
    protected ConsumerRebalanceListener listener() {
        return null;
    }

    @Override
    public Future<?> start() {
        producer = KafkaProducer.create(vertx, producerProps);
        consumer = KafkaReadStream.create(vertx, new HashMap<>(consumerProps));
        return consumer.subscribe(Set.of(topic)).map(v -> {
            ConsumerRebalanceListener l = listener();
            if (l != null) {
                // a listener of our own runs inside poll(), so a new owner can seek before any fetch
                consumer.unwrap().subscribe(List.of(topic), l);
            }
            context.runOnContext(x -> pollLoop());
            return null;
        });
    }

    private void pollLoop() {
        if (stopping || polling || inFlight >= MAX_IN_FLIGHT) {
            return;
        }
        polling = true;
        consumer.poll(POLL_TIMEOUT).onComplete(ar -> {
            polling = false;
            if (ar.succeeded()) {
                lastPollMillis = System.currentTimeMillis();
            }
            if (stopping) {
                return;
            }
            if (ar.failed()) {
                LOG.error("poll failed, polling again: {}", ar.cause().toString());
                pollLoop();
                return;
            }
            inFlight++;
            pollLoop();
            Outbox out = process(ar.result());
            Future<Void> acked = send(out);
            // acknowledgements are taken in batch order, so committable offsets only ever move forward
            acks = acks.compose(v -> acked).onComplete(done -> {
                inFlight--;
                if (done.failed()) {
                    if (!stopping) {
                        stopping = true;
                        failed(done.cause());
                    }
                    return;
                }
                committable.putAll(out.commitOffsets);
                commitIfIdle();
                pollLoop();
            });
        });
    }

    /** Sends on the native producer: Vert.x's wrapper hops to a worker thread per record, a third of throughput. */
    private Future<Void> send(Outbox out) {
        if (out.records.isEmpty()) {
            return Future.succeededFuture();
        }
        Promise<Void> promise = Promise.promise();
        AtomicInteger remaining = new AtomicInteger(out.records.size());
        AtomicReference<Exception> failure = new AtomicReference<>();
        Runnable oneDone = () -> {
            if (remaining.decrementAndGet() == 0) {
                context.runOnContext(v -> {
                    if (failure.get() != null) {
                        promise.fail(failure.get());
                    } else {
                        promise.complete();
                    }
                });
            }
        };
        for (Outbox.Pending p : out.records) {
            producer.unwrap().send(p.record(), (meta, err) -> {
                ProducerRecord<String, byte[]> summary = err != null && Oversize.refused(err)
                        ? summaryOf(p.record(), err) : null;
                if (summary != null) {
                    // one record too large for the broker must not stop the loop: its summary takes its place
                    producer.unwrap().send(summary, (m2, err2) -> {
                        if (err2 != null) {
                            failure.set(err2);
                        }
                        oneDone.run();
                    });
                    return;
                }
                if (err != null) {
                    failure.set(err);
                } else {
                    acknowledged(p);
                }
                oneDone.run();
            });
        }
        return promise.future();
    }

    /**
     * What to write instead of a record the broker refused as too large, or null to fail the batch. Called on the
     * producer's thread.
     */
    protected ProducerRecord<String, byte[]> summaryOf(ProducerRecord<String, byte[]> refused, Exception why) {
        return null;
    }

    /**
     * One commit at a time, of everything acknowledged since the last: a commit blocks the consumer's thread for a
     * round trip, so committing each batch on its own would hold up the polls.
     */
    private void commitIfIdle() {
        if (committable.isEmpty() || !committing.isComplete()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>(committable);
        committable.clear();
        committing = commit(offsets).onComplete(x -> commitIfIdle());
    }

    private Future<Void> commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
        // a failed commit is not a failed batch: a rebalance took the partition, its new owner reads it again
        return consumer.commit(offsets).<Void>mapEmpty().recover(err -> {
            LOG.warn("commit of {} failed: {}", offsets.keySet(), err.toString());
            return Future.succeededFuture();
        });
    }

    @Override
    public Future<?> stop() {
        stopping = true;
        // what was acknowledged is committed before the consumer goes, so a restart replays as little as possible;
        // a broker that no longer answers must not hold the shutdown up for long
        Future<Void> settled = Future.any(acks, vertx.timer(STOP_WAIT_MILLIS)).<Void>mapEmpty().transform(x -> committing);
        return settled.transform(x -> {
            Map<TopicPartition, OffsetAndMetadata> rest = new HashMap<>(committable);
            committable.clear();
            return rest.isEmpty() ? Future.<Void>succeededFuture() : commit(rest);
        }).transform(x -> consumer.close()).eventually(() -> producer.close(STOP_WAIT_MILLIS));
    }
}
