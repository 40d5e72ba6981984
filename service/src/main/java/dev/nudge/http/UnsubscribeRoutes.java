package dev.nudge.http;

import dev.nudge.send.UnsubscribeTokens;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;

import java.time.Clock;

/**
 * The unsubscribe link of every mail: {@code POST /unsubscribe?token=...} is the one-click unsubscribe of RFC 8058
 * (what mailbox providers call for {@code List-Unsubscribe-Post}) and publishes an {@code Unsubscribed} event;
 * {@code GET} only shows a confirmation page, because link scanners open every link in a mail. After unsubscribing,
 * {@code POST /resubscribe} with the same token publishes a {@code Subscribed} event, which the rules take as newer
 * than the unsubscribe.
 */
final class UnsubscribeRoutes {

    /** More rounds of unsubscribe and subscribe again from one mail than anybody clicks. */
    private static final int MAX_ROUND = 1000;

    private final UnsubscribeTokens tokens;
    private final UnsubscribePages pages;
    private final WebPages.Page style = WebPages.load("web/unsubscribe.css");
    private final KafkaProducer<String, byte[]> producer;
    private final String eventsTopic;
    private final Clock clock;

    /** {@code clock}: the time an unsubscribe happens, the service's receive clock (in `nudge run`, the demo's). */
    UnsubscribeRoutes(UnsubscribeTokens tokens, String shopName, KafkaProducer<String, byte[]> producer,
                      String eventsTopic, Clock clock) {
        this.tokens = tokens;
        this.pages = new UnsubscribePages(shopName);
        this.producer = producer;
        this.eventsTopic = eventsTopic;
        this.clock = clock;
    }

    void mount(Router router) {
        router.get("/unsubscribe").handler(this::confirmPage);
        router.get("/unsubscribe.css").handler(style::send);
        router.post("/unsubscribe").handler(body()).handler(rc -> record(rc, false));
        router.post("/resubscribe").handler(body()).handler(rc -> record(rc, true));
    }

    private static BodyHandler body() {
        return BodyHandler.create().setBodyLimit(4096).setHandleFileUploads(false);
    }

    private void confirmPage(RoutingContext rc) {
        String token = rc.request().getParam("token");
        var claim = tokens.verify(token);
        if (claim.isEmpty()) {
            send(rc, 403, pages.invalid());
            return;
        }
        send(rc, 200, pages.confirm(token, claim.get().maskedAddress(), 0));
    }

    /**
     * Publishes the customer's choice. The token comes in the URL (the mail header's link, the pages' forms) or as a
     * form field (a form of the shop's own that posts it).
     */
    private void record(RoutingContext rc, boolean subscribe) {
        String token = field(rc, "token");
        var verified = tokens.verify(token);
        if (verified.isEmpty()) {
            refuse(rc, 403, pages.invalid(), token == null ? "missing unsubscribe token"
                    : "invalid unsubscribe token: forged, altered or incomplete");
            return;
        }
        Integer round = round(field(rc, "round"));
        if (round == null) {
            refuse(rc, 400, pages.invalid(), "round must be a whole number from 0 to " + MAX_ROUND);
            return;
        }
        var c = verified.get();
        JsonObject event = new JsonObject().put("type", subscribe ? "Subscribed" : "Unsubscribed")
                .put("eventId", eventId(subscribe, c.decisionId(), round)).put("customerId", c.customerId())
                .put("timestamp", clock.instant().toString());
        if (!subscribe) {
            event.put("campaign", c.campaign());
        }
        // a profile given on the demo's clock must not look newer than this choice: same clock, record and event
        producer.send(KafkaProducerRecord.create(eventsTopic, c.customerId(), event.toBuffer().getBytes(), clock.millis(),
                        null))
                .onSuccess(x -> {
                    if (accepts(rc, "text/html")) {
                        send(rc, 200, subscribe ? pages.resubscribed(token, c.maskedAddress(), round)
                                : pages.unsubscribed(token, c.maskedAddress(), round));
                    } else {
                        json(rc, 200, new JsonObject().put("status", subscribe ? "subscribed" : "unsubscribed")
                                .put("customerId", c.customerId()));
                    }
                })
                .onFailure(err -> refuse(rc, 503, pages.failed(), "could not record the "
                        + (subscribe ? "subscription" : "unsubscribe") + ", please try again: " + err.getMessage()));
    }

    /**
     * One event id per mail and round: a second click, or the mailbox provider's one-click POST twice, is the same
     * event, which the engine drops as a duplicate; unsubscribing again after subscribing again is a new one (round 1,
     * 2, ...), or the engine would drop it and the customer would stay subscribed.
     */
    static String eventId(boolean subscribe, String decisionId, int round) {
        String id = (subscribe ? "resubscribe-" : "unsubscribe-") + decisionId;
        return round == 0 ? id : id + "-" + round;
    }

    private static Integer round(String value) {
        if (value == null || value.isEmpty()) {
            return 0;
        }
        try {
            int round = Integer.parseInt(value);
            return round >= 0 && round <= MAX_ROUND ? round : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String field(RoutingContext rc, String name) {
        String value = rc.request().getParam(name);
        return value != null ? value : rc.request().getFormAttribute(name);
    }

    private static void refuse(RoutingContext rc, int status, WebPages.Page page, String error) {
        if (accepts(rc, "text/html")) {
            send(rc, status, page);
        } else {
            json(rc, status, new JsonObject().put("error", error));
        }
    }

    private static boolean accepts(RoutingContext rc, String type) {
        String accept = rc.request().getHeader("Accept");
        return accept != null && accept.contains(type);
    }

    /** The token is in the page's URL: no Referer takes it anywhere. */
    private static void send(RoutingContext rc, int status, WebPages.Page page) {
        rc.response().putHeader("Referrer-Policy", "no-referrer");
        page.send(rc, status, page.body());
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;");
    }

    private static void json(RoutingContext rc, int status, JsonObject body) {
        rc.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
    }
}
