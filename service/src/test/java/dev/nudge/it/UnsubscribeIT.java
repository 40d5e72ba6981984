package dev.nudge.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nudge.app.NudgeService;
import dev.nudge.event.Json;
import dev.nudge.testing.BrokerExtension;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The unsubscribe pages of a real mail over real HTTP: the page names the shop and the address masked, never in full;
 * its button publishes {@code Unsubscribed} to Kafka, the page after it offers to subscribe again, which publishes
 * {@code Subscribed}; unsubscribing once more is a new event; a forged token changes nothing (first, so the topic
 * holds no consent event yet).
 */
@ExtendWith(BrokerExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UnsubscribeIT {

    private static final String SHOP = "Ana's <Fine> Goods & Co";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern FORM = Pattern.compile(
            "<form method=\"post\" action=\"([^\"]+)\"><input type=\"hidden\" name=\"round\" value=\"(\\d+)\">");

    private static NudgeService service;
    private static URI link;

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> s = TestServices.settings(BrokerExtension.bootstrap, 1);
        s.put("send.shop-name", SHOP);
        s.put("decisions.quiet-hours", "none");
        service = NudgeService.start(TestServices.config(s));
        link = UnsubscribeLinks.ofMail(service, "ana", "ana.lopez@example.com", Instant.parse("2026-03-03T10:00:00Z"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (service != null) {
            service.close();
        }
    }

    @Test
    @Order(2)
    void theLinkOpensAPhonePageWithTheShopAndTheAddressMaskedThenUnsubscribesAndSubscribesAgain() throws Exception {
        HttpResponse<String> confirm = get(link);
        assertEquals(200, confirm.statusCode());
        String page = confirm.body();
        assertTrue(page.contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"), page);
        assertTrue(page.contains("Ana&#39;s &lt;Fine&gt; Goods &amp; Co") && !page.contains(SHOP), "escaped: " + page);
        assertTrue(page.contains("a***@example.com"), page);
        assertFalse(page.contains("ana.lopez") || link.toString().contains("ana.lopez"), "never the address in full");
        assertFalse(page.contains("<script") || page.contains("style="), "nothing the page policy would block");
        assertTrue(confirm.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'self'"));
        assertEquals("no-referrer", confirm.headers().firstValue("Referrer-Policy").orElse(""));
        assertEquals(200, get(URI.create(base() + "/unsubscribe.css")).statusCode());
        assertTrue(consentEvents("after-the-page").isEmpty(), "opening the link unsubscribes nobody");

        // the button: the page's form as a browser posts it
        HttpResponse<String> done = submit(confirm.body());
        assertEquals(200, done.statusCode(), done.body());
        assertTrue(done.body().contains("You are unsubscribed") && done.body().contains("a***@example.com"));
        assertTrue(done.body().contains("id=\"resubscribe\""), "offers to subscribe again: " + done.body());
        JsonNode unsubscribed = awaitEvent("Unsubscribed", 1).get(0);
        assertEquals("ana", unsubscribed.get("customerId").asText());
        assertEquals("cart-abandonment", unsubscribed.get("campaign").asText());

        // subscribing again publishes Subscribed, which the rules take as newer than the unsubscribe
        HttpResponse<String> again = submit(done.body());
        assertEquals(200, again.statusCode(), again.body());
        assertTrue(again.body().contains("You are subscribed again"), again.body());
        JsonNode subscribed = awaitEvent("Subscribed", 1).get(0);
        assertEquals("ana", subscribed.get("customerId").asText());
        assertTrue(Instant.parse(subscribed.get("timestamp").asText())
                .isAfter(Instant.parse(unsubscribed.get("timestamp").asText())), "newer than the unsubscribe");

        // and unsubscribing from there again is a new event, not a duplicate the engine would drop
        assertEquals(200, submit(again.body()).statusCode());
        List<JsonNode> both = awaitEvent("Unsubscribed", 2);
        assertFalse(both.get(0).get("eventId").asText().equals(both.get(1).get("eventId").asText()), both.toString());
    }

    @Test
    @Order(1)
    void aForgedTokenIsRefusedOnEveryRouteAndPublishesNothing() throws Exception {
        String query = link.getRawQuery();
        char first = query.charAt("token=".length());
        String forged = "token=" + (first == 'A' ? 'B' : 'A') + query.substring("token=".length() + 1);
        HttpResponse<String> page = get(URI.create(base() + "/unsubscribe?" + forged));
        assertEquals(403, page.statusCode());
        assertTrue(page.body().contains("This link is not valid"), page.body());
        for (String path : List.of("/unsubscribe?", "/resubscribe?")) {
            HttpResponse<String> r = post(URI.create(base() + path + forged), "List-Unsubscribe=One-Click", "*/*");
            assertEquals(403, r.statusCode(), path);
            assertTrue(r.body().contains("invalid unsubscribe token"), r.body());
        }
        assertEquals(400, post(link, "round=-1", "*/*").statusCode(), "a round out of range");
        assertTrue(consentEvents("after-the-forgeries").isEmpty(), "nothing published");
    }

    /** The Unsubscribed and Subscribed events on the events topic, read up to a barrier record sent now. */
    private static List<JsonNode> consentEvents(String barrier) throws Exception {
        TestKafka.produce(BrokerExtension.bootstrap, service.config().kafka().topics().events(), barrier,
                "{\"type\":\"PageVisited\",\"eventId\":\"" + barrier + "\",\"customerId\":\"" + barrier + "\","
                        + "\"timestamp\":\"2026-03-03T11:00:00Z\",\"url\":\"/\"}");
        List<ConsumerRecord<String, byte[]>> read = TestKafka.readUntil(BrokerExtension.bootstrap,
                service.config().kafka().topics().events(), l -> l.stream().anyMatch(r -> barrier.equals(r.key())),
                Duration.ofSeconds(30));
        assertTrue(read.stream().anyMatch(r -> barrier.equals(r.key())), "the barrier came back");
        List<JsonNode> consent = new java.util.ArrayList<>(events(read, "Unsubscribed"));
        consent.addAll(events(read, "Subscribed"));
        return consent;
    }

    /** Posts the first form of a page as a browser does: its action, its hidden round, and Accept: text/html. */
    private static HttpResponse<String> submit(String page) throws Exception {
        Matcher m = FORM.matcher(page);
        assertTrue(m.find(), "a form in " + page);
        URI action = URI.create(base() + m.group(1).replace("&amp;", "&"));
        return post(action, "round=" + m.group(2), "text/html,application/xhtml+xml");
    }

    private static HttpResponse<String> get(URI uri) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri).header("Accept", "text/html").build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(URI uri, String form, String accept) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri).header("content-type", "application/x-www-form-urlencoded")
                .header("Accept", accept).POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The events of that type on the events topic, once there are {@code count} of them. */
    private static List<JsonNode> awaitEvent(String type, int count) {
        return TestKafka.readUntil(BrokerExtension.bootstrap, service.config().kafka().topics().events(),
                        l -> events(l, type).size() >= count, Duration.ofSeconds(30))
                .stream().map(UnsubscribeIT::json).filter(e -> e.path("type").asText().equals(type)).toList();
    }

    private static List<JsonNode> events(List<ConsumerRecord<String, byte[]>> records, String type) {
        return records.stream().map(UnsubscribeIT::json).filter(e -> e.path("type").asText().equals(type)).toList();
    }

    private static JsonNode json(ConsumerRecord<String, byte[]> r) {
        try {
            return Json.mapper().readTree(r.value());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String base() {
        return "http://127.0.0.1:" + service.httpPort();
    }
}
