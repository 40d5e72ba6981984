package dev.nudge.pipeline;

import dev.nudge.decision.Decision;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What one poll produced: records to send (decisions, dead letters) and offsets to commit once they are acknowledged. */
public final class Outbox {

    /** A record to send; {@code decision} and {@code causeMillis} are set for decisions, to measure latency. */
    public record Pending(ProducerRecord<String, byte[]> record, Decision decision, long causeMillis) {
    }

    final List<Pending> records = new ArrayList<>();
    final Map<TopicPartition, OffsetAndMetadata> commitOffsets = new HashMap<>();

    public void send(ProducerRecord<String, byte[]> record) {
        records.add(new Pending(record, null, 0));
    }

    public void commit(TopicPartition tp, OffsetAndMetadata offset) {
        commitOffsets.put(tp, offset);
    }
}
