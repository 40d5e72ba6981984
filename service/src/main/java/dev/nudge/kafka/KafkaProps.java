package dev.nudge.kafka;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.HashMap;
import java.util.Map;

/** Kafka client settings Nudge relies on, with the user's {@code kafka.producer.*} overrides applied last. */
public final class KafkaProps {

    private KafkaProps() {
    }

    /** Idempotent and fully acknowledged: a decision is only counted as sent once the cluster has it. */
    public static Map<String, String> producer(String bootstrap, Map<String, String> overrides) {
        Map<String, String> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "2");
        p.putAll(overrides);
        return p;
    }

    /** A consumer outside any group, assigned its partitions by hand: it reads and commits nothing for others. */
    public static Map<String, Object> groupless(String bootstrap) {
        Map<String, Object> p = new HashMap<>(consumer(bootstrap, "none", Map.of()));
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        return p;
    }

    /** Manual commits only: an offset is committed after what it caused is acknowledged. */
    public static Map<String, String> consumer(String bootstrap, String group, Map<String, String> overrides) {
        Map<String, String> p = new HashMap<>();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        // A process killed without a goodbye keeps its partitions until the broker stops hearing from it: Kafka's
        // 45 s default left partitions without an owner for about 48 s after a crash. Heartbeats come from a
        // thread of their own, so 10 s (a beat every 2 s) is long enough for a GC pause and short for a crash.
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000");
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "2000");
        p.putAll(overrides);
        return p;
    }
}
