package dev.nudge.it;

import dev.nudge.app.NudgeService;
import dev.nudge.config.NudgeConfig;
import dev.nudge.testing.BrokerExtension;
import dev.nudge.testing.Ingest;
import dev.nudge.testing.TestKafka;
import dev.nudge.testing.TestServices;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
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

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A record too large for the broker never stops the stage that writes it: what Nudge echoes or passes on is bounded,
 * and a record the broker still refuses is replaced by a small summary on the dead-letter topic.
 */
@ExtendWith(BrokerExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OversizeIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static NudgeService service;
    private static NudgeConfig config;
    // one partition, so the barrier events below follow the big ones through the same engine; the tests run in order,
    // each an hour of event time after the one before
    private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofHours(3));

    @BeforeAll
    static void start() throws Exception {
        service = NudgeService.start(TestServices.config(TestServices.wallClockSettings(BrokerExtension.bootstrap, 1)));
        config = service.config();
    }

    @AfterAll
    static void stop() throws Exception {
        service.close();
    }

    private static String at(int minutes) {
        return T0.plus(Duration.ofMinutes(minutes)).toString();
    }

    private static HttpResponse<String> send(String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.httpPort()
                        + "/events")).header("Authorization", Ingest.AUTH).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A profile, with extra fields spliced in, and a cart, for a customer; event time moves on with a visit. */
    private static void abandonCart(String customer, String email, String extra, int minute) throws Exception {
        HttpResponse<String> r = send(abandonedCart(customer, email, extra, minute));
        assertEquals(202, r.statusCode(), r.body().length() > 500 ? r.body().substring(0, 500) : r.body());
    }

    private static String abandonedCart(String customer, String email, String extra, int minute) {
        return """
                [{"eventId":"%1$s-p","type":"CustomerProfile","customerId":"%1$s","timestamp":"%3$s",
                  "email":"%2$s","firstName":"Kim","marketingConsent":true%4$s},
                 {"eventId":"%1$s-c","type":"CartUpdated","customerId":"%1$s","timestamp":"%3$s","cartId":"cart-%1$s",
                  "items":[{"productId":"mug","name":"Mug","price":9,"quantity":1}]},
                 {"eventId":"%1$s-v","type":"PageVisited","customerId":"zoe","timestamp":"%5$s","url":"/"}]
                """.formatted(customer, email, at(minute), extra, at(minute + 32));
    }

    private static boolean mailedTo(String address) {
        return !Mails.to(service.send().localSmtp().received(), address).isEmpty();
    }

    @Test
    @Order(1)
    void aDeadLetterTooLargeForTheBrokerBecomesASummaryAndTheEngineGoesOn() throws Exception {
        // a bad timestamp that takes the record to within a few dozen bytes of the broker's limit (1 MB): the broker
        // takes it, but not its dead letter, which carries it and the reason, the refusal and the source as headers
        String huge = "{\"eventId\":\"huge\",\"type\":\"PageVisited\",\"customerId\":\"eve\",\"url\":\"/\",\"timestamp\":\"";
        huge = huge + "x".repeat(1_048_460 - huge.length()) + "\"}";
        TestKafka.produce(config.kafka().bootstrapServers(), config.kafka().topics().events(), "eve", huge);
        abandonCart("amy", "amy@example.com", "", 0);

        await().atMost(WAIT).until(() -> mailedTo("amy@example.com"));
        List<ConsumerRecord<String, byte[]>> dead = TestKafka.readUntil(config.kafka().bootstrapServers(),
                config.kafka().topics().deadLetters(), l -> l.stream().anyMatch(r -> "eve".equals(r.key())), WAIT);
        ConsumerRecord<String, byte[]> summary = dead.stream().filter(r -> "eve".equals(r.key())).findFirst()
                .orElseThrow();
        assertTrue(summary.value().length < 4_000, "a summary, not the megabyte: " + summary.value().length);
        String error = new String(summary.headers().lastHeader("nudge-error").value(), StandardCharsets.UTF_8);
        assertTrue(error.contains("refused by the broker as too large"), error);
        assertTrue(new String(summary.headers().lastHeader("nudge-source").value(), StandardCharsets.UTF_8)
                .startsWith(config.kafka().topics().events() + "-0@"), "it says where the original is");
    }

    @Test
    @Order(2)
    void aProfileWith600KilobytesOfAttributesIsRefusedAtTheDoorAndTheRestGoesOn() throws Exception {
        HttpResponse<String> r = send(abandonedCart("bea", "bea@example.com",
                ",\"attributes\":{\"notes\":\"" + "n".repeat(600_000) + "\"}", 60));
        assertEquals(400, r.statusCode());
        assertTrue(r.body().contains("field 'attributes' is 600012 characters of JSON: at most 16384"), r.body());
        // attributes that fill the 16 KB pass, travel in the decision, and the mail goes out
        StringBuilder attributes = new StringBuilder(",\"attributes\":{");
        for (int i = 0; i < 100; i++) {
            attributes.append(i == 0 ? "" : ",").append("\"a").append(i).append("\":\"").append("v".repeat(150))
                    .append('"');
        }
        abandonCart("cal", "cal@example.com", attributes.append('}').toString(), 61);
        await().atMost(WAIT).until(() -> mailedTo("cal@example.com"));
    }

    @Test
    @Order(3)
    void anAddressOf4096CharactersIsGivenUpWithABoundedReasonAndTheSendStageGoesOn() throws Exception {
        // the longest text an event may carry, far beyond the 254 characters SMTP allows an address
        String address = "d".repeat(4_084) + "@example.com";
        abandonCart("dee", address, "", 120);
        abandonCart("eli", "eli@example.com", "", 121);
        await().atMost(WAIT).until(() -> mailedTo("eli@example.com"));
        List<ConsumerRecord<String, byte[]>> dead = TestKafka.readUntil(config.kafka().bootstrapServers(),
                config.kafka().topics().sendDeadLetters(), l -> l.stream().anyMatch(r -> "dee".equals(r.key())), WAIT);
        ConsumerRecord<String, byte[]> d = dead.stream().filter(r -> "dee".equals(r.key())).findFirst().orElseThrow();
        String error = new String(d.headers().lastHeader("nudge-error").value(), StandardCharsets.UTF_8);
        assertTrue(error.startsWith("invalid e-mail address: 'ddd") && error.length() < 1_100, error);
    }
}
