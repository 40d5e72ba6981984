package dev.nudge.it;

import dev.nudge.app.NudgeService;
import dev.nudge.kafka.TopicAdmin;
import dev.nudge.testing.BrokerExtension;
import dev.nudge.testing.Scrape;
import dev.nudge.testing.TestKafka;
import dev.nudge.testing.TestServices;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine's decision writes fail for good ("Topic … not present in metadata", as after a long broker outage): the
 * engine is replaced, and replaced again for as long as the writes cannot succeed, while {@code /ready} says 503;
 * once the topic is back it decides again, the mail that failed included.
 */
@ExtendWith(BrokerExtension.class)
class EngineReplacementIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    // three hours ago: the events lie in the past, as a shop's do when they reach Nudge
    private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofHours(3));

    private static String cart(String customer, int minute) {
        return """
                {"eventId":"%1$s-c","type":"CartUpdated","customerId":"%1$s","timestamp":"%2$s","cartId":"cart-%1$s",
                 "items":[{"productId":"mug","name":"Mug","price":9,"quantity":1}]}""".formatted(customer,
                T0.plus(Duration.ofMinutes(minute)));
    }

    private static String visit(String id, int minute) {
        return """
                {"eventId":"%s","type":"PageVisited","customerId":"zoe","timestamp":"%s","url":"/"}"""
                .formatted(id, T0.plus(Duration.ofMinutes(minute)));
    }

    @Test
    void anEngineWhoseWritesFailForGoodIsReplacedUntilTheyCanSucceed() throws Exception {
        Map<String, String> settings = TestServices.wallClockSettings(BrokerExtension.bootstrap, 1);
        // the producer gives a write up after 3 s instead of 2 minutes
        settings.put("kafka.producer.delivery.timeout.ms", "3000");
        settings.put("kafka.producer.request.timeout.ms", "1000");
        settings.put("kafka.producer.max.block.ms", "1000");
        settings.put("send.enabled", "false");
        try (NudgeService service = NudgeService.start(TestServices.config(settings));
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, BrokerExtension.bootstrap))) {
            var topics = service.config().kafka().topics();
            String bootstrap = BrokerExtension.bootstrap;
            TestKafka.produce(bootstrap, topics.events(), "ana", cart("ana", 0));
            TestKafka.produce(bootstrap, topics.events(), "zoe", visit("z1", 31));
            await().atMost(Duration.ofSeconds(30)).until(() -> !TestKafka.readUntil(bootstrap, topics.decisions(),
                    l -> !l.isEmpty(), Duration.ofSeconds(1)).isEmpty());

            // the decisions topic is gone: Bob's mail cannot be written, nor any replacement's
            admin.deleteTopics(List.of(topics.decisions())).all().get();
            TestKafka.produce(bootstrap, topics.events(), "bob", cart("bob", 40));
            TestKafka.produce(bootstrap, topics.events(), "zoe", visit("z2", 71));
            await().atMost(Duration.ofSeconds(60)).until(() -> metric(service, "nudge_engine_replacements") >= 2);
            assertEquals(503, ready(service), "an engine that cannot write is not ready");

            TopicAdmin.ensureTopics(bootstrap, topics);
            await().atMost(Duration.ofSeconds(90)).until(() -> TestKafka.readUntil(bootstrap, topics.decisions(),
                    l -> l.stream().anyMatch(r -> "bob".equals(r.key())), Duration.ofSeconds(2)).stream()
                    .anyMatch(r -> "bob".equals(r.key())));
            await().atMost(Duration.ofSeconds(30)).until(() -> ready(service) == 200);
            assertTrue(metric(service, "nudge_engines_running") == 1.0, "the engine runs again");
        }
    }

    private static int ready(NudgeService service) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.httpPort() + "/ready"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static double metric(NudgeService service, String name) throws Exception {
        return Scrape.metric(service.httpPort(), name, "");
    }
}
