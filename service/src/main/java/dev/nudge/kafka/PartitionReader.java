package dev.nudge.kafka;

import dev.nudge.kafka.KafkaProps;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads one partition of a topic from its start to its end as it is now, outside any consumer group: how a new
 * partition owner brings back state kept in a compacted topic (customers, the send ledger). Blocking.
 */
public final class PartitionReader {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private PartitionReader() {
    }

    /** Hands every record up to the end offset found at the start to {@code each}, in order. */
    public static void readAll(String bootstrap, String topic, int partition,
                               Consumer<ConsumerRecord<String, byte[]>> each) {
        TopicPartition tp = new TopicPartition(topic, partition);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(KafkaProps.groupless(bootstrap))) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp), TIMEOUT).get(tp);
            while (consumer.position(tp, TIMEOUT) < end) {
                for (ConsumerRecord<String, byte[]> rec : consumer.poll(Duration.ofMillis(500))) {
                    if (rec.offset() >= end) {
                        return;
                    }
                    each.accept(rec);
                }
            }
        }
    }
}
