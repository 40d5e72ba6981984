package dev.nudge.pipeline;

import dev.nudge.engine.PartitionEngine;
import dev.nudge.event.EventParser;
import dev.nudge.event.ParseResult;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;

/**
 * Reads one partition of the compacted customers topic back into a new partition owner's session: profiles and
 * consent signals older than the replay horizon, so an unsubscribe from last year still holds after a restart.
 */
final class CustomerState {

    private static final Logger LOG = LoggerFactory.getLogger(CustomerState.class);

    private CustomerState() {
    }

    static int restore(String bootstrap, String topic, int partition, EventParser parser, PartitionEngine engine) {
        TopicPartition tp = new TopicPartition(topic, partition);
        int restored = 0;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(KafkaProps.groupless(bootstrap))) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp), Duration.ofSeconds(30)).get(tp);
            while (consumer.position(tp, Duration.ofSeconds(30)) < end) {
                for (ConsumerRecord<String, byte[]> rec : consumer.poll(Duration.ofMillis(500))) {
                    if (rec.offset() >= end) {
                        break;
                    }
                    if (parser.parse(rec.value()) instanceof ParseResult.Parsed p) {
                        engine.restore(p.event());
                        restored++;
                    }
                }
            }
        }
        LOG.info("partition {}: {} customer facts restored from {}", partition, restored, topic);
        return restored;
    }
}
