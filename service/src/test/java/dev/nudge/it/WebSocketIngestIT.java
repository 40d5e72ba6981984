package dev.nudge.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.app.NudgeService;
import dev.nudge.event.Json;
import dev.nudge.kafka.Headers;
import dev.nudge.testing.BrokerExtension;
import dev.nudge.testing.Ingest;
import dev.nudge.testing.Scrape;
import dev.nudge.testing.TestKafka;
import dev.nudge.testing.TestServices;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /events/ws} with Java's own WebSocket client against the real server and broker: a producer that sends
 * as fast as it can through a connection allowed only 100 events waiting for Kafka gets every event onto the events
 * topic exactly once, every frame answered with its per-event results, the server pausing it on the way; a bad event
 * or a type the key may not send is refused in the answer and the rest of the frame goes on.
 */
@ExtendWith(BrokerExtension.class)
class WebSocketIngestIT {

    private static final ObjectMapper JSON = Json.mapper();
    private static final String WEB_KEY = "web-write-key-0123456789";
    private static final String SLOW_KEY = "slow-write-key-0123456789";
    private static final String PARTNER_KEY = "partner-key-0123456789";
    private static NudgeService service;
    private static java.nio.file.Path keysFile;

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> s = TestServices.wallClockSettings(BrokerExtension.bootstrap, 1);
        keysFile = java.nio.file.Files.createTempFile("nudge-keys", ".properties");
        java.nio.file.Files.writeString(keysFile, "ingest.keys.partner=" + PARTNER_KEY + "\n");
        s.put("ingest.keys-file", keysFile.toString());
        s.put("ingest.ws.max-in-flight", "100");
        s.put("ingest.keys.web", WEB_KEY);
        s.put("ingest.keys.slow", SLOW_KEY);
        s.put("ingest.keys.slow.rate", "1");
        service = NudgeService.start(TestServices.config(s));
    }

    @AfterAll
    static void stop() throws Exception {
        service.close();
        java.nio.file.Files.deleteIfExists(keysFile);
    }

    @Test
    void aProducerFasterThanKafkaIsSlowedAndEveryEventArrivesOnce() throws Exception {
        int frames = 400;
        int perFrame = 50;
        String run = "bp-" + System.nanoTime();
        Client client = Client.open(Ingest.AUTH);
        List<Set<String>> sentIds = new ArrayList<>();
        // as fast as the connection takes them: each send returns when the frame is handed to TCP
        for (int f = 0; f < frames; f++) {
            List<String> events = new ArrayList<>();
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < perFrame; i++) {
                String id = run + "-" + f + "-" + i;
                ids.add(id);
                events.add(pageVisit(id, "c-" + (i % 7)));
            }
            sentIds.add(ids);
            client.ws.sendText("[" + String.join(",", events) + "]", true).join();
        }
        String barrier = run + "-barrier";
        client.ws.sendText(pageVisit(barrier, "c-0"), true).join();

        for (int f = 1; f <= frames; f++) {
            JsonNode ack = client.answer();
            // answered in the order the frames were sent, each with one result per event
            assertEquals(f, ack.get("frame").asInt(), ack.toString());
            assertEquals(202, ack.get("status").asInt(), ack.toString());
            assertEquals(perFrame, ack.get("results").size());
            Set<String> acked = new HashSet<>();
            for (int i = 0; i < perFrame; i++) {
                JsonNode r = ack.get("results").get(i);
                assertEquals(i, r.get("index").asInt());
                assertEquals("accepted", r.get("status").asText(), r.toString());
                acked.add(r.get("eventId").asText());
            }
            assertEquals(sentIds.get(f - 1), acked);
        }
        assertEquals(frames + 1, client.answer().get("frame").asInt());

        // one partition: the barrier, acknowledged last, is read last
        List<ConsumerRecord<String, byte[]>> records = TestKafka.readUntil(bootstrap(), topics().events(),
                l -> l.stream().anyMatch(r -> text(r).contains(barrier)), Duration.ofSeconds(60));
        List<String> ids = records.stream().map(WebSocketIngestIT::eventId)
                .filter(id -> id.startsWith(run + "-") && !id.equals(barrier)).toList();
        assertEquals(frames * perFrame, ids.size(), "every event once, none twice");
        Set<String> all = new HashSet<>();
        sentIds.forEach(all::addAll);
        assertEquals(all, new HashSet<>(ids));
        assertEquals("test", new String(records.get(records.size() - 1).headers().lastHeader(Headers.EVENT_SOURCE)
                .value(), StandardCharsets.UTF_8), "labelled with the key's source");
        assertTrue(Scrape.metric(service.httpPort(), "nudge_ingest_ws_paused_total", "") > 0,
                "50 events a frame against 100 in flight: the server stopped reading at least once");
        client.ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
    }

    @Test
    void aClientThatDoesNotReadItsAnswersIsStoppedAndLosesNothing() throws Exception {
        String run = "slow-" + System.nanoTime();
        Client client = Client.open(Ingest.AUTH, false);
        int sent = 0;
        boolean stalled = false;
        // answers unread: they fill the sockets, the server stops writing them, then stops reading this client
        while (!stalled && sent < 20_000) {
            List<String> events = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                events.add(pageVisit(run + "-" + sent + "-" + i, "c-" + (i % 7)));
            }
            CompletableFuture<WebSocket> send = client.ws.sendText("[" + String.join(",", events) + "]", true);
            sent++;
            try {
                send.get(2, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                stalled = true;
                client.ws.request(Long.MAX_VALUE);
                send.get(30, TimeUnit.SECONDS);
            }
        }
        assertTrue(stalled, "the client's sends stalled (after " + sent + " frames)");
        for (int f = 1; f <= sent; f++) {
            JsonNode ack = client.answer();
            assertEquals(f, ack.get("frame").asInt());
            assertEquals(202, ack.get("status").asInt());
        }
        String barrier = run + "-barrier";
        client.ws.sendText(pageVisit(barrier, "c-0"), true).join();
        List<String> ids = TestKafka.readUntil(bootstrap(), topics().events(),
                        l -> l.stream().anyMatch(r -> text(r).contains(barrier)), Duration.ofSeconds(60)).stream()
                .map(WebSocketIngestIT::eventId).filter(id -> id.startsWith(run + "-") && !id.equals(barrier))
                .toList();
        assertEquals(sent * 50, ids.size());
        assertEquals(sent * 50, new HashSet<>(ids).size());
    }

    @Test
    void anUnknownKeyOrNoKeyIsRefusedBeforeTheUpgrade() {
        for (String auth : new String[]{Ingest.basic("no-such-key-0123456789"), null}) {
            CompletionException e = assertThrows(CompletionException.class, () -> Client.open(auth));
            WebSocketHandshakeException h = assertInstanceOf(WebSocketHandshakeException.class, e.getCause());
            assertEquals(401, h.getResponse().statusCode());
        }
    }

    @Test
    void aBadEventIsRefusedAndDeadLetteredAndTheRestOfItsFrameGoesOn() throws Exception {
        Client client = Client.open("Bearer " + Ingest.KEY);
        client.ws.sendText("[" + pageVisit("bad-1", "dora") + ",{\"eventId\":\"bad-2\",\"type\":\"PageVisited\","
                + "\"timestamp\":\"" + Instant.now() + "\",\"url\":\"/\"}," + pageVisit("bad-3", "dora") + "]", true)
                .join();
        JsonNode ack = client.answer();
        assertEquals(400, ack.get("status").asInt(), ack.toString());
        assertEquals("accepted", ack.at("/results/0/status").asText());
        assertEquals("rejected", ack.at("/results/1/status").asText());
        assertTrue(ack.at("/results/1/error").asText().contains("customerId"), ack.toString());
        assertEquals("accepted", ack.at("/results/2/status").asText());

        List<ConsumerRecord<String, byte[]>> dead = TestKafka.readUntil(bootstrap(), topics().deadLetters(),
                l -> l.stream().anyMatch(r -> text(r).contains("bad-2")), Duration.ofSeconds(30));
        ConsumerRecord<String, byte[]> d = dead.stream().filter(r -> text(r).contains("bad-2")).findFirst()
                .orElseThrow();
        assertEquals("WS /events/ws frame 1 [1]", header(d, Headers.SOURCE));
        assertEquals(ack.at("/results/1/error").asText(), header(d, Headers.ERROR));
        List<ConsumerRecord<String, byte[]>> events = TestKafka.readUntil(bootstrap(), topics().events(),
                l -> l.stream().filter(r -> "dora".equals(r.key())).count() >= 2, Duration.ofSeconds(30));
        assertEquals(2, events.stream().filter(r -> "dora".equals(r.key())).count());

        // not JSON, then binary: each answered in its turn, the connection still open
        client.ws.sendText("{\"eventId\":", true).join();
        JsonNode notJson = client.answer();
        assertEquals(2, notJson.get("frame").asInt());
        assertTrue(notJson.at("/results/0/error").asText().contains("malformed JSON"), notJson.toString());
        client.ws.sendBinary(ByteBuffer.wrap(new byte[]{1, 2, 3}), true).join();
        JsonNode binary = client.answer();
        assertEquals(415, binary.get("status").asInt());
        assertTrue(binary.get("error").asText().contains("text frame"), binary.toString());
    }

    @Test
    void aTypeTheKeyMayNotSendIsRefusedInTheAnswerAndPublishedNowhere() throws Exception {
        Client client = Client.open(Ingest.basic(WEB_KEY));
        client.ws.sendText("[" + pageVisit("web-1", "emil") + ",{\"eventId\":\"web-2\",\"type\":\"CustomerProfile\","
                + "\"customerId\":\"emil\",\"timestamp\":\"" + Instant.now() + "\",\"email\":\"x@example.com\"}]",
                true).join();
        JsonNode ack = client.answer();
        assertEquals(403, ack.get("status").asInt(), ack.toString());
        assertEquals("accepted", ack.at("/results/0/status").asText());
        assertEquals("rejected", ack.at("/results/1/status").asText());
        assertTrue(ack.at("/results/1/error").asText().contains("may not send CustomerProfile"), ack.toString());
        // a later event of the same customer as a barrier: the refused profile is not before it
        client.ws.sendText(pageVisit("web-3", "emil"), true).join();
        assertEquals(202, client.answer().get("status").asInt());
        List<String> emil = TestKafka.readUntil(bootstrap(), topics().events(),
                        l -> l.stream().anyMatch(r -> text(r).contains("web-3")), Duration.ofSeconds(30)).stream()
                .filter(r -> "emil".equals(r.key())).map(WebSocketIngestIT::eventId)
                .toList();
        assertEquals(List.of("web-1", "web-3"), emil);
    }

    @Test
    void aKeyRevokedInTheKeysFileClosesItsOpenConnectionAtItsNextFrame() throws Exception {
        Client client = Client.open(Ingest.basic(PARTNER_KEY));
        client.ws.sendText(pageVisit("partner-1", "gus"), true).join();
        assertEquals(202, client.answer().get("status").asInt());
        java.nio.file.Files.writeString(keysFile, "# the partner's key is revoked\n");
        // the file is read again within a second or two: until then each frame is still answered
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            if (!client.closed.isDone()) {
                client.ws.sendText(pageVisit("partner-" + System.nanoTime(), "gus"), true);
                client.answers.poll(200, TimeUnit.MILLISECONDS);
            }
            return client.closed.isDone();
        });
        assertEquals(1008, client.closed.get());
    }

    @Test
    void aKeyOverItsPaceIsToldToWaitFrameByFrameAndTheConnectionStaysOpen() throws Exception {
        // rate 1: a bucket of 10 events
        Client client = Client.open(Ingest.basic(SLOW_KEY));
        List<String> eleven = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            eleven.add(pageVisit("slow-" + i, "hal"));
        }
        client.ws.sendText("[" + String.join(",", eleven) + "]", true).join();
        JsonNode tooMany = client.answer();
        assertEquals(413, tooMany.get("status").asInt(), tooMany.toString());
        client.ws.sendText("[" + String.join(",", eleven.subList(0, 10)) + "]", true).join();
        assertEquals(202, client.answer().get("status").asInt());
        client.ws.sendText(eleven.get(10), true).join();
        JsonNode wait = client.answer();
        assertEquals(429, wait.get("status").asInt(), wait.toString());
        assertEquals(3, wait.get("frame").asInt());
        assertTrue(wait.get("retryAfter").asLong() >= 1, wait.toString());
        assertTrue(!client.ws.isOutputClosed() && !client.closed.isDone(), "still open");
    }

    @Test
    void aFrameOverTheLimitClosesTheConnectionWith1009() throws Exception {
        Client client = Client.open(Ingest.AUTH);
        String big = "[" + pageVisit("big", "fay").replace("\"url\":\"/\"", "\"url\":\"/" + "x".repeat(600 * 1024)
                + "\"") + "]";
        client.ws.sendText(big, true);
        assertEquals(1009, client.closed.get(30, TimeUnit.SECONDS));
        // the same message in two fragments of 300 KB, each under the limit
        Client fragments = Client.open(Ingest.AUTH);
        int half = big.length() / 2;
        fragments.ws.sendText(big.substring(0, half), false).join();
        fragments.ws.sendText(big.substring(half), true);
        assertEquals(1009, fragments.closed.get(30, TimeUnit.SECONDS));
        // a frame of 3,000 events, near the limit, is read and answered
        Client under = Client.open(Ingest.AUTH);
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            many.add(pageVisit("many-" + i, "ivy"));
        }
        String frame = "[" + String.join(",", many) + "]";
        assertTrue(frame.length() > 300 * 1024 && frame.length() < 500 * 1024, frame.length() + " bytes");
        under.ws.sendText(frame, true).join();
        JsonNode answer = under.answer();
        assertEquals(202, answer.get("status").asInt());
        assertEquals(3000, answer.get("results").size());
    }

    private static String pageVisit(String id, String customer) {
        return "{\"eventId\":\"" + id + "\",\"type\":\"PageVisited\",\"customerId\":\"" + customer
                + "\",\"timestamp\":\"" + Instant.now() + "\",\"url\":\"/\"}";
    }

    private static String eventId(ConsumerRecord<String, byte[]> r) {
        try {
            return JSON.readTree(r.value()).get("eventId").asText();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String text(ConsumerRecord<String, byte[]> r) {
        return new String(r.value(), StandardCharsets.UTF_8);
    }

    private static String header(ConsumerRecord<String, byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static String bootstrap() {
        return service.config().kafka().bootstrapServers();
    }

    private static dev.nudge.config.Topics topics() {
        return service.config().kafka().topics();
    }

    /** A client of the endpoint, with the answers it has read, one whole text message each. */
    private static final class Client implements WebSocket.Listener {
        final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        final StringBuilder partial = new StringBuilder();
        WebSocket ws;

        boolean reading = true;

        static Client open(String authorization) {
            return open(authorization, true);
        }

        /** {@code reading} false: no answer is read until {@code ws.request(n)} asks for some. */
        static Client open(String authorization, boolean reading) {
            Client c = new Client();
            c.reading = reading;
            WebSocket.Builder b = HttpClient.newHttpClient().newWebSocketBuilder();
            if (authorization != null) {
                b.header("Authorization", authorization);
            }
            c.ws = b.buildAsync(URI.create("ws://127.0.0.1:" + service.httpPort() + "/events/ws"), c).join();
            return c;
        }

        JsonNode answer() throws Exception {
            String a = answers.poll(30, TimeUnit.SECONDS);
            assertNotNull(a, "an answer within 30 s");
            return JSON.readTree(a);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                answers.add(partial.toString());
                partial.setLength(0);
            }
            if (reading) {
                webSocket.request(1);
            }
            return null;
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            if (reading) {
                webSocket.request(1);
            }
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.completeExceptionally(error);
        }
    }
}
