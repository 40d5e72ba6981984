package dev.nudge.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** The one way the API answers: a status and a JSON body. */
final class HttpJson {

    private HttpJson() {
    }

    static void send(RoutingContext rc, int status, JsonObject body) {
        rc.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
    }

    /** {@code 200} with {@code body} written by Jackson; a body that does not write fails the request. */
    static void send(RoutingContext rc, ObjectMapper json, Object body) {
        try {
            rc.response().putHeader("content-type", "application/json").end(json.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            rc.fail(e);
        }
    }
}
