package dev.nudge.it;

import dev.nudge.app.NudgeService;
import dev.nudge.kafka.EmbeddedKafka;
import dev.nudge.testing.TestKafka;
import dev.nudge.testing.TestServices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A broker that stays away longer than the producer waits makes the engine's writes fail for good: the engine is
 * replaced, keeps being replaced while the broker is away, and decides again once it is back; {@code /ready} says
 * 503 meanwhile. The broker here is the test's own, so stopping it disturbs no other test.
 */
class BrokerOutageIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    // three hours ago: the events lie in the past, as a shop's do when they reach Nudge
    private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofHours(3));

    private static String cart(String customer, int minute) {
        return """
                {"eventId":"%1$s-c","type":"CartUpdated","customerId":"%1$s","timestamp":"%2$s","cartId":"cart-%1$s",
                 "items":[{"productId":"mug","name":"Mug","price":9,"quantity":1}]}""".formatted(customer,
                T0.plus(Duration.ofMinutes(minute)));
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void theEngineIsReplacedUntilTheBrokerIsBackAndThenDecidesAgain(@TempDir Path dir) throws Exception {
        int port = freePort();
        EmbeddedKafka broker = EmbeddedKafka.start(dir, port);
        Map<String, String> settings = TestServices.settings(broker.bootstrapServers(), 1);
        // the producer gives a write up after 6 s (instead of 2 minutes), so a 15-second outage is a long one
        settings.put("kafka.producer.delivery.timeout.ms", "6000");
        settings.put("kafka.producer.request.timeout.ms", "2000");
        settings.put("kafka.producer.max.block.ms", "3000");
        // a quiet partition's event time runs on 600 times as fast: a lone cart falls due 3 s after it arrived
        settings.put("engine.idle-tick", "500ms");
        settings.put("engine.clock-speed", "600");
        settings.put("send.enabled", "false");
        try (NudgeService service = NudgeService.start(TestServices.config(settings))) {
            var topics = service.config().kafka().topics();
            String first = broker.bootstrapServers();
            TestKafka.produce(first, topics.events(), "ana", cart("ana", 0));
            await().atMost(Duration.ofSeconds(30)).until(() -> !TestKafka.readUntil(first, topics.decisions(),
                    l -> !l.isEmpty(), Duration.ofSeconds(1)).isEmpty());

            // Bob's cart is read, then the broker goes away before its mail falls due: that write fails for good
            TestKafka.produce(first, topics.events(), "bob", cart("bob", 10));
            await().atMost(Duration.ofSeconds(10)).until(() -> metric(service, "nudge_events_in_total") >= 2);
            broker.close();
            await().atMost(Duration.ofSeconds(30)).until(() -> ready(service) == 503);
            Thread.sleep(15_000); // the outage itself: longer than the producer waits, however the engine fares
            broker = EmbeddedKafka.start(dir, port);

            String bootstrap = broker.bootstrapServers();
            await().atMost(Duration.ofSeconds(90)).until(() -> TestKafka.readUntil(bootstrap, topics.decisions(),
                    l -> l.stream().anyMatch(r -> "bob".equals(r.key())), Duration.ofSeconds(2)).stream()
                    .anyMatch(r -> "bob".equals(r.key())));
            await().atMost(Duration.ofSeconds(30)).until(() -> ready(service) == 200);
            assertEquals(1.0, metric(service, "nudge_engines_running"), "the engine runs again");
        } finally {
            broker.close();
        }
    }

    private static int ready(NudgeService service) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.httpPort() + "/ready"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static double metric(NudgeService service, String name) throws Exception {
        String body = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.httpPort()
                + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        double sum = 0;
        for (String line : body.lines().toList()) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }
}
