package dev.nudge.pipeline;

import dev.nudge.engine.Decision;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/** What one poll produced: records to send (decisions, dead letters) and offsets to commit once they are acknowledged. */
final class Outbox {

    /** A record to send; {@code decision} and {@code causeMillis} are set for decisions, to measure latency. */
    record Pending(ProducerRecord<String, byte[]> record, Decision decision, long causeMillis) {
    }

    final List<Pending> records = new ArrayList<>();
    final Map<TopicPartition, Long> nextOffsets = new HashMap<>();

    boolean isEmpty() {
        return records.isEmpty() && nextOffsets.isEmpty();
    }
}
