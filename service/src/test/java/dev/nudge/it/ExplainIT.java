package dev.nudge.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.app.NudgeService;
import dev.nudge.event.Json;
import dev.nudge.testing.BrokerExtension;
import dev.nudge.testing.Ingest;
import dev.nudge.testing.TestServices;
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
import java.time.Duration;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * "Why did this customer (not) get the mail?" and "which rules run?": the decisions and rules endpoints against the
 * running service.
 */
@ExtendWith(BrokerExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExplainIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = Json.mapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static NudgeService service;

    @BeforeAll
    static void start() throws Exception {
        var settings = TestServices.settings(BrokerExtension.bootstrap, 2);
        settings.put("admin.token", "s3cret-token");
        service = NudgeService.start(TestServices.config(settings));
    }

    @AfterAll
    static void stop() throws Exception {
        service.close();
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + service.httpPort() + path);
    }

    /** Asks until the customer has {@code count} entries: the log fills from Kafka, asynchronously. */
    private static JsonNode decisionsOf(String customer, int count) {
        return await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
            HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/customers/" + customer + "/decisions"))
                    .header("Authorization", "Bearer s3cret-token"));
            assertEquals(200, r.statusCode(), r.body());
            return JSON.readTree(r.body());
        }, body -> body.get("decisions").size() >= count);
    }

    @Test
    void showsWhatWasMailedAndWhatWasSuppressedWithTheReason() throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/events")).header("Authorization", Ingest.AUTH).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                [{"eventId":"u1","type":"Unsubscribed","customerId":"una","timestamp":"2026-03-02T10:00:00Z"},
                 {"eventId":"c1","type":"CartUpdated","customerId":"una","timestamp":"2026-03-02T10:05:00Z",
                  "cartId":"cart-una","items":[{"productId":"lamp","name":"Lamp","price":39,"quantity":1}]},
                 {"eventId":"c2","type":"CartUpdated","customerId":"una","timestamp":"2026-03-02T10:06:00Z",
                  "cartId":"cart-una","items":[{"productId":"lamp","name":"Lamp","price":39,"quantity":2}]},
                 {"eventId":"c3","type":"PageVisited","customerId":"una","timestamp":"2026-03-02T10:40:00Z","url":"/"}]
                """)));
        assertEquals(202, r.statusCode(), r.body());

        JsonNode body = decisionsOf("una", 1);
        assertEquals(1, body.get("decisions").size(), body.toString());
        JsonNode d = body.get("decisions").get(0);
        assertEquals("suppressed", d.get("kind").asText());
        assertEquals("unsubscribed", d.get("reason").asText());
        assertEquals("not mailed: unsubscribed", d.get("outcome").asText());
        assertEquals("cart-abandonment", d.get("campaign").asText());
        assertEquals("2026-03-02T10:36:00Z", d.get("decidedAt").asText());
        assertEquals("[\"c2\"]", d.get("eventIds").toString());

        HttpResponse<String> nobody = send(HttpRequest.newBuilder(uri("/customers/nobody/decisions"))
                .header("Authorization", "Bearer s3cret-token"));
        assertEquals(200, nobody.statusCode());
        assertTrue(JSON.readTree(nobody.body()).get("decisions").isEmpty());
        assertEquals(401, send(HttpRequest.newBuilder(uri("/customers/una/decisions"))).statusCode(),
                "a customer's decisions are for admins only");
    }

    // a day after the first tests and before the last: on a shared partition its events would make theirs late
    @Test
    @Order(Integer.MAX_VALUE - 1)
    void aMailIsListedAsMailedOnceSentAndAnAnonymousVisitorsAsNotMailed() throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/events")).header("Authorization", Ingest.AUTH).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                [{"eventId":"v0","type":"CustomerProfile","customerId":"vic","timestamp":"2026-03-03T09:00:00Z",
                  "email":"vic@example.com","firstName":"Vic","marketingConsent":true},
                 {"eventId":"v1","type":"CartUpdated","customerId":"vic","timestamp":"2026-03-03T10:05:00Z",
                  "cartId":"cart-vic","items":[{"productId":"mug","name":"Mug","price":9,"quantity":1}]},
                 {"eventId":"w1","type":"CartUpdated","customerId":"wes","timestamp":"2026-03-03T10:05:00Z",
                  "cartId":"cart-wes","items":[{"productId":"mug","name":"Mug","price":9,"quantity":1}]},
                 {"eventId":"v2","type":"PageVisited","customerId":"vic","timestamp":"2026-03-03T10:40:00Z","url":"/"},
                 {"eventId":"w2","type":"PageVisited","customerId":"wes","timestamp":"2026-03-03T10:40:00Z","url":"/"}]
                """)));
        assertEquals(202, r.statusCode(), r.body());

        JsonNode vic = outcomeOf("vic", "mailed");
        assertEquals("mail", vic.get("kind").asText());
        assertEquals("sent", vic.at("/delivery/state").asText());
        assertEquals("decisions", vic.get("topic").asText());
        assertEquals("mug", vic.at("/payload/items/0/productId").asText());
        // Wes never gave an address: the mail was decided, and the send stage could not send it
        JsonNode wes = outcomeOf("wes", "not mailed: no address");
        assertEquals("no-address", wes.at("/delivery/state").asText());
    }

    /** Asks until the customer's newest entry reads {@code outcome}: the send stage reports asynchronously. */
    private static JsonNode outcomeOf(String customer, String outcome) {
        return await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(
                () -> decisionsOf(customer, 1).get("decisions").get(0), d -> d.path("outcome").asText().equals(outcome));
    }

    // last and a day later than the others: its events move a partition's event time on to the next morning
    @Test
    @Order(Integer.MAX_VALUE)
    void aMailDueAtNightIsHeldOnTheAuditTopicAndSentInTheMorning() throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/events")).header("Authorization", Ingest.AUTH).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                [{"eventId":"n1","type":"CartUpdated","customerId":"nia","timestamp":"2026-03-04T20:45:00Z",
                  "cartId":"cart-nia","items":[{"productId":"lamp","name":"Lamp","price":39,"quantity":1}]},
                 {"eventId":"n2","type":"PageVisited","customerId":"nia","timestamp":"2026-03-04T21:20:00Z","url":"/"},
                 {"eventId":"n3","type":"PageVisited","customerId":"nia","timestamp":"2026-03-05T08:05:00Z","url":"/"}]
                """)));
        assertEquals(202, r.statusCode(), r.body());

        JsonNode decisions = decisionsOf("nia", 2).get("decisions");
        assertEquals(2, decisions.size(), decisions.toString());
        JsonNode sent = decisions.get(0);
        JsonNode held = decisions.get(1);
        assertEquals("held: quiet-hours", held.get("outcome").asText());
        assertEquals("held", held.get("kind").asText());
        assertEquals("quiet-hours", held.get("reason").asText());
        assertEquals("2026-03-04T21:15:00Z", held.get("decidedAt").asText());
        assertEquals("2026-03-05T08:00:00Z", held.get("heldUntil").asText());
        assertEquals("audit", held.get("topic").asText());
        assertEquals("mail", sent.get("kind").asText());
        assertEquals("2026-03-05T08:00:00Z", sent.get("decidedAt").asText());
        assertEquals("quiet-hours", sent.get("releasedFrom").asText());
        assertEquals(held.get("decisionId"), sent.get("decisionId"), "one decision, held then sent");
    }

    @Test
    void ruleStatusNeedsTheAdminToken() throws Exception {
        HttpResponse<String> none = send(HttpRequest.newBuilder(uri("/rules")));
        assertEquals(401, none.statusCode(), none.body());
        HttpResponse<String> wrong = send(HttpRequest.newBuilder(uri("/rules")).header("Authorization", "Bearer guess"));
        assertEquals(401, wrong.statusCode(), wrong.body());

        HttpResponse<String> ok = send(HttpRequest.newBuilder(uri("/rules"))
                .header("Authorization", "Bearer s3cret-token"));
        assertEquals(200, ok.statusCode(), ok.body());
        JsonNode body = JSON.readTree(ok.body());
        assertEquals("loaded", body.get("status").asText());
        assertTrue(body.get("files").toString().contains("guards.drl"), body.toString());
        assertTrue(body.get("version").asText().startsWith(body.get("contentHash").asText().substring(0, 12)),
                body.toString());
        assertEquals(0, body.get("errors").size());

        JsonNode withSources = JSON.readTree(send(HttpRequest.newBuilder(uri("/rules?sources=true"))
                .header("Authorization", "Bearer s3cret-token")).body());
        assertTrue(withSources.at("/sources/guards.drl").asText().contains("rule \"FrequencyCap\""),
                "the rule text as loaded");
    }
}
