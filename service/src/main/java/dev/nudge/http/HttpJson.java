package dev.nudge.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** The one way the API answers: a status and a JSON body. */
final class HttpJson {

    private HttpJson() {
    }

    static void send(RoutingContext rc, int status, JsonObject body) {
        rc.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
    }
}
