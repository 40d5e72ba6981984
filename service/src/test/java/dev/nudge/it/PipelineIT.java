package dev.nudge.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.app.NudgeService;
import dev.nudge.config.NudgeConfig;
import dev.nudge.event.Json;
import dev.nudge.testing.BrokerExtension;
import dev.nudge.testing.Ingest;
import dev.nudge.testing.Schemas;
import dev.nudge.testing.TestKafka;
import dev.nudge.testing.TestServices;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The whole path on a real broker: events over HTTP and Kafka in, decisions and dead letters out. */
@ExtendWith(BrokerExtension.class)
class PipelineIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = Json.mapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static NudgeService service;
    private static NudgeConfig config;

    @BeforeAll
    static void start() throws Exception {
        service = NudgeService.start(TestServices.config(TestServices.settings(BrokerExtension.bootstrap, 2)));
        config = service.config();
    }

    @AfterAll
    static void stop() throws Exception {
        service.close();
    }

    private static HttpResponse<String> post(String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.httpPort() + "/events")).header("Authorization", Ingest.AUTH)
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.httpPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void abandonedCartPostedOverHttpIsDecidedOnTheDecisionsTopic() throws Exception {
        HttpResponse<String> r = post("""
                [{"eventId":"p1","type":"CartUpdated","customerId":"ana","timestamp":"2026-03-02T10:00:00Z",
                  "cartId":"cart-ana","items":[{"productId":"shoe","name":"Trail shoe","price":89.9,"quantity":1}]},
                 {"eventId":"p2","type":"PageVisited","customerId":"ana","timestamp":"2026-03-02T10:31:01Z",
                  "url":"https://shop.example/"}]
                """);
        assertEquals(202, r.statusCode(), r.body());

        List<ConsumerRecord<String, byte[]>> decisions = TestKafka.readUntil(config.kafka().bootstrapServers(),
                config.kafka().topics().decisions(), l -> !l.isEmpty(), WAIT);
        assertEquals(1, decisions.size(), "one decision for the abandoned cart");
        JsonNode d = JSON.readTree(decisions.get(0).value());
        assertEquals("ana", decisions.get(0).key());
        assertEquals("cart-abandonment", d.get("campaign").asText());
        assertEquals("CartAbandonedAfter30Minutes", d.get("rule").asText());
        assertEquals("2026-03-02T10:30:00Z", d.get("decidedAt").asText());
        assertEquals("shoe", d.at("/payload/items/0/productId").asText());
        assertEquals("[\"p1\"]", d.get("eventIds").toString());
        assertTrue(d.get("rulesVersion").asText().length() > 12);
        assertEquals(Set.of(), Schemas.checkDecision(d), "the record keeps the decision contract");
        assertEquals("mail", d.get("kind").asText(), "no holdout configured: a plain mail");
        assertFalse(d.has("reason"), d.toString());
        String metrics = get("/metrics").body();
        assertTrue(metrics.contains("nudge_rule_fires_total{rule=\"CartAbandonedAfter30Minutes\"}"), metrics);
        assertTrue(metrics.contains("nudge_rule_fires_total{rule=\"Send\"}"), "the guards fire too");
        assertTrue(metrics.contains("nudge_rules_evaluation_seconds_count"), metrics);
    }

    @Test
    void aStaleTriggerGoesToTheAuditTopicWithItsReasonNotToDecisions() throws Exception {
        // the day before the other tests: whichever runs first, these events never make theirs stale
        HttpResponse<String> r = post("""
                [{"eventId":"s1","type":"PageVisited","customerId":"sam","timestamp":"2026-03-01T13:00:00Z","url":"/"},
                 {"eventId":"s2","type":"CartUpdated","customerId":"sam","timestamp":"2026-03-01T11:00:00Z",
                  "cartId":"cart-sam","items":[{"productId":"lamp","name":"Lamp","price":39,"quantity":1}]}]
                """);
        assertEquals(202, r.statusCode(), r.body());
        List<ConsumerRecord<String, byte[]>> audit = TestKafka.readUntil(config.kafka().bootstrapServers(),
                config.kafka().topics().audit(), l -> !l.isEmpty(), WAIT);
        assertEquals(1, audit.size());
        assertEquals("stale-data", new String(audit.get(0).headers().lastHeader("nudge-reason").value(), StandardCharsets.UTF_8));
        JsonNode d = JSON.readTree(audit.get(0).value());
        assertEquals("sam", d.get("customerId").asText());
        assertEquals(Set.of(), Schemas.checkDecision(d), "the audit record keeps the decision contract");
        assertEquals("suppressed", d.get("kind").asText());
        assertEquals("stale-data", d.get("reason").asText());
        List<ConsumerRecord<String, byte[]>> decisions = TestKafka.readUntil(config.kafka().bootstrapServers(),
                config.kafka().topics().decisions(), l -> false, Duration.ofSeconds(2));
        assertTrue(decisions.stream().noneMatch(rec -> "sam".equals(rec.key())), "no mail for a stale cart");
    }

    @Test
    void invalidEventsAreRefusedOverHttpWithReasons() throws Exception {
        HttpResponse<String> r = post("""
                [{"eventId":"v1","type":"PageVisited","customerId":"bob","timestamp":"2026-03-02T10:00:00Z","url":"/a"},
                 {"eventId":"v2","type":"PageVisited","timestamp":"2026-03-02T10:00:00Z","url":"/a"},
                 {"eventId":"v3","type":"Teleported","customerId":"bob","timestamp":"2026-03-02T10:00:00Z"}]
                """);
        assertEquals(400, r.statusCode());
        JsonNode results = JSON.readTree(r.body()).get("results");
        assertEquals("accepted", results.get(0).get("status").asText());
        assertEquals("missing field 'customerId'", results.get(1).get("error").asText());
        assertTrue(results.get(2).get("error").asText().contains("unknown event type 'Teleported'"));
        assertEquals(400, post("{not json").statusCode());
    }

    @Test
    void badRecordsOnKafkaGoToTheDeadLetterTopicWithTheReason() throws Exception {
        String bootstrap = config.kafka().bootstrapServers();
        TestKafka.produce(bootstrap, config.kafka().topics().events(), "eve", "{\"eventId\": oops");
        TestKafka.produce(bootstrap, config.kafka().topics().events(), "eve",
                "{\"eventId\":\"d2\",\"type\":\"PageVisited\",\"customerId\":\"eve\",\"timestamp\":\"yesterday\",\"url\":\"/\"}");
        List<ConsumerRecord<String, byte[]>> dead = TestKafka.readUntil(bootstrap, config.kafka().topics().deadLetters(),
                l -> l.size() >= 2, WAIT);
        assertEquals(2, dead.size());
        assertEquals("{\"eventId\": oops", new String(dead.get(0).value(), StandardCharsets.UTF_8));
        String reason0 = new String(dead.get(0).headers().lastHeader("nudge-error").value(), StandardCharsets.UTF_8);
        String reason1 = new String(dead.get(1).headers().lastHeader("nudge-error").value(), StandardCharsets.UTF_8);
        assertTrue(reason0.startsWith("malformed JSON"), reason0);
        assertTrue(reason1.contains("not an ISO-8601 timestamp: 'yesterday'"), reason1);

        // the consumer moved on: a good event after the bad ones is still processed
        post("{\"eventId\":\"d3\",\"type\":\"PageVisited\",\"customerId\":\"eve\",\"timestamp\":\"2026-03-02T10:00:00Z\",\"url\":\"/\"}");
        String metrics = TestKafka.readUntil(bootstrap, config.kafka().topics().events(), l -> l.size() >= 3, WAIT)
                .isEmpty() ? "" : awaitMetric("nudge_events_in_total{type=\"PageVisited\"}");
        assertTrue(metrics.contains("nudge_dead_letters_total 2.0"), metrics);
    }

    /** Reads /metrics until the line appears: the engine counts asynchronously to the HTTP answer. */
    private static String awaitMetric(String line) {
        return await().atMost(WAIT).pollInterval(Duration.ofMillis(100))
                .until(() -> get("/metrics").body(), body -> body.contains(line));
    }

    @Test
    void healthReadinessAndMetricsAnswer() throws Exception {
        assertEquals(200, get("/health").statusCode());
        HttpResponse<String> ready = get("/ready");
        assertEquals(200, ready.statusCode(), ready.body());
        assertTrue(JSON.readTree(ready.body()).get("broker").asBoolean());
        HttpResponse<String> metrics = get("/metrics");
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.body().contains("nudge_consumer_lag"), metrics.body());
    }
}
