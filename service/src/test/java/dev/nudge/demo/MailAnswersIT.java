package dev.nudge.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.app.NudgeService;
import dev.nudge.config.NudgeConfig;
import dev.nudge.decision.Conversion;
import dev.nudge.event.Json;
import dev.nudge.testing.BrokerExtension;
import dev.nudge.testing.Ingest;
import dev.nudge.testing.TestKafka;
import dev.nudge.testing.TestServices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * In a demo run the shoppers answer their mails: with every mailed shopper coming back ({@code demo.mail-effect=1}),
 * the mail decided for a cart is followed by the shopper's order of it, at most {@code demo.return-within} of the
 * run's time later, and the conversions topic counts it.
 */
@ExtendWith(BrokerExtension.class)
class MailAnswersIT {

    private static final ObjectMapper JSON = Json.mapper();

    @Test
    void aMailedShopperComesBackAndBuysAndTheConversionIsCounted() throws Exception {
        Map<String, String> s = TestServices.wallClockSettings(BrokerExtension.bootstrap, 1);
        s.put("demo.mail-effect", "1");
        s.put("demo.base-return", "0");
        s.put("demo.return-within", "PT2S");
        NudgeConfig config = TestServices.config(s);
        try (NudgeService service = NudgeService.start(config)) {
            DemoClock clock = new DemoClock();
            service.vertx().deployVerticle(new MailAnswers(config, clock)).await();
            Instant t = Instant.now().minus(Duration.ofMinutes(45));
            post(service, """
                    [{"eventId":"p1","type":"CustomerProfile","customerId":"ana","timestamp":"%1$s",
                      "email":"ana@example.com"},
                     {"eventId":"c1","type":"CartUpdated","customerId":"ana","timestamp":"%1$s","cartId":"cart-1",
                      "items":[{"productId":"mug","name":"Mug","price":12.5,"quantity":2}]},
                     {"eventId":"v1","type":"PageVisited","customerId":"bob","timestamp":"%2$s","url":"/"}]"""
                    .formatted(t, Instant.now()));

            var read = TestKafka.readUntil(BrokerExtension.bootstrap, s.get("kafka.topic.conversions"),
                    l -> l.size() >= 2, Duration.ofSeconds(30));
            List<Conversion> records = read.stream().map(r -> {
                try {
                    return JSON.readValue(r.value(), Conversion.class);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
            assertEquals(List.of(Conversion.ASSIGNED, Conversion.CONVERTED), records.stream().map(Conversion::kind)
                    .toList(), records.toString());
            Conversion converted = records.get(1);
            assertEquals(0, converted.revenue().compareTo(new java.math.BigDecimal("25.0")), "the cart's worth");
            assertTrue(converted.secondsToConvert() <= 2, "within demo.return-within of the decision");
        }
    }

    private static void post(NudgeService service, String body) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + service.httpPort() + "/events")).header("Authorization", Ingest.AUTH)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(202, r.statusCode(), r.body());
    }
}
