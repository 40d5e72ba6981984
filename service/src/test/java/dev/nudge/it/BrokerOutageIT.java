package dev.nudge.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.app.NudgeService;
import dev.nudge.event.Json;
import dev.nudge.kafka.EmbeddedKafka;
import dev.nudge.kafka.KafkaProps;
import dev.nudge.testing.TestKafka;
import dev.nudge.testing.TestServices;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * While the broker is away the engine sees no events, but that is not a quiet shop: the checkouts made meanwhile wait
 * in the shop's producer. Event time must not run on with the wall clock then, or the carts fall due before their
 * checkouts arrive and buyers get an abandoned-cart mail.
 */
class BrokerOutageIT {

    private static final ObjectMapper JSON = Json.mapper();

    private static byte[] cart(String customer, Instant at) {
        return """
                {"eventId":"%1$s-c","type":"CartUpdated","customerId":"%1$s","timestamp":"%2$s","cartId":"cart-%1$s",
                 "items":[{"productId":"mug","name":"Mug","price":9,"quantity":1}]}""".formatted(customer, at)
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void checkoutsHeldUpByABrokerOutageStillCancelTheirCarts(@TempDir Path data) throws Exception {
        EmbeddedKafka broker = EmbeddedKafka.start(data, 0);
        String bootstrap = broker.bootstrapServers();
        int port = Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1));
        Map<String, String> settings = TestServices.wallClockSettings(bootstrap, 1);
        // a quiet partition's event time runs on 60 times as fast as the wall clock: the carts are due in 31 s
        settings.put("engine.idle-tick", "1s");
        settings.put("engine.clock-speed", "60");
        settings.put("send.enabled", "false");
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofMinutes(2));
        Map<String, Object> shop = new HashMap<>(KafkaProps.producer(bootstrap, Map.of()));
        shop.put("delivery.timeout.ms", "300000");
        shop.put("max.block.ms", "300000");
        try (NudgeService service = NudgeService.start(TestServices.config(settings));
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(shop)) {
            var topics = service.config().kafka().topics();
            producer.send(new ProducerRecord<>(topics.events(), "ana", cart("ana", t0))).get();
            producer.send(new ProducerRecord<>(topics.events(), "bob", cart("bob", t0.plusSeconds(1)))).get();
            TestKafka.awaitCommitted(bootstrap, service.config().kafka().consumerGroup(),
                    new TopicPartition(topics.events(), 0), 2);

            broker.close();
            // Ana orders five minutes after her cart; the shop's producer holds the event while the broker is away
            // (send blocks while the producer looks for the broker: the shop's thread waits, the test goes on)
            ProducerRecord<String, byte[]> order = new ProducerRecord<>(topics.events(), "ana", """
                    {"eventId":"ana-o","type":"CheckoutCompleted","customerId":"ana","timestamp":"%s",
                     "cartId":"cart-ana","orderId":"o-1"}""".formatted(t0.plus(Duration.ofMinutes(5)))
                    .getBytes(StandardCharsets.UTF_8));
            CompletableFuture<?> held = CompletableFuture.runAsync(() -> {
                try {
                    producer.send(order).get();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            // 40 s away: at 60 times the wall clock, long past both carts' 30 minutes and the allowed minute
            await().pollDelay(Duration.ofSeconds(40)).atMost(Duration.ofSeconds(41)).until(() -> true);
            broker = EmbeddedKafka.start(data, port);
            held.get(2, TimeUnit.MINUTES);

            // Bob never ordered: his mail proves the carts' time came; Ana's order cancelled hers
            List<ConsumerRecord<String, byte[]>> decisions = TestKafka.readUntil(bootstrap, topics.decisions(),
                    read -> read.stream().anyMatch(r -> "bob".equals(r.key())), Duration.ofSeconds(60));
            List<String> mailed = decisions.stream().map(r -> json(r.value()))
                    .filter(d -> "mail".equals(d.path("kind").asText())).map(d -> d.path("customerId").asText())
                    .toList();
            assertTrue(mailed.contains("bob"), "Bob's abandoned cart is mailed: " + mailed);
            assertEquals(List.of("bob"), mailed, "Ana ordered during the outage: no abandoned-cart mail for her");
        } finally {
            broker.close();
        }
    }

    private static JsonNode json(byte[] value) {
        try {
            return JSON.readTree(value);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
