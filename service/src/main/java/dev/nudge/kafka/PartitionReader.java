package dev.nudge.kafka;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads one partition of a topic (or all of them) from its start to its end as it is now, outside any consumer group:
 * how a new partition owner brings back state kept in a compacted topic (customers, the send ledger), and how a report
 * reads a topic without committing anything or disturbing anyone. Blocking.
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

    /** Hands the records of offsets {@code from} (inclusive) to {@code to} (exclusive) to {@code each}, in order. */
    public static void readRange(String bootstrap, String topic, int partition, long from, long to,
                                 Consumer<ConsumerRecord<String, byte[]>> each) {
        if (from >= to) {
            return;
        }
        TopicPartition tp = new TopicPartition(topic, partition);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(KafkaProps.groupless(bootstrap))) {
            consumer.assign(List.of(tp));
            consumer.seek(tp, from);
            while (consumer.position(tp, TIMEOUT) < to) {
                for (ConsumerRecord<String, byte[]> rec : consumer.poll(Duration.ofMillis(500))) {
                    if (rec.offset() >= to) {
                        return;
                    }
                    each.accept(rec);
                }
            }
        }
    }

    /**
     * Every partition of a topic, as {@link #readAll} reads one: hands every record up to the end offsets found at the
     * start to {@code each} (in order within a partition) and returns how many. A topic that does not exist reads as
     * empty.
     */
    public static long readTopic(String bootstrap, String topic, Consumer<ConsumerRecord<String, byte[]>> each) {
        long count = 0;
        Map<String, Object> props = new HashMap<>(KafkaProps.groupless(bootstrap));
        // on a broker that creates topics on demand, a report run before the service must not create the topic with
        // the broker's defaults (the conversions topic keeps 400 days); the embedded broker never does
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, TIMEOUT).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            if (partitions.isEmpty()) {
                return 0;
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, TIMEOUT);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp, TIMEOUT) < end.get(tp))) {
                for (ConsumerRecord<String, byte[]> rec : consumer.poll(Duration.ofMillis(500))) {
                    // records written after the scan began belong to the next report
                    if (rec.offset() < end.get(new TopicPartition(rec.topic(), rec.partition()))) {
                        each.accept(rec);
                        count++;
                    }
                }
            }
        }
        return count;
    }
}
