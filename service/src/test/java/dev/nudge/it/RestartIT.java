package dev.nudge.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.app.NudgeService;
import dev.nudge.config.NudgeConfig;
import dev.nudge.event.Json;
import dev.nudge.testing.BrokerExtension;
import dev.nudge.testing.TestKafka;
import dev.nudge.testing.TestServices;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Stopping and starting the service forgets no pending cart and sends no decision twice. */
@ExtendWith(BrokerExtension.class)
class RestartIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = Json.mapper();

    private static String cart(String id, String customer, String at) {
        return "{\"eventId\":\"" + id + "\",\"type\":\"CartUpdated\",\"customerId\":\"" + customer
                + "\",\"timestamp\":\"2026-03-02T" + at + "Z\",\"cartId\":\"cart-" + customer
                + "\",\"items\":[{\"productId\":\"mug\",\"name\":\"Mug\",\"price\":12,\"quantity\":2}]}";
    }

    private static String visit(String id, String customer, String at) {
        return "{\"eventId\":\"" + id + "\",\"type\":\"PageVisited\",\"customerId\":\"" + customer
                + "\",\"timestamp\":\"2026-03-02T" + at + "Z\",\"url\":\"https://shop.example/\"}";
    }

    @Test
    void pendingCartSurvivesARestartAndNoDecisionIsSentTwice() throws Exception {
        // one partition, so every event below shares one event-time clock
        Map<String, String> settings = TestServices.settings(BrokerExtension.bootstrap, 1);
        NudgeConfig config;
        String events;
        try (NudgeService first = NudgeService.start(TestServices.config(settings))) {
            config = first.config();
            events = config.kafka().topics().events();
            String bootstrap = config.kafka().bootstrapServers();
            TestKafka.produce(bootstrap, events, "yan", cart("r1", "yan", "10:00:00"));   // decided before the restart
            TestKafka.produce(bootstrap, events, "xia", cart("r2", "xia", "10:20:00"));   // still pending at the restart
            TestKafka.produce(bootstrap, events, "zoe", visit("r3", "zoe", "10:40:00"));  // watermark 10:39: yan is due
            assertEquals(List.of("yan"), customers(read(config, 1)));
            awaitCommitted(config, 3);
        }
        try (NudgeService second = NudgeService.start(TestServices.config(settings))) {
            TestKafka.produce(config.kafka().bootstrapServers(), events, "zoe", visit("r4", "zoe", "10:52:00"));
            List<ConsumerRecord<String, byte[]>> decisions = read(config, 2);
            assertEquals(List.of("yan", "xia"), customers(decisions), "xia's cart decided after the restart, yan's not again");
            JsonNode xia = JSON.readTree(decisions.get(1).value());
            assertEquals("2026-03-02T10:50:00Z", xia.get("decidedAt").asText());
        }
    }

    @Test
    void anUnsubscribeOlderThanTheReplayStillHoldsAfterARestart() throws Exception {
        Map<String, String> settings = TestServices.settings(BrokerExtension.bootstrap, 1);
        // a replay of one hour: the unsubscribe below is not re-read, only the customers topic can bring it back
        settings.put("engine.replay-horizon", "1h");
        NudgeConfig config;
        try (NudgeService first = NudgeService.start(TestServices.config(settings))) {
            config = first.config();
            String bootstrap = config.kafka().bootstrapServers();
            TestKafka.produce(bootstrap, config.kafka().topics().events(), "una", "{\"eventId\":\"u1\","
                    + "\"type\":\"Unsubscribed\",\"customerId\":\"una\",\"timestamp\":\"2026-03-02T08:00:00Z\"}");
            // the replay restarts at the newest record read while the watermark was an hour behind the last one
            TestKafka.produce(bootstrap, config.kafka().topics().events(), "zoe", visit("u1b", "zoe", "11:00:00"));
            TestKafka.produce(bootstrap, config.kafka().topics().events(), "zoe", visit("u2", "zoe", "12:00:00"));
            awaitCommitted(config, 3);
        }
        try (NudgeService second = NudgeService.start(TestServices.config(settings))) {
            String bootstrap = config.kafka().bootstrapServers();
            TestKafka.produce(bootstrap, config.kafka().topics().events(), "una", cart("u3", "una", "12:10:00"));
            TestKafka.produce(bootstrap, config.kafka().topics().events(), "zoe", visit("u4", "zoe", "12:41:00"));
            List<ConsumerRecord<String, byte[]>> audit = TestKafka.readUntil(bootstrap, config.kafka().topics().audit(),
                    l -> !l.isEmpty(), WAIT);
            JsonNode d = JSON.readTree(audit.get(0).value());
            assertEquals("una", d.get("customerId").asText());
            assertEquals("unsubscribed", d.get("reason").asText(), d.toString());
            assertEquals(List.of(), TestKafka.readUntil(bootstrap, config.kafka().topics().decisions(), l -> false,
                    Duration.ofSeconds(2)), "no mail to a customer who unsubscribed, restart or not");
        }
    }

    private static List<ConsumerRecord<String, byte[]>> read(NudgeConfig config, int atLeast) {
        // read a little past the expected count, so a repeat would show up
        List<ConsumerRecord<String, byte[]>> all = TestKafka.readUntil(config.kafka().bootstrapServers(),
                config.kafka().topics().decisions(), l -> l.size() > atLeast, Duration.ofSeconds(3));
        return all.size() >= atLeast ? all : TestKafka.readUntil(config.kafka().bootstrapServers(),
                config.kafka().topics().decisions(), l -> l.size() >= atLeast, WAIT);
    }

    private static List<String> customers(List<ConsumerRecord<String, byte[]>> records) {
        return records.stream().map(ConsumerRecord::key).toList();
    }

        @Test
    void theReplayAfterARestartNeverMovesTheCommittedOffsetBack() throws Exception {
        Map<String, String> settings = TestServices.settings(BrokerExtension.bootstrap, 1);
        // small batches: the replay below takes hundreds of them, each of which used to commit its own offset
        settings.put("kafka.consumer.client.max.poll.records", "10");
        NudgeConfig config;
        int n = 2000;
        try (NudgeService first = NudgeService.start(TestServices.config(settings))) {
            config = first.config();
            try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, byte[]>(
                    new java.util.HashMap<String, Object>(dev.nudge.kafka.KafkaProps.producer(
                            config.kafka().bootstrapServers(), Map.of())))) {
                for (int i = 0; i < n; i++) {
                    String at = "10:%02d:%02d".formatted(i / 60 % 60, i % 60);
                    producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(
                            config.kafka().topics().events(), "c" + i % 50,
                            visit("v" + i, "c" + i % 50, at).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                }
            }
            awaitCommitted(config, n);
        }
        TopicPartition tp = new TopicPartition(config.kafka().topics().events(), 0);
        long[] lowest = {Long.MAX_VALUE};
        try (NudgeService second = NudgeService.start(TestServices.config(settings));
             var admin = org.apache.kafka.clients.admin.Admin.create(Map.<String, Object>of(
                     "bootstrap.servers", config.kafka().bootstrapServers()))) {
            TestKafka.produce(config.kafka().bootstrapServers(), config.kafka().topics().events(), "zoe",
                    visit("after", "zoe", "11:00:00"));
            // every committed offset seen while the second service replays and then reads the new event
            org.awaitility.Awaitility.await().atMost(WAIT).pollInterval(java.time.Duration.ofMillis(5)).until(() -> {
                var o = admin.listConsumerGroupOffsets(config.kafka().consumerGroup())
                        .partitionsToOffsetAndMetadata().get().get(tp);
                lowest[0] = Math.min(lowest[0], o.offset());
                return o.offset() > n;
            });
        }
        assertEquals(n, lowest[0], "the committed offset stays where the first service left it until the replay is "
                + "done");
    }

/** The offset commit follows the decision's acknowledgement; wait for it before stopping. */
    private static void awaitCommitted(NudgeConfig config, long offset) {
        TestKafka.awaitCommitted(config.kafka().bootstrapServers(), config.kafka().consumerGroup(),
                new TopicPartition(config.kafka().topics().events(), 0), offset);
    }
}
