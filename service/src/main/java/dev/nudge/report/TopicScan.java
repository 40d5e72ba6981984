package dev.nudge.report;

import dev.nudge.kafka.KafkaProps;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads every partition of a topic from its start to its end as it is at the start of the scan, outside any consumer
 * group (a report commits nothing and disturbs no one). Blocking; a topic that does not exist reads as empty.
 */
final class TopicScan {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private TopicScan() {
    }

    /** Hands every record up to the end offsets found at the start to {@code each}; returns how many. */
    static long readAll(String bootstrap, String topic, Consumer<ConsumerRecord<String, byte[]>> each) {
        long count = 0;
        Map<String, Object> props = new java.util.HashMap<>(KafkaProps.groupless(bootstrap));
        // on a broker that creates topics on demand, a report run before the service must not create the topic with
        // the broker's defaults (the conversions topic keeps 400 days); the embedded broker never does
        props.put(org.apache.kafka.clients.consumer.ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
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
