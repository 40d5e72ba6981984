package dev.nudge.http;

import dev.nudge.config.IngestConfig;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code POST /events}: a write key, then JSON, then each event checked and published to the events topic with the
 * key's source label. Anything else is refused before the body is read: no key (401), a type of body that is not
 * JSON (415: a browser posts {@code text/plain} and forms to any origin without asking), an empty body (400).
 */
final class EventRoutes {

    private static final long MAX_BODY_BYTES = 5L * 1024 * 1024;

    private final WriteKeys keys;
    private final EventIntake intake;
    private final EventPublisher publisher;

    EventRoutes(WriteKeys keys, EventIntake intake, EventPublisher publisher) {
        this.keys = keys;
        this.intake = intake;
        this.publisher = publisher;
    }

    void mount(Router router) {
        // two routes, because Vert.x reads a body only in a route's first handlers: the key and the content type are
        // checked before any of the body is read, so a refused request costs nothing and no upload reaches the disk
        router.options("/events").handler(keys::preflight);
        router.post("/events").handler(keys::authenticate).handler(EventRoutes::jsonOnly);
        router.post("/events").handler(BodyHandler.create().setBodyLimit(MAX_BODY_BYTES).setHandleFileUploads(false))
                .handler(this::post);
    }

    private static void jsonOnly(RoutingContext rc) {
        String type = rc.request().getHeader("Content-Type");
        String media = type == null ? "" : type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (media.equals("application/json") || media.startsWith("application/") && media.endsWith("+json")) {
            rc.next();
        } else {
            HttpJson.send(rc, 415, new JsonObject().put("error", "send events as JSON with Content-Type: "
                    + "application/json" + (media.isEmpty() ? "" : ", not " + media)));
        }
    }

    /**
     * Valid events are published even when others in the same body are refused (the answer is then 400, or 403 when
     * the key may not send a type, and says which): a client that resends the whole body does no harm, the engine
     * drops repeated event ids.
     */
    private void post(RoutingContext rc) {
        IngestConfig.WriteKey key = WriteKeys.of(rc);
        Buffer body = rc.body() == null ? null : rc.body().buffer();
        if (body == null || body.length() == 0) {
            HttpJson.send(rc, 400, new JsonObject().put("error", "empty body: send one event or an array of events"));
            return;
        }
        List<Future<?>> sends = new ArrayList<>();
        JsonArray results = new JsonArray();
        int status = 202;
        List<EventIntake.Item> items = intake.read(body.getBytes());
        if (!keys.pace(rc, key, items.size())) {
            return;
        }
        for (EventIntake.Item item : items) {
            JsonObject r = new JsonObject().put("index", item.index());
            if (item.valid() && !key.allows(item.event().type())) {
                status = 403;
                r.put("status", "rejected").put("error", WriteKeys.forbidden(key, item.event().type()));
            } else if (item.valid()) {
                r.put("eventId", item.event().eventId()).put("status", "accepted");
                sends.add(publisher.publish(item, key));
            } else {
                status = status == 202 ? 400 : status;
                r.put("status", "rejected").put("error", item.error());
            }
            results.add(r);
        }
        int answer = status;
        Future.all(sends).onComplete(ar -> {
            if (ar.failed()) {
                HttpJson.send(rc, 503, new JsonObject().put("error", "events could not be written to Kafka: "
                        + ar.cause().getMessage()).put("results", results));
            } else {
                HttpJson.send(rc, answer, new JsonObject().put("results", results));
            }
        });
    }
}
