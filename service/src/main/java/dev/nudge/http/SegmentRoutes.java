package dev.nudge.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nudge.config.IngestConfig;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Segment's HTTP tracking API, which analytics-node, RudderStack's libraries and the other Segment-compatible SDKs
 * speak: {@code POST /v1/track}, {@code /v1/page}, {@code /v1/identify}, {@code /v1/alias} and {@code /v1/batch} (and the one-letter
 * paths of analytics.js), with a write key as the HTTP Basic user name (or, from a web page its key names, as the
 * body's {@code writeKey}, where analytics.js puts it), at most 32 KB a call and 500 KB a batch, and
 * Segment's answer, {@code 200 {"success": true}}. The SDKs do not read the answer past its status, so a call Nudge
 * cannot use goes to the dead-letter topic with its reason (and is listed in the answer); a call of a type the key may
 * not send is refused (403) and published nowhere.
 */
final class SegmentRoutes {

    /** Segment's limits: a call, and a batch. */
    static final int MAX_CALL_BYTES = 32 * 1024;
    static final int MAX_BATCH_BYTES = 500 * 1024;

    private final WriteKeys keys;
    private final EventIntake intake;
    private final EventPublisher publisher;
    private final Clock clock;

    SegmentRoutes(WriteKeys keys, EventIntake intake, EventPublisher publisher, Clock clock) {
        this.keys = keys;
        this.intake = intake;
        this.publisher = publisher;
        this.clock = clock;
    }

    void mount(Router router) {
        route(router, "track", "track", "t");
        route(router, "page", "page", "p");
        route(router, "identify", "identify", "i");
        route(router, "alias", "alias", "a");
        route(router, null, "batch", "b");
    }

    private void route(Router router, String type, String... names) {
        int limit = type == null ? MAX_BATCH_BYTES : MAX_CALL_BYTES;
        for (String name : names) {
            String path = "/v1/" + name;
            // a key in the header is checked before any of the body is read. Any content type is read as JSON:
            // RudderStack's libraries say x-www-form-urlencoded, analytics.js text/plain. A page of another origin
            // gets no further with either: a header key makes its browser ask first (preflight), and a key in the
            // body is taken only from the pages its ingest.keys.<name>.origins name
            router.options(path).handler(keys::preflight);
            router.post(path).handler(keys::authenticateOrDefer);
            router.post(path).handler(BodyHandler.create().setBodyLimit(limit).setHandleFileUploads(false)
                            .setMergeFormAttributes(false))
                    .handler(rc -> post(rc, type, path))
                    .failureHandler(rc -> refuse(rc, limit));
        }
    }

    private static final String MERGE = "CustomerMerged";

    /**
     * A call naming both a {@code userId} and an {@code anonymousId} merges the two ids: only from a key that may send
     * {@code CustomerMerged}. From any other key the call counts under its user id alone, so a page cannot move one
     * visitor's carts and history to another id by naming both.
     */
    private static void unlinked(ObjectNode call) {
        if (call.hasNonNull("userId") && !"alias".equals(call.path("type").asText())) {
            call.remove("anonymousId");
        }
    }

    private static void refuse(RoutingContext rc, int limit) {
        if (rc.statusCode() == 413) {
            HttpJson.send(rc, 413, new JsonObject().put("error", "too large: at most " + limit / 1024 + " KB for "
                    + rc.request().path() + " (as Segment's API: 32 KB a call, 500 KB a batch)"));
        } else {
            rc.next();
        }
    }

    private void post(RoutingContext rc, String type, String path) {
        IngestConfig.WriteKey key = WriteKeys.of(rc);
        Buffer body = rc.body() == null ? null : rc.body().buffer();
        if (body == null || body.length() == 0) {
            HttpJson.send(rc, 400, new JsonObject().put("error", "empty body"));
            return;
        }
        JsonNode root;
        List<ObjectNode> calls;
        try {
            root = intake.tree(body.getBytes());
            calls = SegmentCalls.of(root, type, clock.instant());
        } catch (EventIntake.Unreadable | SegmentCalls.BadBody e) {
            HttpJson.send(rc, 400, new JsonObject().put("error", e.getMessage()));
            return;
        }
        if (key == null) {
            // a web page's request, its key in the body (analytics.js sends text/plain, so the browser need not ask)
            JsonNode secret = root.get("writeKey");
            if (!keys.authenticateFromBody(rc, secret != null && secret.isTextual() ? secret.asText() : null)) {
                return;
            }
            key = WriteKeys.of(rc);
        }
        if (!keys.pace(rc, key, calls.size())) {
            return;
        }
        if (!key.allows(MERGE)) {
            calls.forEach(SegmentRoutes::unlinked);
        }
        List<Future<?>> writes = new ArrayList<>();
        JsonArray rejected = new JsonArray();
        JsonArray forbidden = new JsonArray();
        for (EventIntake.Item item : intake.check(calls)) {
            String messageId = calls.get(item.index()).path("messageId").asText();
            if (item.valid() && !key.allows(item.event().type())) {
                forbidden.add(new JsonObject().put("index", item.index()).put("messageId", messageId)
                        .put("error", WriteKeys.forbidden(key, item.event().type())));
            } else if (item.valid()) {
                writes.add(publisher.publish(item, key));
            } else {
                rejected.add(new JsonObject().put("index", item.index()).put("messageId", messageId)
                        .put("error", item.error()));
                writes.add(publisher.deadLetter(item.raw(), item.error(), "POST " + path + " [" + item.index() + "]",
                        key));
            }
        }
        Future.all(writes).onComplete(ar -> {
            if (ar.failed()) {
                // the SDKs send the whole batch again: the engine drops the message ids it has seen
                HttpJson.send(rc, 503, new JsonObject().put("error", "could not write to Kafka: "
                        + ar.cause().getMessage()));
            } else if (!forbidden.isEmpty()) {
                HttpJson.send(rc, 403, new JsonObject().put("success", false).put("forbidden", forbidden)
                        .put("rejected", rejected));
            } else {
                JsonObject answer = new JsonObject().put("success", true);
                HttpJson.send(rc, 200, rejected.isEmpty() ? answer : answer.put("rejected", rejected));
            }
        });
    }
}
