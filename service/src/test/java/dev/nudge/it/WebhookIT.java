package dev.nudge.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.app.NudgeService;
import dev.nudge.kafka.Headers;
import dev.nudge.send.WebhookSignature;
import dev.nudge.testing.BrokerExtension;
import dev.nudge.testing.TestKafka;
import dev.nudge.testing.TestServices;
import dev.nudge.testing.WebhookEndpoint;
import dev.nudge.testing.WebhookEndpoint.Answer;
import dev.nudge.testing.WebhookEndpoint.Call;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A campaign sent to a webhook instead of SMTP, against a real HTTP server standing in for the shop's tool: calls
 * retried until one succeeds, each signed and with the same idempotency key; a refusal dead-lettered with the
 * endpoint's answer; a 429 pausing every call; a revocation forwarded; the ledger keeping a restart from calling again.
 */
@ExtendWith(BrokerExtension.class)
class WebhookIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String SECRET = "whsec-webhook-it-0123456789";
    private static final String ADMIN = "webhook-it-admin-token";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private NudgeService service;
    private WebhookEndpoint endpoint;

    @AfterEach
    void stop() throws Exception {
        if (service != null) {
            service.close();
        }
        if (endpoint != null) {
            endpoint.close();
        }
    }

    @Test
    void anEndpointThatFailsFourWaysGetsExactlyOneSuccessfulCallAndARestartDoesNotCallAgain() throws Exception {
        // 503, a connection dropped without an answer, no answer within the timeout, a body that never ends, then 200
        endpoint = new WebhookEndpoint(Answer.of(503, "busy"), Answer.RESET, Answer.SILENCE, Answer.STALL);
        Map<String, String> settings = settings();
        settings.put("send.webhooks.shop.timeout", "1s");
        service = NudgeService.start(TestServices.config(settings));

        String id = UUID.randomUUID().toString();
        // no e-mail address: the endpoint knows the customer by id
        String decision = mail(id, "ana", "cart-abandonment", null);
        produce(settings, "ana", decision);

        JsonNode delivery = deliveryOf("ana", id, "sent");
        assertTrue(delivery.get("detail").asText().startsWith("HTTP 200 from webhook shop"), delivery.toString());
        List<Call> calls = endpoint.callsFor(id);
        assertEquals(List.of(503, 0, -1, -2, 200), calls.stream().map(Call::answered).toList(),
                "four failed attempts, then exactly one that succeeded");
        for (Call c : calls) {
            assertSigned(c);
            assertEquals("application/json", c.header("Content-Type"));
            JsonNode body = JSON.readTree(c.body());
            assertEquals(JSON.readTree(decision), body, "the body is the decision record");
        }

        // a new send stage that reads every decision again (a new consumer group): the ledger says it went out
        service.close();
        settings.put("send.consumer-group", settings.get("send.consumer-group") + "-again");
        service = NudgeService.start(TestServices.config(settings));
        produce(settings, "ana", decision);
        String barrier = UUID.randomUUID().toString();
        produce(settings, "bo", mail(barrier, "bo", "cart-abandonment", null));
        await().atMost(WAIT).until(() -> endpoint.callsFor(barrier).size() == 1);
        assertEquals(5, endpoint.callsFor(id).size(), "not called again after the restart, nor for the copy");
    }

    @Test
    void aRefusalIsDeadLetteredWithTheEndpointsAnswer() throws Exception {
        endpoint = new WebhookEndpoint(Answer.of(400, "{\"errors\":[\"campaign_id unknown\"]}"));
        Map<String, String> settings = settings();
        service = NudgeService.start(TestServices.config(settings));

        String id = UUID.randomUUID().toString();
        produce(settings, "cy", mail(id, "cy", "cart-abandonment", "cy@example.com"));

        List<ConsumerRecord<String, byte[]>> dead = TestKafka.readUntil(BrokerExtension.bootstrap,
                settings.get("kafka.topic.send-dead-letters"), r -> !r.isEmpty(), WAIT);
        assertEquals(1, dead.size());
        String error = new String(dead.get(0).headers().lastHeader(Headers.ERROR).value(), StandardCharsets.UTF_8);
        assertEquals("HTTP 400: {\"errors\":[\"campaign_id unknown\"]} from webhook shop", error);
        assertEquals(id, JSON.readTree(dead.get(0).value()).get("decisionId").asText(), "the decision as it came");
        JsonNode delivery = deliveryOf("cy", id, "failed");
        assertEquals(error, delivery.get("detail").asText());
        assertEquals(1, endpoint.calls().size(), "a 400 is not tried again");
    }

    @Test
    void aTooManyRequestsAnswerPausesEveryCallOfTheEndpointForItsRetryAfterAndNothingElse() throws Exception {
        endpoint = new WebhookEndpoint(new Answer(429, Map.of("Retry-After", "3"), "slow down"));
        Map<String, String> settings = settings();
        // one call at a time, so the order shows; a refused call alone would be tried again after 50 to 100 ms
        settings.put("send.max-in-flight", "1");
        service = NudgeService.start(TestServices.config(settings));

        String first = UUID.randomUUID().toString();
        String second = UUID.randomUUID().toString();
        produce(settings, "di", mail(first, "di", "cart-abandonment", null));
        await().atMost(WAIT).until(() -> endpoint.calls().size() == 1);
        produce(settings, "di", mail(second, "di", "cart-abandonment", null));
        // a campaign mailed through SMTP meanwhile: the endpoint's pause is not the relay's
        produce(settings, "dan", mail(UUID.randomUUID().toString(), "dan", "browse-abandonment", "dan@example.com"));
        await().atMost(WAIT).until(() -> service.send().localSmtp().received().size() == 1);
        assertEquals(1, endpoint.calls().size(), "the mail went out while the endpoint was paused");

        await().atMost(WAIT).until(() -> endpoint.calls().stream().filter(c -> c.answered() == 200).count() == 2);
        List<Call> calls = endpoint.calls();
        assertEquals(3, calls.size(), "two decisions, the first one refused once: " + calls);
        assertEquals(429, calls.get(0).answered());
        for (Call later : calls.subList(1, calls.size())) {
            long gap = later.atMillis() - calls.get(0).atMillis();
            assertTrue(gap >= 2_900, "every call waited for the Retry-After, not only the refused one: " + gap + " ms");
        }
        assertEquals(2, endpoint.callsFor(first).size());
        assertEquals(1, endpoint.callsFor(second).size());
    }

    @Test
    void aRevocationOfADeliveredDecisionIsForwardedSignedWithItsOwnKey() throws Exception {
        endpoint = new WebhookEndpoint();
        Map<String, String> settings = settings();
        service = NudgeService.start(TestServices.config(settings));

        String id = UUID.randomUUID().toString();
        produce(settings, "eve", mail(id, "eve", "cart-abandonment", "eve@example.com"));
        deliveryOf("eve", id, "sent");

        String revocation = revocation(id, "eve");
        produce(settings, "eve", revocation);
        await().atMost(WAIT).until(() -> endpoint.callsFor(id + ":revoked").size() == 1);

        Call forwarded = endpoint.callsFor(id + ":revoked").get(0);
        assertSigned(forwarded);
        JsonNode body = JSON.readTree(forwarded.body());
        assertEquals("voided", body.get("kind").asText());
        assertEquals("purchased", body.get("reason").asText());
        assertEquals(id, body.get("decisionId").asText());
        assertEquals(1, endpoint.callsFor(id).size(), "the decision itself was called once");

        // the same revocation read again (a redelivery) is not forwarded twice
        produce(settings, "eve", revocation);
        String barrier = UUID.randomUUID().toString();
        produce(settings, "eve", mail(barrier, "eve", "cart-abandonment", null));
        await().atMost(WAIT).until(() -> endpoint.callsFor(barrier).size() == 1);
        assertEquals(1, endpoint.callsFor(id + ":revoked").size());
    }

    @Test
    void aRevocationOfADecisionStillBeingRetriedIsForwardedAndOfOneNeverCalledIsNot() throws Exception {
        String refused = UUID.randomUUID().toString();
        endpoint = new WebhookEndpoint(key -> refused.equals(key) ? Answer.of(503, "down") : Answer.OK);
        Map<String, String> settings = settings();
        // the refused decision waits a while between attempts, so the revocation finds it waiting
        settings.put("send.retry.first", "2s");
        settings.put("send.retry.max", "2s");
        service = NudgeService.start(TestServices.config(settings));

        produce(settings, "gus", mail(refused, "gus", "cart-abandonment", null));
        deliveryOf("gus", refused, "retry");
        produce(settings, "gus", revocation(refused, "gus"));
        await().atMost(WAIT).until(() -> endpoint.callsFor(refused + ":revoked").size() == 1);
        assertSigned(endpoint.callsFor(refused + ":revoked").get(0));
        assertEquals("void", deliveryOf("gus", refused, "void").get("state").asText(), "and it is not tried again");

        // a revocation of a decision this endpoint was never called with: nothing to tell it
        String unseen = UUID.randomUUID().toString();
        produce(settings, "hal", revocation(unseen, "hal"));
        String barrier = UUID.randomUUID().toString();
        produce(settings, "hal", mail(barrier, "hal", "cart-abandonment", null));
        await().atMost(WAIT).until(() -> endpoint.callsFor(barrier).size() == 1);
        assertEquals(List.of(), endpoint.callsFor(unseen + ":revoked"));
        assertEquals(List.of(), endpoint.callsFor(unseen));
        // the late copy of the revoked decision is not called either
        produce(settings, "hal", mail(unseen, "hal", "cart-abandonment", null));
        String barrier2 = UUID.randomUUID().toString();
        produce(settings, "hal", mail(barrier2, "hal", "cart-abandonment", null));
        await().atMost(WAIT).until(() -> endpoint.callsFor(barrier2).size() == 1);
        assertEquals(List.of(), endpoint.callsFor(unseen));
        assertEquals(1, endpoint.callsFor(refused).size(), "the revoked decision was not tried again");
    }

    @Test
    void aRevocationThatComesWhileTheCallIsUnderWayIsForwardedOnceTheCallIsOver() throws Exception {
        String slow = UUID.randomUUID().toString();
        // the endpoint holds the call without answering; the revocation comes meanwhile
        endpoint = new WebhookEndpoint(key -> slow.equals(key) ? Answer.SILENCE : Answer.OK);
        Map<String, String> settings = settings();
        service = NudgeService.start(TestServices.config(settings));

        produce(settings, "ida", mail(slow, "ida", "cart-abandonment", null));
        await().atMost(WAIT).until(() -> endpoint.callsFor(slow).size() == 1);
        produce(settings, "ida", revocation(slow, "ida"));

        // the call times out (2 s): not tried again, since it is revoked; the endpoint may have acted, so it is told
        await().atMost(WAIT).until(() -> endpoint.callsFor(slow + ":revoked").size() == 1);
        assertEquals("void", deliveryOf("ida", slow, "void").get("state").asText());
        assertSigned(endpoint.callsFor(slow + ":revoked").get(0));
        assertEquals(1, endpoint.callsFor(slow).size());
    }

    @Test
    void theShippedBrazeExampleCallsTheCampaignTriggerWithTheDecision() throws Exception {
        endpoint = new WebhookEndpoint(Answer.of(201, "{\"dispatch_id\":\"d\",\"message\":\"success\"}"));
        Map<String, String> settings = settings();
        settings.put("send.webhooks.shop.url", endpoint.url("/campaigns/trigger/send"));
        settings.put("send.webhooks.shop.template", dev.nudge.testing.Paths.HOME.resolve(
                "deploy/webhooks/braze-campaign.ftl").toString());
        settings.put("send.webhooks.shop.header.Authorization", "Bearer braze-rest-api-key");
        service = NudgeService.start(TestServices.config(settings));

        String id = "5b1f0c2e-8d1a-4c6e-9a55-2f0e6f1b7a10";
        produce(settings, "fay", mail(id, "fay", "cart-abandonment", "fay@example.com"));
        await().atMost(WAIT).until(() -> endpoint.calls().size() == 1);

        Call c = endpoint.calls().get(0);
        assertEquals("/campaigns/trigger/send", c.path());
        assertEquals("Bearer braze-rest-api-key", c.header("Authorization"));
        assertEquals("application/json", c.header("Content-Type"));
        assertEquals(id, c.header("Idempotency-Key"));
        assertSigned(c);
        assertEquals("{\"campaign_id\":\"REPLACE-WITH-BRAZE-CAMPAIGN-ID-cart-abandonment\",\"recipients\":[{"
                + "\"external_user_id\":\"fay\",\"trigger_properties\":{\"nudge_decision_id\":\"" + id + "\","
                + "\"nudge_campaign\":\"cart-abandonment\",\"first_name\":\"Fay \\\"the\\\" Shopper\","
                + "\"cart_id\":\"cart-fay\",\"items\":[{\"productId\":\"mug\",\"name\":\"Mug\",\"price\":12.50,"
                + "\"quantity\":2}]}}]}", new String(c.body(), StandardCharsets.UTF_8));
        deliveryOf("fay", id, "sent");
    }

    private static void assertSigned(Call c) {
        assertTrue(WebhookSignature.verify(SECRET, c.header(WebhookSignature.HEADER), c.body(),
                Instant.ofEpochMilli(c.atMillis())), "a valid signature, within the replay window: "
                + c.header(WebhookSignature.HEADER));
    }

    private Map<String, String> settings() {
        Map<String, String> s = TestServices.settings(BrokerExtension.bootstrap, 1);
        s.put("send.webhooks.shop.url", endpoint.url("/nudge"));
        s.put("send.webhooks.shop.secret", SECRET);
        s.put("send.webhooks.shop.timeout", "2s");
        s.put("send.campaigns.cart-abandonment.channel", "webhook");
        s.put("send.campaigns.cart-abandonment.webhook", "shop");
        s.put("send.retry.first", "100ms");
        s.put("send.retry.max", "400ms");
        s.put("admin.token", ADMIN);
        return s;
    }

    /** A mail decision as the engine writes it; {@code email} null: a customer with no address. */
    private static String mail(String id, String customer, String campaign, String email) {
        String first = customer.substring(0, 1).toUpperCase() + customer.substring(1);
        String recipient = email == null ? "" : """
                ,"recipient":{"email":"%s","firstName":"%s \\"the\\" Shopper"}""".formatted(email, first);
        return """
                {"decisionId":"%s","kind":"mail","customerId":"%s","campaign":"%s","rule":"CartAbandonedAfter30Minutes",\
                "rulesVersion":"test","decidedAt":"2026-03-02T10:30:00Z","eventIds":["%s-c"],\
                "payload":{"cartId":"cart-%s","items":[{"productId":"mug","name":"Mug","price":12.50,"quantity":2}]}%s}"""
                .formatted(id, customer, campaign, customer, customer, recipient);
    }

    /** The rules' revocation of decision {@code id}: the customer bought. */
    private static String revocation(String id, String customer) {
        return """
                {"decisionId":"%s","kind":"voided","reason":"purchased","customerId":"%s",
                 "campaign":"cart-abandonment","rule":"DecidedMailVoidWhenPurchased","rulesVersion":"test",
                 "decidedAt":"2026-03-02T10:50:00Z","eventIds":["%s-o"],"payload":{}}""".formatted(id, customer, customer);
    }

    private static void produce(Map<String, String> settings, String customer, String decision) throws Exception {
        TestKafka.produce(BrokerExtension.bootstrap, settings.get("kafka.topic.decisions"), customer, decision);
    }

    /** Asks {@code GET /customers/{id}/decisions} until the decision's delivery has {@code state}. */
    private JsonNode deliveryOf(String customer, String id, String state) {
        return await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                            + service.httpPort() + "/customers/" + customer + "/decisions"))
                    .header("Authorization", "Bearer " + ADMIN).build(), HttpResponse.BodyHandlers.ofString());
            for (JsonNode d : JSON.readTree(r.body()).path("decisions")) {
                if (d.path("decisionId").asText().equals(id) && d.has("delivery")) {
                    return d.get("delivery");
                }
            }
            return JSON.createObjectNode();
        }, d -> state.equals(d.path("state").asText()));
    }
}
