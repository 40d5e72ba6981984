package dev.nudge.bench;

import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;

import java.nio.charset.StandardCharsets;

/** Maps a customer id to a partition exactly as the Kafka producer does for a String key, so bench and broker agree. */
public final class KeyPartitioner {

    private KeyPartitioner() {
    }

    /** murmur2 of the UTF-8 key, made positive, modulo the partition count: the producer's rule for keyed records. */
    public static int partition(String key, int partitions) {
        return BuiltInPartitioner.partitionForKey(key.getBytes(StandardCharsets.UTF_8), partitions);
    }
}
