package dev.nudge.it;

import dev.nudge.app.NudgeService;
import dev.nudge.config.NudgeConfig;
import dev.nudge.decision.Decision;
import dev.nudge.decision.DecisionKind;
import dev.nudge.decision.Recipient;
import dev.nudge.event.Item;
import dev.nudge.event.Json;
import dev.nudge.testing.BrokerExtension;
import dev.nudge.testing.TestKafka;
import dev.nudge.testing.TestServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /preview/{decisionId}} on a running service: the mail of a decision read from the topics, for admins only,
 * in a sandboxed frame, and linked from the customer's decisions page.
 */
@ExtendWith(BrokerExtension.class)
class PreviewPageIT {

    private static final String TOKEN = "preview-admin-token-0123456789";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String MAILED = "6c2f9a01-1111-4000-8000-00000000000a";
    private static final String HELD_OUT = "6c2f9a01-2222-4000-8000-00000000000b";
    private static NudgeService service;

    @BeforeAll
    static void start() throws Exception {
        var settings = TestServices.settings(BrokerExtension.bootstrap, 2);
        settings.put("admin.token", TOKEN);
        NudgeConfig config = TestServices.config(settings);
        service = NudgeService.start(config);
        Item shoe = new Item("shoe-42", "Trail shoe", new BigDecimal("89.90"), 1, "https://shop.example/p/shoe-42",
                null);
        for (Decision d : List.of(
                new Decision(MAILED, DecisionKind.MAIL, null, "ana", "cart-abandonment", "CartAbandonedAfter30Minutes",
                        "v1", Instant.parse("2026-11-30T10:00:00Z"), null, null, List.of("e1"),
                        Map.of("cartId", "cart-ana", "items", List.of(shoe)),
                        new Recipient("ana@example.com", "Ana", "en-GB", Map.of())),
                new Decision(HELD_OUT, DecisionKind.HOLDOUT, null, "bea", "cart-abandonment",
                        "CartAbandonedAfter30Minutes", "v1", Instant.parse("2026-11-30T10:01:00Z"), null, null,
                        List.of("e2"), Map.of("cartId", "cart-bea", "items", List.of(shoe)),
                        new Recipient("bea@example.com", "Bea", "en-GB", Map.of())))) {
            TestKafka.produce(BrokerExtension.bootstrap, config.kafka().topics().decisions(), d.customerId(),
                    Json.mapper().writeValueAsString(d));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        service.close();
    }

    @Test
    void anAdminSeesTheMailInASandboxedFrameAndOthersAreTurnedAway() throws Exception {
        HttpResponse<String> page = awaitPreview(MAILED);

        assertTrue(page.headers().firstValue("content-type").orElse("").startsWith("text/html"));
        assertTrue(page.headers().firstValue("content-security-policy").orElse("").contains("default-src 'none'"));
        String body = page.body();
        assertContains(body, "<h1>Ana, your cart is waiting for you</h1>", "<dd>ana@example.com</dd>",
                "<dd>cart-abandonment</dd>", "sandbox=\"allow-popups allow-popups-to-escape-sandbox\"",
                "srcdoc=\"", "Hi Ana,", "- Trail shoe, quantity 1: 89.90", "not sent");
        // the HTML part is inside the frame's srcdoc, escaped, never part of this page
        assertFalse(body.contains("<a href=\"https://shop.example/p/shoe-42\""), body);
        assertTrue(body.contains("&lt;a href=&quot;https://shop.example/p/shoe-42&quot;")
                || body.contains("href=&quot;https://shop.example/p/shoe-42"), body);
        assertFalse(body.contains("Not mailed"), body);

        assertEquals(401, get("/preview/" + MAILED, null, "application/json").statusCode());
        HttpResponse<String> browser = get("/preview/" + MAILED, null, "text/html");
        assertEquals(302, browser.statusCode());
        assertEquals("/login?next=%2Fpreview%2F" + MAILED, browser.headers().firstValue("location").orElse(""));
        assertEquals(401, get("/preview/" + MAILED, "not-the-token", "application/json").statusCode());
    }

    @Test
    void aHoldoutIsShownAsNotMailed() throws Exception {
        String body = awaitPreview(HELD_OUT).body();

        assertContains(body, "Not mailed: holdout", "Hi Bea,");
    }

    @Test
    void theCustomerPageLinksEachMailToItsPreview() throws Exception {
        awaitPreview(MAILED);
        HttpResponse<String> page = get("/customers/ana/decisions", TOKEN, "text/html");

        assertEquals(200, page.statusCode(), page.body());
        assertContains(page.body(), "href=\"/preview/" + MAILED + "\"");
    }

    @Test
    void aDecisionNotKeptIsA404ThatPointsToTheCommand() throws Exception {
        HttpResponse<String> r = get("/preview/no-such-decision", TOKEN, "text/html");

        assertEquals(404, r.statusCode());
        assertContains(r.body(), "No decision no-such-decision", "nudge preview no-such-decision");
    }

    private static HttpResponse<String> awaitPreview(String id) {
        // the explanation log fills from Kafka, asynchronously: 404 until it has read the decision
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> get("/preview/" + id, TOKEN, "text/html"), r -> r.statusCode() == 200);
    }

    private static HttpResponse<String> get(String path, String token, String accept) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.httpPort() + path))
                .header("Accept", accept);
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertContains(String actual, String... expected) {
        for (String e : expected) {
            assertTrue(actual.contains(e), () -> "expected \"" + e + "\" in:\n" + actual);
        }
    }
}
