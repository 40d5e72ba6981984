package dev.nudge.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nudge.app.NudgeService;
import dev.nudge.config.NudgeConfig;
import dev.nudge.event.Json;
import dev.nudge.send.LocalSmtp;
import dev.nudge.testing.BrokerExtension;
import dev.nudge.testing.Ingest;
import dev.nudge.testing.TestKafka;
import dev.nudge.testing.TestServices;
import jakarta.mail.internet.MimeMessage;
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
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The send stage in the service as shipped (embedded SMTP server) against the real broker: what a customer receives,
 * a refused address, a decision delivered twice, and the one-click unsubscribe. One partition, and the tests run in
 * order of their event days, so no test's events are late for another's.
 */
@ExtendWith(BrokerExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SendIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = Json.mapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static NudgeService service;
    private static NudgeConfig config;
    private static Map<String, String> settings;

    @BeforeAll
    static void start() throws Exception {
        settings = TestServices.wallClockSettings(BrokerExtension.bootstrap, 1);
        settings.put("admin.token", "admin-secret");
        service = NudgeService.start(TestServices.config(settings));
        config = service.config();
    }

    @AfterAll
    static void stop() throws Exception {
        service.close();
    }

    @Test
    @Order(1)
    void anAbandonedCartArrivesAsAPersonalMailWithOneClickUnsubscribeHeaders() throws Exception {
        abandonCart("ana", "ana@example.com", "Ana", day(-10));
        MimeMessage mail = awaitMailTo("ana@example.com");

        assertEquals("Ana, your cart is waiting for you", mail.getSubject());
        assertEquals("Nudge Shop <shop@nudge.localhost>", mail.getHeader("From")[0]);
        String text = LocalSmtp.part(mail, "text/plain");
        String html = LocalSmtp.part(mail, "text/html");
        assertTrue(text.contains("Hi Ana,") && text.contains("Trail shoe, quantity 2"), text);
        assertTrue(html.contains("https://img.example/shoe.jpg") && html.contains("Trail shoe"), html);
        assertTrue(html.contains("https://shop.example/cart/cart-ana"), "links back to the cart: " + html);

        String decisionId = mail.getHeader("X-Nudge-Decision")[0];
        assertEquals("<" + decisionId + "@nudge>", mail.getMessageID(), "the same decision, the same Message-ID");
        String unsubscribe = mail.getHeader("List-Unsubscribe")[0];
        assertTrue(unsubscribe.matches("<http://127\\.0\\.0\\.1:\\d+/unsubscribe\\?token=[^>]+>"), unsubscribe);
        assertEquals("List-Unsubscribe=One-Click", mail.getHeader("List-Unsubscribe-Post")[0]);
        assertTrue(html.contains(unsubscribe.substring(1, unsubscribe.length() - 1).replace("&", "&amp;"))
                && text.contains(unsubscribe.substring(1, unsubscribe.length() - 1)), "the link is in both parts");

        // the demo's outbox lists it and shows it as the customer sees it (OutboxIT has the pages in detail)
        JsonNode outbox = JSON.readTree(HTTP.send(HttpRequest.newBuilder(uri("/outbox")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        JsonNode listed = outbox.get("mails").get(0);
        assertEquals("ana@example.com", listed.get("to").asText());
        assertEquals(decisionId, listed.get("decisionId").asText());
        HttpResponse<String> shown = HTTP.send(HttpRequest.newBuilder(uri(listed.get("view").asText())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(shown.headers().firstValue("content-type").orElse("").startsWith("text/html"));
        assertTrue(shown.body().contains("srcdoc=\"" + html.replace("&", "&amp;").replace("<", "&lt;")
                .replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;") + "\""),
                "the mail, whole, in the viewer's frame");
        String page = HTTP.send(HttpRequest.newBuilder(uri("/outbox")).header("Accept", "text/html").build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(page.contains("<a href=\"" + listed.get("view").asText() + "\">" + mail.getSubject() + "</a>"), page);

        // the result comes back as an event, so rules see real sends
        JsonNode sent = firstEvent("EmailSent");
        assertEquals(decisionId, sent.get("decisionId").asText());
        assertEquals("ana", sent.get("customerId").asText());
    }

    @Test
    @Order(2)
    void aRefusedAddressGoesToTheSendDeadLettersWithTheRelaysAnswer() throws Exception {
        abandonCart("bob", "bob@shop" + LocalSmtp.REFUSED_DOMAIN, "Bob", day(-9));
        List<ConsumerRecord<String, byte[]>> dead = TestKafka.readUntil(config.kafka().bootstrapServers(),
                config.kafka().topics().sendDeadLetters(), l -> !l.isEmpty(), WAIT);
        assertEquals(1, dead.size());
        String reason = new String(dead.get(0).headers().lastHeader("nudge-error").value(), StandardCharsets.UTF_8);
        assertTrue(reason.startsWith("550"), reason);
        assertEquals("bob", json(dead.get(0)).get("customerId").asText(), "the decision itself is kept");
        JsonNode failed = firstEvent("EmailFailed");
        assertEquals("bob", failed.get("customerId").asText());
        assertTrue(failed.get("reason").asText().contains("550"));
        // an address that does not exist is a hard bounce: the consent rules stop mailing it
        JsonNode bounce = firstEvent("EmailBounced");
        assertEquals("bob", bounce.get("customerId").asText());
        assertTrue(bounce.get("hard").asBoolean());
        assertEquals(json(dead.get(0)).get("campaign").asText(), bounce.get("campaign").asText(),
                "the campaign report charges the bounce to the campaign whose mail bounced");
        assertTrue(mailsTo("bob@shop" + LocalSmtp.REFUSED_DOMAIN).isEmpty());
        // "why did Bob get nothing?" is answered with the relay's own words
        await().atMost(WAIT).untilAsserted(() -> {
            String explained = HTTP.send(HttpRequest.newBuilder(uri("/customers/bob/decisions"))
                    .header("Authorization", "Bearer admin-secret").build(), HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(explained.contains("\"delivery\":{\"state\":\"failed\"") && explained.contains("550 5.1.1"),
                    explained);
        });
    }

    @Test
    @Order(3)
    void aDecisionDeliveredTwiceIsMailedOnceAndAHoldoutIsRecordedNotSent() throws Exception {
        abandonCart("dan", "dan@example.com", "Dan", day(-8));
        MimeMessage first = awaitMailTo("dan@example.com");
        String decisionId = first.getHeader("X-Nudge-Decision")[0];
        ConsumerRecord<String, byte[]> decision = first(config.kafka().topics().decisions(), decisionId);

        // the same decision again, twice (a producer retry, an engine replay), then a holdout and a marker mail
        String raw = new String(decision.value(), StandardCharsets.UTF_8);
        produceDecision(raw);
        produceDecision(raw);
        produceDecision(copy(decision, "holdout-1", "held-out@example.com").put("kind", "holdout").toString());
        produceDecision(copy(decision, "marker-1", "marker@example.com").toString());

        // one partition, read in order: once the marker is mailed, everything before it was handled
        awaitMailTo("marker@example.com");
        assertEquals(1, mailsTo("dan@example.com").size(), "the copies of the decision sent nothing");
        assertTrue(mailsTo("held-out@example.com").isEmpty(), "a holdout is not sent");
        List<ConsumerRecord<String, byte[]>> ledger = TestKafka.readUntil(config.kafka().bootstrapServers(),
                config.kafka().topics().sent(), l -> l.stream().anyMatch(r -> "holdout-1".equals(r.key())), WAIT);
        assertTrue(ledger.stream().anyMatch(r -> "holdout-1".equals(r.key())
                && json(r).get("state").asText().equals("holdout")), "the holdout is recorded");
    }

    @Test
    @Order(4)
    void aOneClickUnsubscribeStopsTheNextMailAndAForgedLinkIsRefused() throws Exception {
        abandonCart("una", "una@example.com", "Una", day(-4));
        MimeMessage mail = awaitMailTo("una@example.com");
        String header = mail.getHeader("List-Unsubscribe")[0];
        URI link = URI.create(header.substring(1, header.length() - 1));

        String forged = link.toString().replaceFirst("token=.", "token=" + (link.getQuery().charAt(6) == 'A' ? 'B' : 'A'));
        assertEquals(403, oneClick(URI.create(forged)).statusCode(), "an altered token unsubscribes nobody");
        HttpResponse<String> ok = oneClick(link);
        assertEquals(200, ok.statusCode(), ok.body());

        // four days on, the same customer abandons a cart again, 40 minutes ago (her events may not lie in the future,
        // and the unsubscribe is stamped with the wall clock): the rules know she unsubscribed
        abandonCart("una", null, null, java.time.Instant.now().minus(java.time.Duration.ofMinutes(40))
                .truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        await().atMost(WAIT).untilAsserted(() -> {
            HttpResponse<String> explained = HTTP.send(HttpRequest.newBuilder(uri("/customers/una/decisions"))
                    .header("Authorization", "Bearer admin-secret").build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(explained.body().contains("\"outcome\":\"not mailed: unsubscribed\""), explained.body());
        });
        assertEquals(1, mailsTo("una@example.com").size(), "no mail after the unsubscribe");
    }

    @Test
    @Order(5)
    void afterARestartThatLostEveryOffsetTheLedgerStillStopsEveryCopyAndAMailInDoubtIsNotResent() throws Exception {
        ConsumerRecord<String, byte[]> any = TestKafka.readUntil(config.kafka().bootstrapServers(),
                config.kafka().topics().decisions(), l -> !l.isEmpty(), WAIT).get(0);
        service.close();
        // a mail handed to the relay by a sender that died before it could record the answer
        ObjectNode inDoubt = copy(any, "in-doubt-1", "doubt@example.com");
        TestKafka.produce(config.kafka().bootstrapServers(), config.kafka().topics().sent(), "in-doubt-1", """
                {"decisionId":"in-doubt-1","customerId":"ana","campaign":"cart-abandonment","state":"sending","attempt":1,"at":"%s"}""".formatted(java.time.Instant.now()));
        produceDecision(inDoubt.toString());
        produceDecision(copy(any, "marker-2", "marker2@example.com").toString());

        // a new consumer group reads every decision of the topic again, as after losing the committed offsets
        settings.put("send.consumer-group", settings.get("send.consumer-group") + "-again");
        service = NudgeService.start(TestServices.config(settings));
        awaitMailTo("marker2@example.com");
        assertEquals(1, service.send().localSmtp().received().size(), "nothing but the new mail went out again");
        ConsumerRecord<String, byte[]> dead = first(config.kafka().topics().sendDeadLetters(), "in-doubt-1");
        String reason = new String(dead.headers().lastHeader("nudge-error").value(), StandardCharsets.UTF_8);
        assertTrue(reason.startsWith("in doubt"), reason);
    }

    /**
     * A profile (unless {@code email} is null), a cart at 10:00 of {@code day}, and another customer's visit at
     * 10:31:01 that moves event time past the 30 minutes.
     */
    private static void abandonCart(String customer, String email, String firstName, String day) throws Exception {
        abandonCart(customer, email, firstName, java.time.Instant.parse(day + "T10:00:00Z"));
    }

    /** {@link #abandonCart(String, String, String, String)} with the cart at {@code cartTime}. */
    private static void abandonCart(String customer, String email, String firstName, java.time.Instant cartTime)
            throws Exception {
        String day = cartTime.toString();
        String profile = email == null ? "" : """
                {"eventId":"%1$s-profile-%4$s","type":"CustomerProfile","customerId":"%1$s",
                 "timestamp":"%4$s","email":"%2$s","firstName":"%3$s","marketingConsent":true},
                """.formatted(customer, email, firstName, cartTime.minusSeconds(3600));
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri("/events")).header("Authorization", Ingest.AUTH)
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString("""
                        [%5$s
                         {"eventId":"%1$s-cart-%4$s","type":"CartUpdated","customerId":"%1$s",
                          "timestamp":"%4$s","cartId":"cart-%1$s","items":[
                          {"productId":"shoe","name":"Trail shoe","price":89.90,"quantity":2,
                           "imageUrl":"https://img.example/shoe.jpg"}]},
                         {"eventId":"%1$s-page-%4$s","type":"PageVisited","customerId":"someone-else",
                          "timestamp":"%6$s","url":"https://shop.example/"}]
                        """.formatted(customer, email, firstName, day, profile, cartTime.plusSeconds(31 * 60 + 1))))
                .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(202, r.statusCode(), r.body());
    }

    /**
     * A day relative to today. An unsubscribe is stamped with the wall clock, so the test that uses one runs last,
     * and the days before it lie in the past: its timestamp must not move event time past another test's days.
     */
    private static String day(int fromToday) {
        return java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(fromToday).toString();
    }

    private static HttpResponse<String> oneClick(URI link) throws Exception {
        // what a mailbox provider sends for List-Unsubscribe-Post (RFC 8058)
        return HTTP.send(HttpRequest.newBuilder(link).header("content-type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("List-Unsubscribe=One-Click")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Another decision like this one: its own id, to another address. */
    private static ObjectNode copy(ConsumerRecord<String, byte[]> decision, String decisionId, String email) {
        ObjectNode copy = (ObjectNode) json(decision);
        copy.put("decisionId", decisionId);
        ((ObjectNode) copy.get("recipient")).put("email", email);
        return copy;
    }

    private static void produceDecision(String json) throws Exception {
        TestKafka.produce(config.kafka().bootstrapServers(), config.kafka().topics().decisions(),
                JSON.readTree(json).get("customerId").asText(), json);
    }

    private static MimeMessage awaitMailTo(String address) {
        await().atMost(WAIT).until(() -> !mailsTo(address).isEmpty());
        MimeMessage m = mailsTo(address).get(0);
        assertNotNull(m);
        return m;
    }

    private static List<MimeMessage> mailsTo(String address) {
        return Mails.to(service.send().localSmtp().received(), address);
    }

    /** The first record of the topic for that decision, read from the start until it is there. */
    private static ConsumerRecord<String, byte[]> first(String topic, String decisionId) {
        return first(topic, r -> json(r).path("decisionId").asText().equals(decisionId));
    }

    /** The first event of that type on the events topic. */
    private static JsonNode firstEvent(String type) {
        return json(first(config.kafka().topics().events(), r -> isEvent(r, type)));
    }

    private static ConsumerRecord<String, byte[]> first(String topic,
                                                        java.util.function.Predicate<ConsumerRecord<String, byte[]>> match) {
        return TestKafka.readUntil(config.kafka().bootstrapServers(), topic, l -> l.stream().anyMatch(match), WAIT)
                .stream().filter(match).findFirst().orElseThrow();
    }

    private static boolean isEvent(ConsumerRecord<String, byte[]> r, String type) {
        return json(r).path("type").asText().equals(type);
    }

    private static JsonNode json(ConsumerRecord<String, byte[]> r) {
        try {
            return JSON.readTree(r.value());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + service.httpPort() + path);
    }
}
