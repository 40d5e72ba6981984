package dev.nudge.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nudge.kafka.KafkaProps;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The three ways of the ingest benchmark into the events topic, each timed from its first send to Kafka's
 * acknowledgement of its last event, with the latency of every record, request or frame: a Kafka producer; Segment
 * batches through {@code POST /v1/batch} from several HTTP clients; frames through {@code GET /events/ws} from as many
 * WebSocket connections. The HTTP answers and the WebSocket acknowledgements come only after Kafka's, so the last
 * answer is the last acknowledgement. Every answer is checked: an event refused makes the run fail.
 */
final class IngestPaths {

    /** What one way measured: events, wall seconds, and latency quantiles of its unit (record, request, frame). */
    record Figures(long events, double seconds, double p50Millis, double p99Millis, long units) {
        double eventsPerSecond() {
            return events / seconds;
        }
    }

    private final List<IngestWorkload.Event> events;
    private final ObjectMapper json;

    IngestPaths(List<IngestWorkload.Event> events, ObjectMapper json) {
        this.events = events;
        this.json = json;
    }

    /**
     * {@code window}: records the producer may have unacknowledged at once, as many as the WebSocket connections
     * together may have events unanswered, so neither way's latency is the length of a queue it was let to grow.
     */
    Figures kafka(String bootstrap, String topic, int window) throws Exception {
        Semaphore unacknowledged = new Semaphore(window);
        Latencies lat = new Latencies();
        AtomicInteger failed = new AtomicInteger();
        long start = System.nanoTime();
        try (var producer = new KafkaProducer<String, byte[]>(new HashMap<>(KafkaProps.producer(bootstrap,
                Map.of())))) {
            for (IngestWorkload.Event e : events) {
                unacknowledged.acquire();
                long sent = System.nanoTime();
                producer.send(new ProducerRecord<>(topic, e.customerId(), e.nativeJson()), (md, ex) -> {
                    unacknowledged.release();
                    lat.add(System.nanoTime() - sent);
                    if (ex != null) {
                        failed.incrementAndGet();
                    }
                });
            }
            producer.flush();
            check(failed.get(), "records");
            return lat.figures(start, events.size());
        }
    }

    Figures segmentBatches(int port, String key, int batch, int clients) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String auth = "Basic " + Base64.getEncoder().encodeToString((key + ":").getBytes(StandardCharsets.UTF_8));
        URI uri = URI.create("http://127.0.0.1:" + port + "/v1/batch");
        List<byte[]> bodies = new ArrayList<>();
        for (int from = 0; from < events.size(); from += batch) {
            ObjectNode body = json.createObjectNode();
            events.subList(from, Math.min(events.size(), from + batch))
                    .forEach(e -> body.withArray("batch").add(e.segmentCall()));
            body.put("sentAt", Instant.now().toString());
            bodies.add(json.writeValueAsBytes(body));
        }
        Latencies lat = new Latencies();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long start = System.nanoTime();
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            done.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < bodies.size(); i = next.getAndIncrement()) {
                    long sent = System.nanoTime();
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).header("Authorization", auth)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(bodies.get(i))).build(),
                            HttpResponse.BodyHandlers.ofString());
                    lat.add(System.nanoTime() - sent);
                    if (r.statusCode() != 200 || r.body().contains("rejected")) {
                        failed.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        check(failed.get(), "requests");
        return lat.figures(start, events.size());
    }

    /** {@code window}: frames each connection sends ahead of their answers, as a client that reads them would. */
    Figures webSocket(int port, String key, int batch, int connections, int window) throws Exception {
        List<String> frames = new ArrayList<>();
        for (int from = 0; from < events.size(); from += batch) {
            StringBuilder frame = new StringBuilder("[");
            for (IngestWorkload.Event e : events.subList(from, Math.min(events.size(), from + batch))) {
                frame.append(frame.length() > 1 ? "," : "").append(IngestWorkload.nativeText(e));
            }
            frames.add(frame.append(']').toString());
        }
        Latencies lat = new Latencies();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        HttpClient http = HttpClient.newHttpClient();
        List<Connection> open = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            Connection conn = new Connection(lat, failed, window);
            conn.ws = http.newWebSocketBuilder().header("Authorization", "Bearer " + key)
                    .buildAsync(URI.create("ws://127.0.0.1:" + port + "/events/ws"), conn).join();
            open.add(conn);
        }
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        long start = System.nanoTime();
        List<Future<?>> sent = new ArrayList<>();
        for (Connection conn : open) {
            // as fast as the connection takes frames: the server's backpressure sets the pace
            sent.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < frames.size(); i = next.getAndIncrement()) {
                    conn.unanswered.acquire();
                    conn.sentAt.add(System.nanoTime());
                    conn.frames++;
                    conn.ws.sendText(frames.get(i), true).join();
                }
                conn.allSent.complete(conn.frames);
                conn.answeredAll();
                return null;
            }));
        }
        for (Future<?> f : sent) {
            f.get();
        }
        for (Connection conn : open) {
            conn.allAnswered.get(10, TimeUnit.MINUTES);
        }
        pool.shutdown();
        Figures f = lat.figures(start, events.size());
        check(failed.get(), "frames");
        for (Connection conn : open) {
            conn.ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
        }
        return f;
    }

    private static void check(int failed, String what) {
        if (failed > 0) {
            throw new IllegalStateException(failed + " " + what + " were not taken whole");
        }
    }

    /** One WebSocket connection: when each of its frames left, and the answers that came back. */
    private final class Connection implements WebSocket.Listener {
        final ConcurrentLinkedQueue<Long> sentAt = new ConcurrentLinkedQueue<>();
        final CompletableFuture<Integer> allSent = new CompletableFuture<>();
        final CompletableFuture<Void> allAnswered = new CompletableFuture<>();
        final Latencies lat;
        final AtomicInteger failed;
        final StringBuilder partial = new StringBuilder();
        final AtomicInteger answered = new AtomicInteger();
        final Semaphore unanswered;
        int frames;
        WebSocket ws;

        void answeredAll() {
            if (allSent.isDone() && answered.get() == allSent.join()) {
                allAnswered.complete(null);
            }
        }

        Connection(Latencies lat, AtomicInteger failed, int window) {
            this.unanswered = new Semaphore(window);
            this.lat = lat;
            this.failed = failed;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                // answers come in the order of the frames: the oldest send is this answer's
                lat.add(System.nanoTime() - sentAt.poll());
                answered.incrementAndGet();
                try {
                    JsonNode a = json.readTree(partial.toString());
                    if (a.path("status").asInt() != 202) {
                        failed.incrementAndGet();
                    }
                } catch (java.io.IOException e) {
                    failed.incrementAndGet();
                }
                partial.setLength(0);
                unanswered.release();
                answeredAll();
            }
            webSocket.request(1);
            return null;
        }
    }
}
