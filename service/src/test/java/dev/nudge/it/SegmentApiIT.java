package dev.nudge.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.app.NudgeService;
import dev.nudge.event.CartUpdated;
import dev.nudge.event.CustomerEvent;
import dev.nudge.event.CustomerProfile;
import dev.nudge.event.EventParser;
import dev.nudge.event.Json;
import dev.nudge.event.ParseResult;
import dev.nudge.kafka.Headers;
import dev.nudge.testing.BrokerExtension;
import dev.nudge.testing.TestKafka;
import dev.nudge.testing.TestServices;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Segment's HTTP tracking API, spoken by the real libraries: the requests that @segment/analytics-node 3.1.0 and
 * @rudderstack/rudder-sdk-node 3.0.13 sent (recorded by {@code segment/record.js}, byte for byte, gzip and all) are
 * replayed against Nudge, their times moved to 35 minutes ago; the events arrive as Nudge's own, and the cart left in
 * them is mailed to the address the identify call gave.
 */
@ExtendWith(BrokerExtension.class)
class SegmentApiIT {

    private static final ObjectMapper JSON = Json.mapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern TIME = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    private static final Set<String> NOT_REPLAYED = Set.of("host", "content-length", "connection");
    private static NudgeService service;

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> s = TestServices.wallClockSettings(BrokerExtension.bootstrap, 1);
        s.put("ingest.keys.segment", "segment-write-key-0123456789");
        s.put("ingest.keys.segment.types", "*");
        s.put("ingest.keys.segment.source", "node-backend");
        s.put("ingest.keys.rudder", "rudder-write-key-0123456789");
        s.put("ingest.keys.rudder.types", "*");
        s.put("ingest.keys.web", "web-write-key-0123456789");
        s.put("ingest.keys.shop", "shop-browser-key-0123456789");
        s.put("ingest.keys.shop.origins", "https://shop.example");
        s.put("ingest.keys.slow", "slow-write-key-0123456789");
        s.put("ingest.keys.slow.rate", "1");
        service = NudgeService.start(TestServices.config(s));
    }

    @AfterAll
    static void stop() throws Exception {
        service.close();
    }

    @Test
    void theRealLibrariesRequestsAreTakenAndTheirCartIsMailed() throws Exception {
        JsonNode recorded;
        try (InputStream in = SegmentApiIT.class.getResourceAsStream("/segment/recorded-sdk-requests.json")) {
            recorded = JSON.readTree(in);
        }
        Instant recordedAt = Instant.parse(JSON.readTree(body(recorded.get(0))).get("sentAt").asText());
        // ana's cart 35 minutes ago: bob's events, sent now, take event time past its 30 minutes and the allowed minute
        Duration shift = Duration.between(recordedAt, Instant.now().minus(Duration.ofMinutes(35)));
        for (JsonNode request : recorded) {
            HttpResponse<String> r = replay(request, shift);
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(true, JSON.readTree(r.body()).get("success").asBoolean(), r.body());
        }

        String bootstrap = service.config().kafka().bootstrapServers();
        List<ConsumerRecord<String, byte[]>> events = TestKafka.readUntil(bootstrap,
                service.config().kafka().topics().events(), l -> ofAnaAndBob(l).size() >= 6, Duration.ofSeconds(30));
        events = ofAnaAndBob(events);
        EventParser parser = new EventParser(JSON);
        List<String> seen = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> rec : events) {
            CustomerEvent e = ((ParseResult.Parsed) parser.parse(rec.value())).event();
            seen.add(rec.key() + " " + e.type() + " from " + new String(rec.headers().lastHeader(Headers.EVENT_SOURCE)
                    .value(), StandardCharsets.UTF_8));
            assertTrue(new String(rec.value(), StandardCharsets.UTF_8).indexOf("write-key") < 0,
                    "the write key the body repeats never reaches Kafka");
            if (e instanceof CustomerProfile p && p.customerId().equals("ana")) {
                assertEquals("ana@example.com", p.email());
                assertEquals("vip", p.attributes().get("tier"));
            }
            if (e instanceof CartUpdated c && c.customerId().equals("bob")) {
                assertEquals(2, c.items().get(0).quantity());
                // RudderStack sends originalTimestamp and sentAt: their difference, before now, is when it happened
                assertTrue(Duration.between(c.timestamp(), Instant.now()).abs().compareTo(Duration.ofMinutes(1)) < 0,
                        "bob's cart happened just now: " + c.timestamp());
            }
        }
        assertEquals(List.of("ana CustomerProfile from node-backend", "ana ProductViewed from node-backend",
                "ana CartUpdated from node-backend", "ana PageVisited from node-backend", "bob CartUpdated from rudder",
                "bob CustomerProfile from rudder"), seen);

        await().atMost(Duration.ofSeconds(30)).until(() ->
                !Mails.to(service.send().localSmtp().received(), "ana@example.com").isEmpty());
    }

    @Test
    void withoutAKeyTheAnswerIs401AndTooLargeACallIs413() throws Exception {
        HttpResponse<String> none = post("/v1/track", null, "{\"userId\":\"cy\",\"event\":\"Product Viewed\"}");
        assertEquals(401, none.statusCode(), none.body());
        String big = "{\"userId\":\"cy\",\"event\":\"Product Viewed\",\"properties\":{\"name\":\""
                + "n".repeat(33 * 1024) + "\"}}";
        HttpResponse<String> tooLarge = post("/v1/track", "segment-write-key-0123456789", big);
        assertEquals(413, tooLarge.statusCode());
        assertTrue(tooLarge.body().contains("at most 32 KB"), tooLarge.body());
        HttpResponse<String> notJson = post("/v1/batch", "segment-write-key-0123456789", "{\"batch\": [");
        assertEquals(400, notJson.statusCode());
        assertTrue(notJson.body().contains("malformed JSON"), notJson.body());
    }

    @Test
    void aBrowserKeyMayNotIdentifyAndNothingOfTheRefusedCallIsPublished() throws Exception {
        HttpResponse<String> r = post("/v1/identify", "web-write-key-0123456789", """
                {"userId":"dan","traits":{"email":"attacker@example.com"},"messageId":"m-dan",
                 "timestamp":"%s"}""".formatted(Instant.now()));
        assertEquals(403, r.statusCode(), r.body());
        assertTrue(r.body().contains("may not send CustomerProfile"), r.body());
        // a page call of the same key goes through, and arrives alone
        assertEquals(200, post("/v1/p", "web-write-key-0123456789", """
                {"userId":"dan","properties":{"url":"https://shop.example/"},"messageId":"m-dan-2"}""").statusCode());
        List<ConsumerRecord<String, byte[]>> dan = TestKafka.readUntil(service.config().kafka().bootstrapServers(),
                service.config().kafka().topics().events(),
                l -> l.stream().anyMatch(x -> "dan".equals(x.key())), Duration.ofSeconds(30)).stream()
                .filter(x -> "dan".equals(x.key())).toList();
        assertEquals(1, dan.size());
        assertTrue(new String(dan.get(0).value(), StandardCharsets.UTF_8).contains("\"type\":\"page\""));
    }

    @Test
    void aCallNudgeCannotUseIsDeadLetteredWithItsReasonAndTheRestOfTheBatchGoesOn() throws Exception {
        HttpResponse<String> r = post("/v1/batch", "segment-write-key-0123456789", """
                {"batch":[{"type":"page","userId":"eve","properties":{"url":"https://shop.example/"},"messageId":"e1"},
                          {"type":"track","event":"Product Viewed","messageId":"e2"}]}""");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode answer = JSON.readTree(r.body());
        assertTrue(answer.get("success").asBoolean());
        assertEquals("e2", answer.at("/rejected/0/messageId").asText());
        List<ConsumerRecord<String, byte[]>> dead = TestKafka.readUntil(service.config().kafka().bootstrapServers(),
                service.config().kafka().topics().deadLetters(), l -> !l.isEmpty(), Duration.ofSeconds(30));
        ConsumerRecord<String, byte[]> d = dead.get(0);
        assertEquals("missing field 'userId' (or 'anonymousId')",
                new String(d.headers().lastHeader(Headers.ERROR).value(), StandardCharsets.UTF_8));
        assertEquals("POST /v1/batch [1]",
                new String(d.headers().lastHeader(Headers.SOURCE).value(), StandardCharsets.UTF_8));
    }

    @Test
    void aPageOfTheKeysOriginSendsAsAnalyticsJsDoesAndOtherPagesCannot() throws Exception {
        HttpResponse<String> preflight = HTTP.send(HttpRequest.newBuilder(uri("/v1/t"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", "https://shop.example")
                .header("Access-Control-Request-Method", "POST").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(204, preflight.statusCode());
        assertEquals("https://shop.example", preflight.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
        // text/plain and the key in the body, as analytics.js sends from a page: no preflight needed
        String call = """
                {"userId":"fay","event":"Product Viewed","properties":{"product_id":"lamp"},"messageId":"m-fay",
                 "writeKey":"%s"}""";
        HttpResponse<String> ok = fromPage("https://shop.example", call.formatted("shop-browser-key-0123456789"));
        assertEquals(200, ok.statusCode(), ok.body());
        assertEquals("https://shop.example", ok.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
        List<ConsumerRecord<String, byte[]>> fay = TestKafka.readUntil(service.config().kafka().bootstrapServers(),
                service.config().kafka().topics().events(),
                l -> l.stream().anyMatch(x -> "fay".equals(x.key())), Duration.ofSeconds(30));
        assertTrue(fay.stream().filter(x -> "fay".equals(x.key())).noneMatch(x ->
                new String(x.value(), StandardCharsets.UTF_8).contains("shop-browser-key")), "no key in Kafka");

        HttpResponse<String> elsewhere = fromPage("https://evil.example", call.formatted("shop-browser-key-0123456789"));
        assertEquals(403, elsewhere.statusCode());
        assertTrue(elsewhere.body().contains("may not be used from https://evil.example"), elsewhere.body());
        assertEquals(403, HTTP.send(HttpRequest.newBuilder(uri("/v1/t"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", "https://evil.example")
                .build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        // a server's key copied into a page works nowhere in a browser
        HttpResponse<String> serverKey = fromPage("https://shop.example",
                call.formatted("segment-write-key-0123456789"));
        assertEquals(403, serverKey.statusCode());
        assertTrue(serverKey.body().contains("is for servers"), serverKey.body());
        HttpResponse<String> serverKeyInHeader = HTTP.send(HttpRequest.newBuilder(uri("/v1/t"))
                .header("Origin", "https://shop.example").header("Authorization", basic("segment-write-key-0123456789"))
                .POST(HttpRequest.BodyPublishers.ofString(call.formatted(""))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, serverKeyInHeader.statusCode(), serverKeyInHeader.body());
    }

    @Test
    void aKeyThatSendsFasterThanItsRateIsToldToWait() throws Exception {
        StringBuilder batch = new StringBuilder("{\"batch\":[");
        for (int i = 0; i < 8; i++) {
            batch.append(i == 0 ? "" : ",").append("{\"type\":\"page\",\"userId\":\"gus\",\"messageId\":\"g")
                    .append(i).append("\",\"properties\":{\"url\":\"https://shop.example/\"}}");
        }
        String body = batch.append("]}").toString();
        assertEquals(200, post("/v1/batch", "slow-write-key-0123456789", body).statusCode(), "8 of its 10 at once");
        HttpResponse<String> again = post("/v1/batch", "slow-write-key-0123456789", body);
        assertEquals(429, again.statusCode(), again.body());
        long wait = Long.parseLong(again.headers().firstValue("Retry-After").orElse("0"));
        assertTrue(wait >= 5 && wait <= 6, "6 more events at 1 a second: " + wait);
    }

    private static HttpResponse<String> fromPage(String origin, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri("/v1/t")).header("Origin", origin)
                .header("content-type", "text/plain;charset=UTF-8").POST(HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + service.httpPort() + path);
    }

    private static String basic(String key) {
        return "Basic " + Base64.getEncoder().encodeToString((key + ":").getBytes(StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> post(String path, String key, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.httpPort() + path))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            b.header("Authorization", basic(key));
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** What came in over HTTP for ana and bob: not the send stage's EmailSent reports, once the mail is out. */
    private static List<ConsumerRecord<String, byte[]>> ofAnaAndBob(List<ConsumerRecord<String, byte[]>> records) {
        return records.stream().filter(r -> ("ana".equals(r.key()) || "bob".equals(r.key()))
                && r.headers().lastHeader(Headers.EVENT_SOURCE) != null).toList();
    }

    /** The recorded request, sent as it was but for the times in its body, all moved by {@code shift}. */
    private static HttpResponse<String> replay(JsonNode request, Duration shift) throws Exception {
        boolean gzip = "gzip".equals(request.path("headers").path("content-encoding").asText());
        String text = new String(body(request), StandardCharsets.UTF_8);
        Matcher m = TIME.matcher(text);
        StringBuilder moved = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(moved, Instant.parse(m.group()).plus(shift).toString());
        }
        m.appendTail(moved);
        byte[] out = moved.toString().getBytes(StandardCharsets.UTF_8);
        if (gzip) {
            ByteArrayOutputStream zipped = new ByteArrayOutputStream();
            try (GZIPOutputStream z = new GZIPOutputStream(zipped)) {
                z.write(out);
            }
            out = zipped.toByteArray();
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.httpPort()
                + request.get("path").asText())).method(request.get("method").asText(),
                HttpRequest.BodyPublishers.ofByteArray(out));
        request.get("headers").fields().forEachRemaining(h -> {
            if (!NOT_REPLAYED.contains(h.getKey())) {
                b.header(h.getKey(), h.getValue().asText());
            }
        });
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] body(JsonNode request) throws Exception {
        byte[] raw = Base64.getDecoder().decode(request.get("bodyBase64").asText());
        if (!"gzip".equals(request.path("headers").path("content-encoding").asText())) {
            return raw;
        }
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
            return in.readAllBytes();
        }
    }
}
