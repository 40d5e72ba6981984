package dev.nudge.testing;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A webhook receiver for tests: a real Vert.x HTTP server on loopback that answers its calls from a script (a status
 * with headers and body, a dropped connection, no answer at all), then 200, or by a rule of the test's; it keeps every
 * call it got: when, headers, body, and what it answered.
 */
public final class WebhookEndpoint implements AutoCloseable {

    /** One call as received. */
    public record Call(long atMillis, String path, Map<String, String> headers, byte[] body, int answered) {
        public String header(String name) {
            return headers.get(name);
        }
    }

    /**
     * One answer: a status with headers and body; {@link #RESET}, the connection closed unanswered; {@link #SILENCE},
     * no answer ever (the caller's timeout); {@link #STALL}, a 200 whose body starts and never ends.
     */
    public record Answer(int status, Map<String, String> headers, String body) {
        public static Answer of(int status) {
            return new Answer(status, Map.of(), "");
        }

        public static Answer of(int status, String body) {
            return new Answer(status, Map.of(), body);
        }

        public static final Answer RESET = new Answer(0, Map.of(), "");
        public static final Answer SILENCE = new Answer(-1, Map.of(), "");
        public static final Answer STALL = new Answer(-2, Map.of(), "");
        public static final Answer OK = new Answer(200, Map.of(), "{\"ok\":true}");
    }

    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;
    private final Function<String, Answer> rule;
    private final List<Call> calls = new CopyOnWriteArrayList<>();

    /** Answers the calls in order from {@code script}, then 200. */
    public WebhookEndpoint(Answer... script) throws Exception {
        this(scripted(script));
    }

    /** Answers each call as {@code rule} says for its {@code Idempotency-Key}. */
    public WebhookEndpoint(Function<String, Answer> rule) throws Exception {
        this.rule = rule;
        server = vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1")
                .await(10, TimeUnit.SECONDS);
    }

    public int port() {
        return server.actualPort();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    /** The calls whose {@code Idempotency-Key} is {@code key}. */
    public List<Call> callsFor(String key) {
        return calls.stream().filter(c -> key.equals(c.header("Idempotency-Key"))).toList();
    }

    private void handle(HttpServerRequest request) {
        long at = System.currentTimeMillis();
        request.body().onSuccess(body -> {
            Answer a = rule.apply(request.getHeader("Idempotency-Key"));
            calls.add(new Call(at, request.path(), headers(request.headers()), body.getBytes(), a.status()));
            if (a.status() == 0) {
                // no answer at all: the caller sees the connection reset
                request.connection().close();
                return;
            }
            if (a.status() == -2) {
                request.response().setChunked(true).setStatusCode(200).write("{\"ok\":");
                return;
            }
            if (a.status() < 0) {
                return;
            }
            var response = request.response().setStatusCode(a.status());
            a.headers().forEach(response::putHeader);
            response.end(a.body());
        });
    }

    private static Function<String, Answer> scripted(Answer... answers) {
        Deque<Answer> script = new ArrayDeque<>(List.of(answers));
        return key -> {
            synchronized (script) {
                return script.isEmpty() ? Answer.OK : script.poll();
            }
        };
    }

    private static Map<String, String> headers(MultiMap h) {
        Map<String, String> out = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        h.forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    @Override
    public void close() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }
}
