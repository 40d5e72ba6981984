package dev.nudge.send;

import dev.nudge.config.WebhookConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One webhook endpoint as a channel: each decision is POSTed as JSON, signed ({@link WebhookSignature}), with the
 * decision id as {@code Idempotency-Key}, through the JDK's HTTP client. 2xx is delivered; a network error, a timeout,
 * 408, 429 and 5xx are tried again (429, and 503 with {@code Retry-After}, pause the whole endpoint); any other status
 * is a refusal for good, recorded with the endpoint's answer.
 */
final class WebhookChannel implements Channel {

    /** How much of an endpoint's answer is kept with a refusal. */
    static final int ANSWER_BYTES = 300;

    private final Vertx vertx;
    private final WebhookConfig.Endpoint endpoint;
    private final WebhookBodies bodies;
    private final HttpClient client;

    WebhookChannel(Vertx vertx, WebhookConfig.Endpoint endpoint, WebhookBodies bodies, HttpClient client) {
        this.vertx = vertx;
        this.endpoint = endpoint;
        this.bodies = bodies;
        this.client = client;
        check(endpoint);
    }

    /** Refuses an endpoint whose headers the JDK client will not send (Host, Content-Length, Connection, ...). */
    static void check(WebhookConfig.Endpoint endpoint) {
        try {
            request(endpoint, new byte[0], "check", 0);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("webhook " + endpoint.name() + ": a header cannot be sent: "
                    + e.getMessage());
        }
    }

    /** An endpoint's answer other than 2xx: its status, the start of its body, and its {@code Retry-After}. */
    static final class Answer extends Exception {
        final int status;
        final String body;
        final String retryAfter;

        Answer(int status, String body, String retryAfter) {
            super("HTTP " + status + (body.isEmpty() ? "" : ": " + body), null, false, false);
            this.status = status;
            this.body = body;
            this.retryAfter = retryAfter;
        }
    }

    @Override
    public String describe() {
        return "webhook " + endpoint.name();
    }

    @Override
    public Future<String> deliver(Mail m) {
        byte[] body;
        try {
            body = bodies.render(m.decision);
        } catch (MailRenderException e) {
            return Future.failedFuture(e);
        }
        if (body == null) {
            return m.revocation ? Future.succeededFuture("not called: the body template gives nothing for it")
                    : Future.failedFuture(new MailRenderException("webhook body template of " + endpoint.name()
                    + " gave nothing for decision " + m.decision.decisionId(), null));
        }
        HttpRequest request = request(endpoint, body, m.id(), Instant.now().getEpochSecond());
        var answer = client.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream()).thenApply(r -> {
            String start = start(r.body());
            if (r.statusCode() / 100 == 2) {
                return "HTTP " + r.statusCode() + " from " + describe();
            }
            throw new CompletionException(new Answer(r.statusCode(), start,
                    r.headers().firstValue("Retry-After").orElse(null)));
            // the request's timeout covers the wait for the headers; this one a body that never ends (even after a 2xx:
            // the call is then made again, and its receiver knows the idempotency key)
        }).orTimeout(2 * endpoint.timeout().toMillis(), TimeUnit.MILLISECONDS);
        return Future.fromCompletionStage(answer, vertx.getOrCreateContext());
    }

    private static HttpRequest request(WebhookConfig.Endpoint endpoint, byte[] body, String idempotencyKey,
                                       long unixSeconds) {
        HttpRequest.Builder b = HttpRequest.newBuilder(endpoint.url()).timeout(endpoint.timeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", "Nudge")
                .header("Idempotency-Key", idempotencyKey);
        if (endpoint.secret() != null) {
            b.header(WebhookSignature.HEADER, WebhookSignature.header(endpoint.secret(), unixSeconds, body));
        }
        // the webhook's own headers replace ours of the same name (a Content-Type of its choice), never add to them
        endpoint.headers().forEach(b::setHeader);
        if (endpoint.url().getScheme().equalsIgnoreCase("http")) {
            // plain HTTP/1.1: the JDK client would otherwise offer an h2c upgrade, which some servers mishandle
            b.version(HttpClient.Version.HTTP_1_1);
        }
        return b.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    /** The first bytes of an answer, on one line; the rest is not read. */
    private static String start(InputStream in) {
        try (in) {
            String s = new String(in.readNBytes(ANSWER_BYTES), StandardCharsets.UTF_8);
            return s.replaceAll("\\s+", " ").strip();
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public Refusal judge(Throwable cause) {
        Throwable c = cause instanceof CompletionException && cause.getCause() != null ? cause.getCause() : cause;
        String where = " from " + describe();
        if (c instanceof MailRenderException) {
            return Refusal.of(Refusal.Kind.UNRENDERABLE, "template: " + c.getMessage());
        }
        if (c instanceof Answer a) {
            String reason = a.getMessage() + where;
            long wait = RetryAfter.millis(a.retryAfter, Instant.now());
            if (a.status == 429 || a.status == 503 && wait >= 0) {
                // about the caller, not this call: the whole endpoint waits
                return new Refusal(Refusal.Kind.THROTTLED, reason, wait);
            }
            boolean again = a.status == 408 || a.status >= 500;
            return Refusal.of(again ? Refusal.Kind.TRANSIENT : Refusal.Kind.PERMANENT, reason);
        }
        if (c instanceof HttpTimeoutException || c instanceof TimeoutException) {
            return Refusal.of(Refusal.Kind.TRANSIENT, "no answer" + where + " within " + endpoint.timeout());
        }
        return Refusal.of(Refusal.Kind.TRANSIENT, c.getClass().getSimpleName() + where + ": " + c.getMessage());
    }

    @Override
    public boolean idempotent() {
        return true;
    }

    @Override
    public Future<Void> close() {
        return Future.succeededFuture();
    }
}
