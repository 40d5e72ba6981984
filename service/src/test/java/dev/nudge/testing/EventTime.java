package dev.nudge.testing;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** Moves a partition's event time as real traffic would: another shopper's page view, later on. */
public final class EventTime {

    private EventTime() {
    }

    /**
     * A page view of a bystander at {@code at}, on the events topic's only partition, its record sent at the same time
     * (as the demo's shoppers send theirs: the engine judges clock skew against the record's timestamp).
     */
    public static void moveTo(String bootstrap, String topic, Instant at) throws Exception {
        String event = "{\"eventId\":\"later-" + UUID.randomUUID() + "\",\"type\":\"PageVisited\",\"customerId\":"
                + "\"bystander\",\"timestamp\":\"" + at + "\",\"url\":\"https://shop.example/\"}";
        try (var producer = new KafkaProducer<String, byte[]>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            producer.send(new ProducerRecord<>(topic, null, at.toEpochMilli(), "bystander",
                    event.getBytes(StandardCharsets.UTF_8))).get();
        }
    }
}
