package dev.nudge.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.event.EventParser;
import dev.nudge.event.ParseResult;
import dev.nudge.kafka.KafkaProps;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where the demo's simulated time may start: after the newest event a previous run left in the events topic. The
 * shoppers live faster than real time, so a run stopped an hour ago may have left events hours ahead of the clock,
 * and a new run starting at the wall clock would be behind them: every mail would be stale.
 */
final class ResumePoint {

    /** Records read back from the end of each partition: the newest event time is among the last ones. */
    private static final int TAIL = 200;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private ResumePoint() {
    }

    /** The newest event time in the last records of the topic, or {@link Long#MIN_VALUE} for an empty topic. */
    static long newestEventTime(String bootstrap, String topic, ObjectMapper json) {
        long newest = Long.MIN_VALUE;
        EventParser parser = new EventParser(json);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(KafkaProps.groupless(bootstrap))) {
            List<TopicPartition> parts = new ArrayList<>();
            for (PartitionInfo p : consumer.partitionsFor(topic, TIMEOUT)) {
                parts.add(new TopicPartition(topic, p.partition()));
            }
            consumer.assign(parts);
            Map<TopicPartition, Long> ends = consumer.endOffsets(parts, TIMEOUT);
            ends.forEach((tp, end) -> consumer.seek(tp, Math.max(0, end - TAIL)));
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (parts.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> rec : consumer.poll(Duration.ofMillis(200))) {
                    newest = Math.max(newest, eventTime(rec.value(), parser));
                }
            }
        }
        return newest;
    }

    private static long eventTime(byte[] value, EventParser parser) {
        // what the engine would make of it, Segment calls and offsets included; not ours to judge the rest
        return parser.parse(value) instanceof ParseResult.Parsed p ? p.event().getEventTime() : Long.MIN_VALUE;
    }
}
