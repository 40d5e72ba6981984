package dev.nudge.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.app.NudgeService;
import dev.nudge.decision.Decision;
import dev.nudge.decision.DecisionKind;
import dev.nudge.event.Json;
import dev.nudge.testing.BrokerExtension;
import dev.nudge.testing.TestServices;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /live/stream} over a real WebSocket: admins only, the page's origin only, and a browser that stops
 * reading while 30,000 decisions go by costs the server no memory: its messages are dropped and counted, it is told
 * the gap once it reads again, and the funnel it then gets counts every decision.
 */
@ExtendWith(BrokerExtension.class)
class LiveStreamIT {

    private static final String TOKEN = "stream-admin-token-0123456789";
    private static final int DECISIONS = 30_000;
    private static final ObjectMapper JSON = Json.mapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static NudgeService service;

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> s = TestServices.settings(BrokerExtension.bootstrap, 1);
        s.put("admin.token", TOKEN);
        // the stream alone: no send stage mailing the flood
        s.put("send.enabled", "false");
        service = NudgeService.start(TestServices.config(s));
    }

    @AfterAll
    static void stop() throws Exception {
        service.close();
    }

    @Test
    void theStreamIsForAdminsOfThisOriginOnly() throws Exception {
        assertEquals(401, get(HttpRequest.newBuilder(uri("http", "/live/stream"))).statusCode());
        assertEquals(426, get(HttpRequest.newBuilder(uri("http", "/live/stream"))
                .header("Authorization", "Bearer " + TOKEN)).statusCode());
        var refused = HTTP.newWebSocketBuilder().header("Authorization", "Bearer " + TOKEN)
                .header("Origin", "https://evil.example").buildAsync(uri("ws", "/live/stream"), new Reader(true));
        var e = org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.ExecutionException.class,
                () -> refused.get(10, TimeUnit.SECONDS));
        assertEquals(403, ((java.net.http.WebSocketHandshakeException) e.getCause()).getResponse().statusCode(),
                "an upgrade from another site's page");
        HttpResponse<String> page = get(HttpRequest.newBuilder(uri("http", "/live")));
        assertEquals(302, page.statusCode(), "no session: to the login form");
        assertEquals("/login?next=%2Flive", page.headers().firstValue("location").orElse(""));
    }

    @Test
    void theLoginFormCannotBeUsedToGuessTheToken() throws Exception {
        HttpRequest.Builder wrong = HttpRequest.newBuilder(uri("http", "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=guess&next=%2Flive"));
        for (int i = 0; i < 10; i++) {
            assertEquals(401, get(wrong).statusCode(), "wrong token " + (i + 1));
        }
        HttpResponse<String> paced = get(wrong);
        assertEquals(429, paced.statusCode());
        assertEquals("30", paced.headers().firstValue("Retry-After").orElse(""));
        assertTrue(paced.body().contains("try again in 30 seconds"), paced.body());
        HttpResponse<String> right = get(HttpRequest.newBuilder(uri("http", "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + TOKEN)));
        assertEquals(429, right.statusCode(), "while paced, the right token is not told apart from a wrong one");
    }

    @Test
    void aBrowserThatStopsReadingLosesMessagesNotTheServersMemoryAndIsToldTheGap() throws Exception {
        Reader fast = new Reader(true);
        Reader stalled = new Reader(false);
        WebSocket watching = connect(fast);
        WebSocket stalledSocket = connect(stalled);

        publishDecisions();

        // a reader that keeps up sees the funnel reach every decision
        await().atMost(Duration.ofSeconds(60)).until(() -> fast.triggered() == DECISIONS);
        // the stalled one starts reading again: it got some, was told how many it missed, and then the whole count
        stalled.more(stalledSocket);
        await().atMost(Duration.ofSeconds(60)).until(() -> stalled.triggered() == DECISIONS);
        long decisions = stalled.count("decision");
        long dropped = stalled.messages.stream().filter(m -> m.path("type").asText().equals("gap"))
                .mapToLong(m -> m.path("dropped").asLong()).sum();
        assertTrue(dropped > 0, "messages were dropped for the connection that did not read");
        assertTrue(decisions < DECISIONS, decisions + " decisions reached it: not all were kept for it");
        assertTrue(decisions + dropped >= DECISIONS, "every decision either reached it or is counted in a gap: "
                + decisions + " + " + dropped);
        watching.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        stalledSocket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
    }

    private static void publishDecisions() throws Exception {
        // long ids make long messages: more than the connection and both ends' TCP buffers hold
        String filler = "-" + "x".repeat(400);
        Instant at = Instant.parse("2026-03-03T10:35:00Z");
        try (var producer = new KafkaProducer<String, byte[]>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BrokerExtension.bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.LINGER_MS_CONFIG, 5))) {
            String topic = service.config().kafka().topics().decisions();
            for (int i = 0; i < DECISIONS; i++) {
                Decision d = new Decision("flood-" + i, DecisionKind.MAIL, null, "cust-" + i + filler, "flood", "Flood",
                        "v1", at, null, null, List.of("e-" + i), Map.of(), null);
                producer.send(new ProducerRecord<>(topic, d.customerId(), JSON.writeValueAsBytes(d)));
            }
            producer.flush();
        }
    }

    private static WebSocket connect(Reader reader) throws Exception {
        return HTTP.newWebSocketBuilder().header("Authorization", "Bearer " + TOKEN)
                .buildAsync(uri("ws", "/live/stream"), reader).get(10, TimeUnit.SECONDS);
    }

    private static HttpResponse<String> get(HttpRequest.Builder r) throws Exception {
        return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(String scheme, String path) {
        return URI.create(scheme + "://127.0.0.1:" + service.httpPort() + path);
    }

    /** Keeps every message; one that does not read asks for none until {@link #more}. */
    private static final class Reader implements WebSocket.Listener {
        final Queue<JsonNode> messages = new ConcurrentLinkedQueue<>();
        private final boolean reads;
        private final StringBuilder partial = new StringBuilder();
        private volatile long triggered;

        Reader(boolean reads) {
            this.reads = reads;
        }

        @Override
        public void onOpen(WebSocket ws) {
            if (reads) {
                ws.request(Long.MAX_VALUE);
            }
        }

        void more(WebSocket ws) {
            ws.request(Long.MAX_VALUE);
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    JsonNode m = JSON.readTree(partial.toString());
                    messages.add(m);
                    if (m.path("type").asText().equals("funnel")) {
                        for (JsonNode c : m.path("campaigns")) {
                            if (c.path("campaign").asText().equals("flood")) {
                                triggered = c.path("triggered").asLong();
                            }
                        }
                    }
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
                partial.setLength(0);
            }
            return CompletableFuture.completedFuture(null);
        }

        long triggered() {
            return triggered;
        }

        long count(String type) {
            return messages.stream().filter(m -> m.path("type").asText().equals(type)).count();
        }
    }
}
