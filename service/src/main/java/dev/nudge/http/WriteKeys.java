package dev.nudge.http;

import dev.nudge.config.IngestConfig;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * Finds the write key a request presents: HTTP Basic with the key as the user name (as Segment's and RudderStack's
 * libraries send it) or {@code Authorization: Bearer <key>}. Every configured key is compared in constant time, so
 * a key cannot be found character by character; a key is never logged.
 */
final class WriteKeys {

    /** The key, or why there is none. */
    record Verdict(IngestConfig.WriteKey key, String error) {
    }

    private final IngestConfig ingest;

    WriteKeys(IngestConfig ingest) {
        this.ingest = ingest;
    }

    /** A route's first handler: no valid key, 401 before any of the body is read; else on, with the key. */
    void authenticate(RoutingContext rc) {
        Verdict v = check(rc.request().getHeader("Authorization"));
        if (v.key() == null) {
            rc.response().putHeader("WWW-Authenticate", "Basic realm=\"nudge\"");
            HttpJson.send(rc, 401, new JsonObject().put("error", v.error()));
            return;
        }
        rc.put(WriteKeys.class.getName(), v.key());
        rc.next();
    }

    /** The key {@link #authenticate} found for this request. */
    static IngestConfig.WriteKey of(RoutingContext rc) {
        return rc.get(WriteKeys.class.getName());
    }

    Verdict check(String authorization) {
        if (!ingest.open()) {
            return new Verdict(null, "POST /events is closed: configure a write key (ingest.keys.<name>, see README)");
        }
        String presented = presented(authorization);
        if (presented == null) {
            return new Verdict(null, "a write key is required: HTTP Basic with the key as user name, or "
                    + "Authorization: Bearer <key>");
        }
        byte[] given = presented.getBytes(StandardCharsets.UTF_8);
        IngestConfig.WriteKey found = null;
        for (IngestConfig.WriteKey k : ingest.keys()) {
            // no early exit: the time taken does not say which key came close
            if (MessageDigest.isEqual(given, k.secret().getBytes(StandardCharsets.UTF_8))) {
                found = k;
            }
        }
        return found != null ? new Verdict(found, null) : new Verdict(null, "unknown or revoked write key");
    }

    private static String presented(String authorization) {
        if (authorization == null) {
            return null;
        }
        String a = authorization.trim();
        if (a.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return a.substring(7).trim();
        }
        if (a.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String userAndPassword = new String(Base64.getDecoder().decode(a.substring(6).trim()),
                        StandardCharsets.UTF_8);
                int colon = userAndPassword.indexOf(':');
                return colon < 0 ? userAndPassword : userAndPassword.substring(0, colon);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return null;
    }
}
