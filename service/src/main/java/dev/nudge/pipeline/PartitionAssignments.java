package dev.nudge.pipeline;

import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BiFunction;

/**
 * Keeps one {@link PartitionState} per assigned partition. Runs inside {@code poll()} on the consumer's thread,
 * which is the only place a new owner can seek back to its replay point before records are fetched.
 */
final class PartitionAssignments implements ConsumerRebalanceListener {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionAssignments.class);

    private final Map<TopicPartition, PartitionState> states;
    private final BiFunction<TopicPartition, OffsetAndMetadata, PartitionState> factory;
    private final ConcurrentLinkedQueue<PartitionState> retired = new ConcurrentLinkedQueue<>();
    private org.apache.kafka.clients.consumer.Consumer<?, ?> consumer;

    PartitionAssignments(Map<TopicPartition, PartitionState> states,
                         BiFunction<TopicPartition, OffsetAndMetadata, PartitionState> factory) {
        this.states = states;
        this.factory = factory;
    }

    void attach(org.apache.kafka.clients.consumer.Consumer<?, ?> consumer) {
        this.consumer = consumer;
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(Set.copyOf(partitions));
        for (TopicPartition tp : partitions) {
            OffsetAndMetadata c = committed.get(tp);
            PartitionState state = factory.apply(tp, c);
            if (state.inReplay()) {
                consumer.seek(tp, Checkpoint.Mark.decode(c.metadata()).orElseThrow().replayFrom());
            }
            PartitionState old = states.put(tp, state);
            if (old != null) {
                retired.add(old);
            }
        }
        LOG.debug("assigned partitions {}", partitions);
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            PartitionState old = states.remove(tp);
            if (old != null) {
                retired.add(old);
            }
        }
        if (!partitions.isEmpty()) {
            LOG.debug("revoked partitions {}", partitions);
        }
    }

    /** Disposes sessions of partitions taken away, on the verticle's thread, never during rule work. */
    void applyRevocations() {
        PartitionState s;
        while ((s = retired.poll()) != null) {
            s.close();
        }
    }
}
