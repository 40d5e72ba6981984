package dev.nudge.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A webhook endpoint that answers 200 to every call and keeps nothing but its {@code Idempotency-Key}: the webhook
 * counterpart of {@link SmtpSink}, so the benchmark shows what the webhook channel itself costs. The JDK's HTTP
 * server on loopback, its threads named so the CPU split finds them.
 */
final class WebhookSink implements AutoCloseable {

    static final String THREAD_PREFIX = "webhook-sink-";

    private final HttpServer server;
    private final ExecutorService threads;
    private final Map<String, Integer> byDecision = new ConcurrentHashMap<>();
    private final AtomicInteger received = new AtomicInteger();
    private final AtomicInteger withoutId = new AtomicInteger();

    private WebhookSink(HttpServer server, ExecutorService threads) {
        this.server = server;
        this.threads = threads;
    }

    static WebhookSink start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
        AtomicInteger n = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, THREAD_PREFIX + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        WebhookSink sink = new WebhookSink(server, threads);
        server.createContext("/", sink::handle);
        server.setExecutor(threads);
        server.start();
        return sink;
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/nudge";
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream body = exchange.getRequestBody()) {
            body.readAllBytes();
            String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
            received.incrementAndGet();
            if (key == null) {
                withoutId.incrementAndGet();
            } else {
                byDecision.merge(key, 1, Integer::sum);
            }
            exchange.sendResponseHeaders(200, -1);
        }
    }

    SendResult.Mails mails() {
        return new SendResult.Mails(received.get(), byDecision.size(), withoutId.get());
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
