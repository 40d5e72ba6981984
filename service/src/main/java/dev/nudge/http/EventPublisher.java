package dev.nudge.http;

import dev.nudge.config.IngestConfig;
import dev.nudge.config.Topics;
import dev.nudge.event.Refusal;
import dev.nudge.kafka.Headers;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.client.producer.KafkaHeader;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;

import java.time.Clock;

/**
 * Writes what came in over HTTP to Kafka: an accepted event to the events topic, keyed by customer and labelled with
 * its write key's source; a refused one, where no caller will read the answer, to the dead-letter topic with why.
 */
final class EventPublisher {

    private final KafkaProducer<String, byte[]> producer;
    private final Topics topics;
    private final Clock clock;

    /**
     * {@code clock}: when events are received, the records' timestamp, which the engine judges clock skew against (the
     * wall clock; in {@code nudge run} the demo's, which may be hours ahead).
     */
    EventPublisher(KafkaProducer<String, byte[]> producer, Topics topics, Clock clock) {
        this.producer = producer;
        this.topics = topics;
        this.clock = clock;
    }

    Future<?> publish(EventIntake.Item item, IngestConfig.WriteKey key) {
        KafkaProducerRecord<String, byte[]> rec = KafkaProducerRecord.create(topics.events(),
                item.event().customerId(), item.raw(), clock.millis(), null);
        rec.addHeader(KafkaHeader.header(Headers.EVENT_SOURCE, key.source()));
        return producer.send(rec);
    }

    /** {@code origin}: where it came from, for the {@code nudge-source} header ({@code POST /v1/batch [3]}). */
    Future<?> deadLetter(byte[] raw, String reason, String origin, IngestConfig.WriteKey key) {
        KafkaProducerRecord<String, byte[]> rec = KafkaProducerRecord.create(topics.deadLetters(), null, raw);
        rec.addHeader(KafkaHeader.header(Headers.ERROR, Buffer.buffer(Headers.value(reason))));
        rec.addHeader(KafkaHeader.header(Headers.REFUSAL, Refusal.Kind.INVALID.code()));
        rec.addHeader(KafkaHeader.header(Headers.SOURCE, origin));
        rec.addHeader(KafkaHeader.header(Headers.EVENT_SOURCE, key.source()));
        return producer.send(rec);
    }
}
