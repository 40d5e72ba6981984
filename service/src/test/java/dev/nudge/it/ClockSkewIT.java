package dev.nudge.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.app.NudgeService;
import dev.nudge.config.NudgeConfig;
import dev.nudge.event.Json;
import dev.nudge.testing.BrokerExtension;
import dev.nudge.testing.Ingest;
import dev.nudge.testing.TestKafka;
import dev.nudge.testing.TestServices;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One event stamped decades ahead (a phone with a wrong clock) must not silence its partition: it is refused at the
 * edge with its reason, and a partition whose committed event time was already moved into the future by one before
 * this policy recovers on restart.
 */
@ExtendWith(BrokerExtension.class)
class ClockSkewIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = Json.mapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String FAR_FUTURE = "2099-01-01T00:00:00Z";
    // a morning three hours ago: the stories below lie in the past, as shops' events do when they arrive
    private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofHours(3));

    private static String at(int minutes) {
        return T0.plus(Duration.ofMinutes(minutes)).toString();
    }

    private static String cart(String id, String customer, int minute) {
        return """
                {"eventId":"%s","type":"CartUpdated","customerId":"%s","timestamp":"%s","cartId":"cart-%2$s",
                 "items":[{"productId":"mug","name":"Mug","price":12,"quantity":1}]}""".formatted(id, customer, at(minute));
    }

    private static String visit(String id, String customer, String timestamp) {
        return """
                {"eventId":"%s","type":"PageVisited","customerId":"%s","timestamp":"%s","url":"https://shop.example/"}"""
                .formatted(id, customer, timestamp);
    }

    @Test
    void aFarFutureEventIsDeadLetteredAndThePartitionGoesOnDeciding() throws Exception {
        // one partition: without the policy, the 2099 event would move every customer's event time 73 years ahead
        Map<String, String> settings = TestServices.wallClockSettings(BrokerExtension.bootstrap, 1);
        try (NudgeService service = NudgeService.start(TestServices.config(settings))) {
            NudgeConfig config = service.config();
            String bootstrap = config.kafka().bootstrapServers();
            String events = config.kafka().topics().events();
            TestKafka.produce(bootstrap, events, "ana", cart("a1", "ana", 0));
            TestKafka.produce(bootstrap, events, "mal", visit("f1", "mal", FAR_FUTURE));
            TestKafka.produce(bootstrap, events, "ana", """
                    {"eventId":"a2","type":"CheckoutCompleted","customerId":"ana","timestamp":"%s","cartId":"cart-ana",
                     "orderId":"o-1"}""".formatted(at(10)));
            TestKafka.produce(bootstrap, events, "bob", cart("b1", "bob", 5));
            TestKafka.produce(bootstrap, events, "zoe", visit("z1", "zoe", at(40)));

            List<ConsumerRecord<String, byte[]>> dead = TestKafka.readUntil(bootstrap,
                    config.kafka().topics().deadLetters(), l -> !l.isEmpty(), WAIT);
            assertEquals("mal", dead.get(0).key());
            assertEquals("clock-skew", header(dead.get(0), "nudge-refusal"));
            String reason = header(dead.get(0), "nudge-error");
            assertTrue(reason.startsWith("timestamp 2099-01-01T00:00:00Z is 7"), reason);
            assertTrue(reason.contains("more than engine.max-clock-skew (5 minutes)"), reason);

            // Bob's cart is the barrier: once his mail is decided, Ana's would have been too
            List<ConsumerRecord<String, byte[]>> decisions = TestKafka.readUntil(bootstrap,
                    config.kafka().topics().decisions(), l -> l.stream().anyMatch(r -> "bob".equals(r.key())), WAIT);
            assertEquals(List.of("bob"), decisions.stream().map(ConsumerRecord::key).toList(),
                    "Ana bought 10 minutes after her cart: no mail; Bob's is a real mail, not stale-data");
            JsonNode bob = JSON.readTree(decisions.get(0).value());
            assertEquals(at(35), bob.get("decidedAt").asText());
        }
    }

    @Test
    void aFarFutureEventIsRefusedOverHttpWithTheReason() throws Exception {
        Map<String, String> settings = TestServices.wallClockSettings(BrokerExtension.bootstrap, 1);
        try (NudgeService service = NudgeService.start(TestServices.config(settings))) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + service.httpPort() + "/events"))
                    .header("Authorization", Ingest.AUTH).header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("[" + visit("h1", "mal", FAR_FUTURE) + ","
                            + visit("h2", "ann", Instant.now().plusSeconds(60).toString()) + "]")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(400, r.statusCode(), r.body());
            JsonNode results = JSON.readTree(r.body()).get("results");
            assertEquals("rejected", results.get(0).get("status").asText());
            assertTrue(results.get(0).get("error").asText().contains("ahead of the time it was received"), r.body());
            assertEquals("accepted", results.get(1).get("status").asText(), "a minute ahead is within the skew");
        }
    }

    @Test
    void anEventWithoutItsTimeOverHttpHappenedWhenItArrived() throws Exception {
        Map<String, String> settings = TestServices.wallClockSettings(BrokerExtension.bootstrap, 1);
        try (NudgeService service = NudgeService.start(TestServices.config(settings))) {
            Instant before = Instant.now();
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + service.httpPort() + "/events"))
                    .header("Authorization", Ingest.AUTH).header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("""
                            {"eventId":"n1","type":"PageVisited","customerId":"ann","url":"https://shop.example/"}""")).build(),
                    HttpResponse.BodyHandlers.ofString());
            Instant after = Instant.now();
            assertEquals(202, r.statusCode(), r.body());
            var records = TestKafka.readUntil(service.config().kafka().bootstrapServers(),
                    service.config().kafka().topics().events(), l -> !l.isEmpty(), WAIT);
            Instant stamped = Instant.parse(JSON.readTree(records.get(0).value()).get("timestamp").asText());
            assertTrue(!stamped.isBefore(before.truncatedTo(ChronoUnit.MILLIS)) && !stamped.isAfter(after),
                    "stamped on receipt: " + stamped + " not in [" + before + ", " + after + "]");
        }
    }

    @Test
    void aCommittedEventTimeInTheFutureIsNotResumed() throws Exception {
        Map<String, String> settings = TestServices.wallClockSettings(BrokerExtension.bootstrap, 1);
        NudgeConfig config;
        try (NudgeService first = NudgeService.start(TestServices.config(settings))) {
            config = first.config();
            TestKafka.produce(config.kafka().bootstrapServers(), config.kafka().topics().events(), "zoe",
                    visit("z0", "zoe", at(0)));
            TestKafka.awaitCommitted(config.kafka().bootstrapServers(), config.kafka().consumerGroup(),
                    new TopicPartition(config.kafka().topics().events(), 0), 1);
        }
        // what a partition hit by a 2099 event before this release committed
        TopicPartition tp = new TopicPartition(config.kafka().topics().events(), 0);
        try (var consumer = new KafkaConsumer<String, byte[]>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, config.kafka().consumerGroup(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            consumer.assign(List.of(tp));
            consumer.commitSync(Map.of(tp, new OffsetAndMetadata(1,
                    "nudge:v1 wm=" + Instant.parse(FAR_FUTURE).toEpochMilli() + " from=0")));
        }
        try (NudgeService second = NudgeService.start(TestServices.config(settings))) {
            String bootstrap = config.kafka().bootstrapServers();
            TestKafka.produce(bootstrap, config.kafka().topics().events(), "cy", cart("c1", "cy", 1));
            TestKafka.produce(bootstrap, config.kafka().topics().events(), "zoe", visit("z1", "zoe", at(40)));
            List<ConsumerRecord<String, byte[]>> decisions = TestKafka.readUntil(bootstrap,
                    config.kafka().topics().decisions(), l -> !l.isEmpty(), WAIT);
            assertEquals(1, decisions.size(), "Cy's cart is mailed once, on time");
            assertEquals(at(31), JSON.readTree(decisions.get(0).value()).get("decidedAt").asText());
        }
    }

    private static String header(ConsumerRecord<String, byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
