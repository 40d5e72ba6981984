package dev.nudge.http;

import dev.nudge.send.UnsubscribeTokens;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;

import java.nio.charset.StandardCharsets;

/**
 * The unsubscribe link of every mail: {@code POST /unsubscribe?token=...} is the one-click unsubscribe of RFC 8058
 * (what mailbox providers call for {@code List-Unsubscribe-Post}) and publishes an {@code Unsubscribed} event;
 * {@code GET} only shows a confirmation page, because link scanners open every link in a mail.
 */
final class UnsubscribeRoutes {

    private final UnsubscribeTokens tokens;
    private final KafkaProducer<String, byte[]> producer;
    private final String eventsTopic;
    private final java.time.Clock clock;

    /** {@code clock}: the time an unsubscribe happens, the service's receive clock (in `nudge run`, the demo's). */
    UnsubscribeRoutes(UnsubscribeTokens tokens, KafkaProducer<String, byte[]> producer, String eventsTopic,
                      java.time.Clock clock) {
        this.clock = clock;
        this.tokens = tokens;
        this.producer = producer;
        this.eventsTopic = eventsTopic;
    }

    void mount(Router router) {
        router.get("/unsubscribe").handler(this::confirmPage);
        router.post("/unsubscribe").handler(BodyHandler.create().setBodyLimit(4096).setHandleFileUploads(false)).handler(this::unsubscribe);
    }

    private void confirmPage(RoutingContext rc) {
        String token = rc.request().getParam("token");
        if (tokens.verify(token).isEmpty()) {
            page(rc, 403, "This unsubscribe link is not valid", "The link was changed or is incomplete. Use the link in "
                    + "the e-mail you received.");
            return;
        }
        String action = "/unsubscribe?token=" + java.net.URLEncoder.encode(token, StandardCharsets.UTF_8);
        page(rc, 200, "Unsubscribe", "<form method=\"post\" action=\"" + escape(action) + "\">"
                + "<input type=\"hidden\" name=\"List-Unsubscribe\" value=\"One-Click\">"
                + "<button type=\"submit\">Unsubscribe from marketing e-mail</button></form>");
    }

    /** The token comes in the URL (the header's link) or as a form field (a form that posts it). */
    private void unsubscribe(RoutingContext rc) {
        String token = rc.request().getParam("token");
        if (token == null) {
            token = rc.request().getFormAttribute("token");
        }
        var claim = tokens.verify(token);
        if (claim.isEmpty()) {
            json(rc, 403, new JsonObject().put("error", token == null ? "missing unsubscribe token"
                    : "invalid unsubscribe token: forged, altered or incomplete"));
            return;
        }
        var c = claim.get();
        // one event id per mail: a second click is the same event, which the engine drops as a duplicate
        JsonObject event = new JsonObject().put("type", "Unsubscribed").put("eventId", "unsubscribe-" + c.decisionId())
                .put("customerId", c.customerId()).put("timestamp", clock.instant().toString())
                .put("campaign", c.campaign());
        // a profile given on the demo's clock must not look newer than this opt-out: same clock, record and event
        producer.send(KafkaProducerRecord.create(eventsTopic, c.customerId(), event.toBuffer().getBytes(), clock.millis(),
                        null))
                .onSuccess(x -> {
                    if (accepts(rc, "text/html")) {
                        page(rc, 200, "You are unsubscribed", "You will get no more marketing e-mail from us.");
                    } else {
                        json(rc, 200, new JsonObject().put("status", "unsubscribed").put("customerId", c.customerId()));
                    }
                })
                .onFailure(err -> json(rc, 503, new JsonObject().put("error", "could not record the unsubscribe, "
                        + "please try again: " + err.getMessage())));
    }

    private static boolean accepts(RoutingContext rc, String type) {
        String accept = rc.request().getHeader("Accept");
        return accept != null && accept.contains(type);
    }

    private static void page(RoutingContext rc, int status, String title, String body) {
        rc.response().setStatusCode(status).putHeader("content-type", "text/html; charset=utf-8")
                .end("<!doctype html><html><head><meta charset=\"utf-8\"><title>" + escape(title) + "</title></head>"
                        + "<body style=\"font-family:sans-serif;max-width:36em;margin:3em auto\"><h1>" + escape(title)
                        + "</h1><p>" + body + "</p></body></html>");
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static void json(RoutingContext rc, int status, JsonObject body) {
        rc.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
    }
}
