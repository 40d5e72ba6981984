package dev.nudge.bench;

import dev.nudge.pipeline.KafkaProps;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.producer.KafkaProducer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The benchmark's upper bound: the engine verticle's loop (poll, send, commit after acknowledgement) with
 * no parsing and no rules, each record copied to another topic.
 */
public final class PassthroughVerticle extends VerticleBase {

    private final String bootstrap;
    private final String in;
    private final String out;
    private final String group;
    private KafkaConsumer<String, byte[]> consumer;
    private KafkaProducer<String, byte[]> producer;
    private volatile boolean stopping;

    public PassthroughVerticle(String bootstrap, String in, String out, String group) {
        this.bootstrap = bootstrap;
        this.in = in;
        this.out = out;
        this.group = group;
    }

    @Override
    public Future<?> start() {
        producer = KafkaProducer.create(vertx, KafkaProps.producer(bootstrap, Map.of()));
        consumer = KafkaConsumer.create(vertx, KafkaProps.consumer(bootstrap, group, Map.of()));
        return consumer.subscribe(in).onSuccess(v -> context.runOnContext(x -> loop()));
    }

    private void loop() {
        if (stopping) {
            return;
        }
        consumer.poll(Duration.ofMillis(100)).compose(records -> {
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            if (records.isEmpty()) {
                return Future.succeededFuture(offsets);
            }
            Promise<Map<TopicPartition, OffsetAndMetadata>> acked = Promise.promise();
            AtomicInteger remaining = new AtomicInteger(records.size());
            for (ConsumerRecord<String, byte[]> r : records.records()) {
                offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
                producer.unwrap().send(new ProducerRecord<>(out, r.key(), r.value()), (m, e) -> {
                    if (remaining.decrementAndGet() == 0) {
                        context.runOnContext(v -> acked.complete(offsets));
                    }
                });
            }
            return acked.future();
        }).onComplete(ar -> {
            if (ar.succeeded() && !ar.result().isEmpty()) {
                consumer.unwrap().commitSync(ar.result());
            }
            loop();
        });
    }

    @Override
    public Future<?> stop() {
        stopping = true;
        return consumer.close().eventually(() -> producer.close());
    }
}
