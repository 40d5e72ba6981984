package dev.nudge.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.app.NudgeService;
import dev.nudge.decision.Conversion;
import dev.nudge.event.Json;
import dev.nudge.testing.BrokerExtension;
import dev.nudge.testing.Ingest;
import dev.nudge.testing.TestKafka;
import dev.nudge.testing.TestServices;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.UncheckedIOException;
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
 * The conversions topic, written by the real pipeline: each decision that passed the guards is assigned to its arm
 * once, and the order after it converts it once, with the order's revenue; an order before any decision converts
 * nothing.
 */
@ExtendWith(BrokerExtension.class)
class ConversionsIT {

    private static final ObjectMapper JSON = Json.mapper();

    @Test
    void aMailedCartAndItsLaterOrderAreAnAssignmentAndAConversion() throws Exception {
        Map<String, String> s = TestServices.wallClockSettings(BrokerExtension.bootstrap, 1);
        try (NudgeService service = NudgeService.start(TestServices.config(s))) {
            Instant t = Instant.now().minus(Duration.ofHours(3));
            post(service, """
                    [{"eventId":"p1","type":"CustomerProfile","customerId":"ana","timestamp":"%1$s",
                      "email":"ana@example.com"},
                     {"eventId":"c1","type":"CartUpdated","customerId":"ana","timestamp":"%1$s","cartId":"cart-1",
                      "items":[{"productId":"mug","name":"Mug","price":12.5,"quantity":1}]},
                     {"eventId":"o0","type":"CheckoutCompleted","customerId":"bob","timestamp":"%1$s","orderId":"o-0",
                      "total":99}]""".formatted(t));
            post(service, """
                    [{"eventId":"v1","type":"PageVisited","customerId":"bob","timestamp":"%s","url":"/"},
                     {"eventId":"o1","type":"CheckoutCompleted","customerId":"ana","timestamp":"%s","orderId":"o-1",
                      "cartId":"cart-1","total":12.5,"currency":"EUR"},
                     {"eventId":"o2","type":"CheckoutCompleted","customerId":"ana","timestamp":"%s","orderId":"o-2",
                      "total":30,"currency":"EUR"}]""".formatted(t.plus(Duration.ofMinutes(40)),
                    t.plus(Duration.ofHours(2)), t.plus(Duration.ofHours(2).plusMinutes(5))));

            List<ConsumerRecord<String, byte[]>> read = TestKafka.readUntil(BrokerExtension.bootstrap,
                    s.get("kafka.topic.conversions"), l -> l.size() >= 2, Duration.ofSeconds(30));
            List<Conversion> records = read.stream().map(ConversionsIT::conversion).toList();
            assertEquals(List.of(Conversion.ASSIGNED, Conversion.CONVERTED),
                    records.stream().map(Conversion::kind).toList(), "one assignment, one conversion: " + records);
            Conversion assigned = records.get(0);
            Conversion converted = records.get(1);
            assertEquals("ana", read.get(1).key());
            assertEquals(Conversion.MAILED, assigned.arm());
            assertEquals(72 * 3600L, assigned.windowSeconds(),
                    "the campaign's @conversionWindow: the report can tell when it closes");
            assertEquals(assigned.decisionId(), converted.decisionId());
            assertEquals("o-1", converted.orderId(), "the first order after the decision, not bob's before it");
            assertEquals(0, converted.revenue().compareTo(new java.math.BigDecimal("12.5")));
            assertEquals(90 * 60L, converted.secondsToConvert());
            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + service.httpPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(metrics.contains("nudge_conversions_total{arm=\"mailed\",campaign=\"cart-abandonment\"} 1.0"),
                    metrics.lines().filter(l -> l.contains("conversion")).toList().toString());
            assertTrue(metrics.contains("nudge_conversion_revenue_total{arm=\"mailed\",campaign=\"cart-abandonment\","
                    + "currency=\"EUR\"} 12.5"), "the revenue, by currency");
        }
    }

    private static Conversion conversion(ConsumerRecord<String, byte[]> r) {
        try {
            return JSON.readValue(r.value(), Conversion.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
