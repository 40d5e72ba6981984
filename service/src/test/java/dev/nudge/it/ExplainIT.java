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
            // 404 until the first of the customer's records is read
            assertTrue(r.statusCode() == 200 || r.statusCode() == 404, r.statusCode() + " " + r.body());
            return JSON.readTree(r.body());
        }, body -> body.get("decisions").size() >= count);
    }

    @Test
    @Order(1)
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

        // the customers topic tells the consent state: the engine keeps the newest signal there
        JsonNode consent = await().atMost(WAIT).pollInterval(Duration.ofMillis(100))
                .until(() -> decisionsOf("una", 1).get("consent"), c -> c != null && c.has("signal"));
        assertEquals(false, consent.get("mayMail").asBoolean(), consent.toString());
        assertEquals("Unsubscribed", consent.at("/signal/type").asText());
        assertEquals("2026-03-02T10:00:00Z", consent.at("/signal/at").asText());
        assertEquals("opted out: unsubscribed at 2026-03-02 10:00 UTC", consent.get("says").asText());
        assertEquals("Not mailed (cart-abandonment, decided 2026-03-02 10:36 UTC): unsubscribed",
                d.get("says").asText());
        assertEquals(401, send(HttpRequest.newBuilder(uri("/customers/una/decisions"))).statusCode(),
                "a customer's decisions are for admins only");
    }

    @Test
    void aCustomerNeverHeardOfIsA404AndOneWithEventsButNoDecisionIsKnown() throws Exception {
        HttpResponse<String> nobody = send(HttpRequest.newBuilder(uri("/customers/nobody/decisions"))
                .header("Authorization", "Bearer s3cret-token"));
        assertEquals(404, nobody.statusCode(), nobody.body());
        JsonNode unknown = JSON.readTree(nobody.body());
        assertEquals("nobody", unknown.get("customerId").asText());
        assertEquals(false, unknown.get("known").asBoolean());
        assertTrue(unknown.get("error").asText().startsWith("no event of this customer in the last 7 days"),
                unknown.toString());

        // one page view triggers nothing: Kim is known, without decisions
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/events")).header("Authorization", Ingest.AUTH)
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString("""
                [{"eventId":"k1","type":"PageVisited","customerId":"kim","timestamp":"2026-03-02T10:10:00Z","url":"/"}]
                """)));
        assertEquals(202, r.statusCode(), r.body());
        JsonNode kim = await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> send(
                HttpRequest.newBuilder(uri("/customers/kim/decisions")).header("Authorization", "Bearer s3cret-token")),
                resp -> resp.statusCode() == 200).body().transform(ExplainIT::tree);
        assertEquals(true, kim.get("known").asBoolean(), kim.toString());
        assertEquals(1, kim.get("eventsSeen").asInt(), kim.toString());
        assertTrue(kim.hasNonNull("lastEventReceivedAt"), kim.toString());
        assertEquals(0, kim.get("decisions").size());
        assertEquals(true, kim.at("/consent/mayMail").asBoolean());
        assertEquals("may be mailed: no opt-out on record", kim.at("/consent/says").asText());
    }

    // after the first test, whose customer it shows
    @Test
    @Order(2)
    void prettyIndentsAndABrowserGetsAPageForAdminsOnly() throws Exception {
        // Una's events are posted by the first test; her consent comes from the customers topic
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100))
                .until(() -> decisionsOf("una", 1).get("consent"), c -> c != null && c.has("signal"));
        HttpResponse<String> pretty = send(HttpRequest.newBuilder(uri("/customers/una/decisions?pretty"))
                .header("Authorization", "Bearer s3cret-token").header("Accept", "text/html"));
        assertEquals(200, pretty.statusCode(), pretty.body());
        assertTrue(pretty.headers().firstValue("content-type").orElse("").startsWith("application/json"));
        assertTrue(pretty.body().startsWith("{\n  \"customerId\" : \"una\""), pretty.body());
        assertEquals("una", JSON.readTree(pretty.body()).get("customerId").asText());

        HttpResponse<String> page = send(HttpRequest.newBuilder(uri("/customers/una/decisions"))
                .header("Authorization", "Bearer s3cret-token").header("Accept", "text/html,*/*;q=0.8"));
        assertEquals(200, page.statusCode(), page.body());
        assertTrue(page.headers().firstValue("content-type").orElse("").startsWith("text/html"));
        assertTrue(page.body().contains("Not mailed (cart-abandonment, decided 2026-03-02 10:36 UTC): unsubscribed"),
                page.body());
        assertTrue(page.body().contains("Consent: opted out: unsubscribed at 2026-03-02 10:00 UTC"), page.body());

        HttpResponse<String> stranger = send(HttpRequest.newBuilder(uri("/customers/%3Cb%3Enobody/decisions"))
                .header("Authorization", "Bearer s3cret-token").header("Accept", "text/html"));
        assertEquals(404, stranger.statusCode());
        assertTrue(stranger.body().contains("Nudge knows nothing of this customer"), stranger.body());
        assertTrue(stranger.body().contains("&lt;b&gt;nobody") && !stranger.body().contains("<b>nobody"),
                "the id is shown as text: " + stranger.body());

        HttpResponse<String> anonymous = send(HttpRequest.newBuilder(uri("/customers/una/decisions"))
                .header("Accept", "text/html"));
        assertEquals(302, anonymous.statusCode(), "a browser that is not logged in goes to the login form");
        assertEquals("/login?next=%2Fcustomers%2Funa%2Fdecisions",
                anonymous.headers().firstValue("location").orElse(""));
        assertEquals(401, send(HttpRequest.newBuilder(uri("/customers/una/decisions?pretty"))
                .header("Accept", "text/html")).statusCode(), "JSON without the token: 401");

        // logged in at the form, as from the live page's "why" link: the session cookie opens the page
        HttpResponse<String> login = send(HttpRequest.newBuilder(uri("/login"))
                .header("content-type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=s3cret-token&next=%2Fcustomers%2Funa%2Fdecisions")));
        assertEquals(302, login.statusCode(), login.body());
        assertEquals("/customers/una/decisions", login.headers().firstValue("location").orElse(""));
        String cookie = login.headers().firstValue("set-cookie").orElseThrow().split(";", 2)[0];
        HttpResponse<String> browser = send(HttpRequest.newBuilder(uri("/customers/una/decisions"))
                .header("Cookie", cookie).header("Accept", "text/html"));
        assertEquals(200, browser.statusCode(), browser.body());
        assertTrue(browser.body().contains("): unsubscribed"), browser.body());
    }

    private static JsonNode tree(String body) {
        try {
            return JSON.readTree(body);
        } catch (java.io.IOException e) {
            throw new AssertionError(body, e);
        }
    }

    // a day after the first tests and before the last: on a shared partition its events would make theirs late
    @Test
    @Order(Integer.MAX_VALUE - 3)
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

    // a day later than the others: its events move a partition's event time on to the next morning
    @Test
    @Order(Integer.MAX_VALUE - 2)
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
        assertEquals("Held (cart-abandonment, decided 2026-03-04 21:15 UTC): quiet hours, until they end at"
                + " 2026-03-05 08:00 UTC", held.get("says").asText());
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

    // after the night of the test above
    @Test
    @Order(Integer.MAX_VALUE - 1)
    void aFrequencyCapSuppressionNamesTheEarlierMail() throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/events")).header("Authorization", Ingest.AUTH)
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString("""
                [{"eventId":"f1","type":"ProductViewed","customerId":"fay","timestamp":"2026-03-06T09:00:00Z","productId":"lamp","name":"Lamp","price":39},
                 {"eventId":"f2","type":"ProductViewed","customerId":"fay","timestamp":"2026-03-06T09:10:00Z","productId":"lamp","name":"Lamp","price":39},
                 {"eventId":"f3","type":"ProductViewed","customerId":"fay","timestamp":"2026-03-06T09:20:00Z","productId":"lamp","name":"Lamp","price":39},
                 {"eventId":"f4","type":"CartUpdated","customerId":"fay","timestamp":"2026-03-06T12:00:00Z",
                  "cartId":"cart-fay","items":[{"productId":"mug","name":"Mug","price":9,"quantity":1}]},
                 {"eventId":"f5","type":"PageVisited","customerId":"fay","timestamp":"2026-03-06T12:40:00Z","url":"/"}]
                """)));
        assertEquals(202, r.statusCode(), r.body());

        JsonNode decisions = await().atMost(WAIT).pollInterval(Duration.ofMillis(100))
                .until(() -> decisionsOf("fay", 1).get("decisions"), ds -> {
                    for (JsonNode d : ds) {
                        if (d.path("reason").asText().equals("frequency-cap")) {
                            return true;
                        }
                    }
                    return false;
                });
        JsonNode browse = null;
        JsonNode capped = null;
        for (JsonNode d : decisions) {
            if (d.get("kind").asText().equals("mail") && d.get("campaign").asText().equals("browse-abandonment")) {
                browse = d;
            }
            if (d.path("reason").asText().equals("frequency-cap")) {
                capped = d;
            }
        }
        assertTrue(browse != null && capped != null, decisions.toString());
        assertEquals("cart-abandonment", capped.get("campaign").asText());
        assertEquals(browse.get("decisionId"), capped.at("/earlierMail/decisionId"), capped.toString());
        assertEquals("browse-abandonment", capped.at("/earlierMail/campaign").asText());
        assertEquals(browse.get("decidedAt"), capped.at("/earlierMail/at"));
        assertEquals("Not mailed (cart-abandonment, decided 2026-03-06 12:30 UTC): frequency cap, after the"
                + " browse-abandonment mail of 2026-03-06 10:20 UTC (decision "
                + browse.get("decisionId").asText().substring(0, 8) + "…)", capped.get("says").asText());
    }

    // last and a day later than the others: a pricing page seen twice at night is skipped, not held
    @Test
    @Order(Integer.MAX_VALUE)
    void aMailSkippedInQuietHoursSaysWhenTheyEnd() throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/events")).header("Authorization", Ingest.AUTH)
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString("""
                [{"eventId":"q1","type":"PageVisited","customerId":"quin","timestamp":"2026-03-07T20:00:00Z","url":"https://shop.example/pricing"},
                 {"eventId":"q2","type":"PageVisited","customerId":"quin","timestamp":"2026-03-07T21:10:00Z","url":"https://shop.example/pricing"},
                 {"eventId":"q3","type":"PageVisited","customerId":"quin","timestamp":"2026-03-07T21:30:00Z","url":"/"}]
                """)));
        assertEquals(202, r.statusCode(), r.body());

        JsonNode skipped = decisionsOf("quin", 1).get("decisions").get(0);
        assertEquals("suppressed", skipped.get("kind").asText(), skipped.toString());
        assertEquals("quiet-hours", skipped.get("reason").asText());
        assertEquals("pricing-page-interest", skipped.get("campaign").asText());
        assertEquals("2026-03-08T08:00:00Z", skipped.get("quietHoursEnd").asText());
        assertEquals("Not mailed (pricing-page-interest, decided 2026-03-07 21:10 UTC): quiet hours, which end at"
                + " 2026-03-08 08:00 UTC", skipped.get("says").asText());
    }
}
