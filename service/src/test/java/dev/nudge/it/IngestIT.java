package dev.nudge.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.app.NudgeService;
import dev.nudge.event.Json;
import dev.nudge.testing.BrokerExtension;
import dev.nudge.testing.Ingest;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code POST /events} takes events only from a write key, only as JSON, and only the types that key may send: a web
 * page cannot switch a customer's address, re-subscribe someone who opted out, or fake a sent mail.
 */
@ExtendWith(BrokerExtension.class)
class IngestIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = Json.mapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String WEB_KEY = "web-key-for-the-storefront-0001";
    private static final String PROFILE = """
            {"eventId":"p-evil","type":"CustomerProfile","customerId":"ana","timestamp":"2026-03-02T10:00:00Z",
             "email":"attacker@evil.example","marketingConsent":true}""";
    private static final String VISIT = """
            {"eventId":"%s","type":"PageVisited","customerId":"ana","timestamp":"2026-03-02T10:00:00Z","url":"/"}""";
    private static NudgeService service;
    private static java.nio.file.Path keysFile;

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> settings = TestServices.settings(BrokerExtension.bootstrap, 1);
        keysFile = java.nio.file.Files.createTempFile("nudge-keys", ".properties");
        settings.put("ingest.keys-file", keysFile.toString());
        // a storefront's key: what its pages see, nothing that changes who a customer is or what they agreed to
        settings.put("ingest.keys.web", WEB_KEY);
        settings.put("ingest.keys.web.source", "storefront");
        service = NudgeService.start(TestServices.config(settings));
    }

    @AfterAll
    static void stop() throws Exception {
        service.close();
    }

    private static HttpResponse<String> post(String authorization, String contentType, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.httpPort() + "/events"))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void withoutAKnownWriteKeyNothingIsTaken() throws Exception {
        HttpResponse<String> none = post(null, "application/json", VISIT.formatted("a1"));
        assertEquals(401, none.statusCode(), none.body());
        assertTrue(none.body().contains("a write key is required"), none.body());
        assertEquals(401, post(Ingest.basic("not-a-key-of-ours-000000"), "application/json", VISIT.formatted("a2"))
                .statusCode());
        assertEquals(202, post("Bearer " + WEB_KEY, "application/json", VISIT.formatted("a3")).statusCode());
        assertEquals(202, post(Ingest.basic(WEB_KEY), "application/json", VISIT.formatted("a4")).statusCode());
    }

    @Test
    void aBrowserKeyMayNotChangeWhoACustomerIsOrWhatTheyAgreedTo() throws Exception {
        for (String forbidden : List.of(PROFILE,
                "{\"eventId\":\"s-evil\",\"type\":\"Subscribed\",\"customerId\":\"ana\",\"timestamp\":\"2026-03-02T10:00:00Z\"}",
                "{\"eventId\":\"m-evil\",\"type\":\"EmailSent\",\"customerId\":\"ana\",\"timestamp\":\"2026-03-02T10:00:00Z\"}")) {
            HttpResponse<String> r = post(Ingest.basic(WEB_KEY), "application/json", forbidden);
            assertEquals(403, r.statusCode(), r.body());
            assertTrue(r.body().contains("write key 'web' may not send"), r.body());
        }
        // the barrier: a visit the key may send, after the refused events
        assertEquals(202, post(Ingest.basic(WEB_KEY), "application/json", VISIT.formatted("barrier")).statusCode());
        List<ConsumerRecord<String, byte[]>> events = TestKafka.readUntil(service.config().kafka().bootstrapServers(),
                service.config().kafka().topics().events(), l -> l.stream().anyMatch(r -> new String(r.value(),
                        StandardCharsets.UTF_8).contains("barrier")), WAIT);
        for (ConsumerRecord<String, byte[]> r : events) {
            JsonNode e = JSON.readTree(r.value());
            assertFalse(e.path("eventId").asText().endsWith("-evil"), "refused, yet published: " + e);
        }
        ConsumerRecord<String, byte[]> barrier = events.get(events.size() - 1);
        assertEquals("storefront", new String(barrier.headers().lastHeader("nudge-event-source").value(),
                StandardCharsets.UTF_8), "events carry their key's source label");
        // a server-side key may send profiles
        assertEquals(202, post(Ingest.AUTH, "application/json", PROFILE.replace("p-evil", "p-ok")).statusCode());
    }

    @Test
    void onlyJsonIsTakenSoAForeignPageCannotPostWithoutAPreflight() throws Exception {
        for (String type : List.of("text/plain", "application/x-www-form-urlencoded")) {
            HttpResponse<String> r = post(Ingest.AUTH, type, PROFILE);
            assertEquals(415, r.statusCode(), type + ": " + r.body());
            assertTrue(r.body().contains("application/json"), r.body());
        }
        assertEquals(415, post(Ingest.AUTH, null, PROFILE).statusCode(), "no content type");
        assertEquals(202, post(Ingest.AUTH, "application/json; charset=utf-8", VISIT.formatted("c1")).statusCode());
    }

    @Test
    void anEmptyBodyOrAMultipartUploadIsRefusedWithAReasonAndNothingIsKeptOnDisk() throws Exception {
        HttpResponse<String> empty = post(Ingest.AUTH, "application/json", "");
        assertEquals(400, empty.statusCode(), empty.body());
        assertTrue(empty.body().contains("empty body"), empty.body());

        long before = uploads();
        String boundary = "nudge-test-boundary";
        String multipart = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"f\"; filename=\"big.bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n" + "x".repeat(100_000) + "\r\n--" + boundary + "--\r\n";
        HttpResponse<String> upload = post(Ingest.AUTH, "multipart/form-data; boundary=" + boundary, multipart);
        assertEquals(415, upload.statusCode(), upload.body());
        assertEquals(before, uploads(), "no upload was written to disk");
    }

    /** Files Vert.x would keep for uploads, in the folder it uses by default. */
    private static long uploads() throws Exception {
        Path dir = Path.of("file-uploads");
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.count();
        }
    }

    @Test
    void aKeyDeletedFromTheKeysFileIsRefusedWithoutARestart() throws Exception {
        String partner = "Basic " + java.util.Base64.getEncoder().encodeToString("partner-key-0123456789:"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        java.nio.file.Files.writeString(keysFile, "ingest.keys.partner=partner-key-0123456789\n");
        await().atMost(WAIT).until(() -> post(partner, "application/json", VISIT.formatted("k1")).statusCode() == 202);
        // a file that does not check out changes nothing: the partner's key still works
        java.nio.file.Files.writeString(keysFile, "ingest.keys.partner=short\n");
        await().pollDelay(Duration.ofSeconds(3)).atMost(WAIT).until(() -> true);
        assertEquals(202, post(partner, "application/json", VISIT.formatted("k2")).statusCode());
        java.nio.file.Files.writeString(keysFile, "# the partner's key is revoked\n");
        await().atMost(WAIT).until(() -> post(partner, "application/json", VISIT.formatted("k3")).statusCode() == 401);
        assertEquals(202, post("Basic " + java.util.Base64.getEncoder().encodeToString((WEB_KEY + ":")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)), "application/json", VISIT.formatted("k4"))
                .statusCode(), "the keys of the settings stay");
    }
}
