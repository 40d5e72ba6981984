package dev.nudge.bench;

import dev.nudge.pipeline.BatchLoop;
import dev.nudge.kafka.KafkaProps;
import dev.nudge.pipeline.Outbox;
import dev.nudge.kafka.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.LoggerFactory;

import java.util.Map;

/** The benchmark's upper bound: the engine's own loop ({@link BatchLoop}) with no parsing and no rules, each record copied. */
public final class PassthroughVerticle extends BatchLoop {

    private final String out;

    public PassthroughVerticle(String bootstrap, String in, String out, String group) {
        super(in, KafkaProps.consumer(bootstrap, group, Map.of()), KafkaProps.producer(bootstrap, Map.of()));
        this.out = out;
    }

    @Override
    protected Outbox process(ConsumerRecords<String, byte[]> records) {
        Outbox outbox = new Outbox();
        for (ConsumerRecord<String, byte[]> r : records) {
            RecordHeaders headers = new RecordHeaders();
            headers.add(Headers.CAUSE_TIME, Long.toString(r.timestamp()).getBytes(StandardCharsets.UTF_8));
            outbox.send(new ProducerRecord<>(out, null, r.key(), r.value(), headers));
            outbox.commit(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
        }
        return outbox;
    }

    @Override
    protected void failed(Throwable cause) {
        LoggerFactory.getLogger(PassthroughVerticle.class).error("passthrough stopped: {}", cause.toString());
    }
}
