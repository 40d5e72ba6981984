package dev.nudge.http;

import dev.nudge.config.IngestConfig;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.TreeSet;

/**
 * Finds the write key a request presents: HTTP Basic with the key as the user name (as Segment's and RudderStack's
 * libraries send it) or {@code Authorization: Bearer <key>}. Every configured key is compared in constant time, so
 * a key cannot be found character by character; a key is never logged.
 */
final class WriteKeys {

    /** The key, or why there is none. */
    record Verdict(IngestConfig.WriteKey key, String error) {
    }

    /** When the keys file was last written and how long it was: a change of either means read it again. */
    private record Stamp(long modified, long size) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(WriteKeys.class);
    private static final Verdict CLOSED = new Verdict(null,
            "POST /events is closed: configure a write key (ingest.keys.<name>, see docs/connect-your-shop.md)");

    private final IngestConfig settings;
    private volatile IngestConfig ingest;
    private Stamp keysFileStamp;
    private final KeyRates rates = new KeyRates();

    WriteKeys(IngestConfig ingest) {
        this.settings = ingest;
        this.ingest = ingest;
        reloadIfChanged();
    }

    /**
     * Reads {@code ingest.keys-file} again if it changed since last read: its keys replace those it held before, so a
     * key deleted there is refused from now on. A file that does not check out changes nothing and is reported (by
     * key names only, never secrets). Blocking, a small file: called every second.
     */
    synchronized void reloadIfChanged() {
        Path file = settings.keysFile();
        if (file == null) {
            return;
        }
        Stamp stamp;
        try {
            stamp = Files.exists(file) ? new Stamp(Files.getLastModifiedTime(file).toMillis(), Files.size(file))
                    : new Stamp(-1, -1);
        } catch (IOException e) {
            return;
        }
        if (stamp.equals(keysFileStamp)) {
            return;
        }
        keysFileStamp = stamp;
        try {
            IngestConfig now = settings.withKeysFile();
            ingest = now;
            LOG.info("write keys from the settings and {}: {}", file, now.keys().stream()
                    .map(IngestConfig.WriteKey::name).sorted().toList());
        } catch (IOException | IllegalArgumentException e) {
            LOG.error("write keys in {} not taken, the keys in use stay: {}", file, e.getMessage());
        }
    }

    /** A route's first handler: no valid key, 401 before any of the body is read; else on, with the key. */
    void authenticate(RoutingContext rc) {
        Verdict v = check(rc.request().getHeader("Authorization"));
        if (v.key() == null) {
            refuse(rc, v.error());
            return;
        }
        if (admit(rc, v.key())) {
            rc.put(WriteKeys.class.getName(), v.key());
            rc.next();
        }
    }

    /**
     * As {@link #authenticate}, but a browser's request without an Authorization header goes on without a key, for
     * the route to find one in the body (where analytics.js puts it: a header would make the browser ask first).
     */
    void authenticateOrDefer(RoutingContext rc) {
        if (rc.request().getHeader("Authorization") == null && rc.request().getHeader("Origin") != null) {
            rc.next();
            return;
        }
        authenticate(rc);
    }

    /** The key a browser put in the body, as {@link #authenticate} would take it from a header; false if answered. */
    boolean authenticateFromBody(RoutingContext rc, String secret) {
        Verdict v = secret == null ? new Verdict(null, "a write key is required: HTTP Basic with the key as user "
                + "name, or 'writeKey' in the body") : find(secret);
        if (v.key() == null) {
            refuse(rc, v.error());
            return false;
        }
        if (v.key().origins().isEmpty()) {
            // a server's key found in a web page's request: it must not work there
            HttpJson.send(rc, 403, new JsonObject().put("error", "write key '" + v.key().name() + "' is for servers "
                    + "and may not be used from a web page (give a browser key ingest.keys.<name>.origins)"));
            return false;
        }
        if (!admit(rc, v.key())) {
            return false;
        }
        rc.put(WriteKeys.class.getName(), v.key());
        return true;
    }

    /**
     * Whether the key may send {@code events} more now ({@code ingest.keys.<name>.rate}); if not, answered here: 429
     * with Retry-After, or 413 for more than its bucket ever holds at once.
     */
    boolean pace(RoutingContext rc, IngestConfig.WriteKey key, int events) {
        KeyRates.Verdict v = take(key, events);
        if (v instanceof KeyRates.Wait w) {
            rc.response().putHeader("Retry-After", Long.toString(w.seconds()));
            HttpJson.send(rc, 429, new JsonObject().put("error", "write key '" + key.name() + "' may send "
                    + key.rate() + " events a second: try again in " + w.seconds() + " s"));
            return false;
        }
        if (v instanceof KeyRates.TooMany t) {
            HttpJson.send(rc, 413, new JsonObject().put("error", events + " events at once: write key '" + key.name()
                    + "' may send at most " + t.most() + " at once (" + KeyRates.BURST_SECONDS + " s at its rate)"));
            return false;
        }
        return true;
    }

    /** Takes {@code events} of the key's pace now, for a route that answers a refusal its own way. */
    KeyRates.Verdict take(IngestConfig.WriteKey key, int events) {
        return rates.take(key, events, System.currentTimeMillis());
    }

    /** False once the key was revoked (deleted from the keys file): a connection opened with it must stop. */
    boolean current(IngestConfig.WriteKey key) {
        return ingest.keys().contains(key);
    }

    /** The key {@link #authenticate} found for this request. */
    /** Why {@code key} may not send an event of {@code type}, naming what it may send. */
    static String forbidden(IngestConfig.WriteKey key, String type) {
        return "write key '" + key.name() + "' may not send " + type + " (it may send "
                + String.join(", ", new TreeSet<>(key.types())) + ")";
    }

    static IngestConfig.WriteKey of(RoutingContext rc) {
        return rc.get(WriteKeys.class.getName());
    }

    /**
     * A browser's preflight ({@code OPTIONS}, no credentials yet): allowed for the origins some key names, so the
     * request itself can then show its key.
     */
    void preflight(RoutingContext rc) {
        String origin = rc.request().getHeader("Origin");
        if (origin == null || ingest.keys().stream().noneMatch(k -> k.allowsOrigin(origin))) {
            HttpJson.send(rc, 403, new JsonObject().put("error", "no write key may be used from "
                    + (origin == null ? "pages without an Origin" : origin)));
            return;
        }
        rc.response().setStatusCode(204).putHeader("Access-Control-Allow-Origin", origin)
                .putHeader("Access-Control-Allow-Methods", "POST")
                .putHeader("Access-Control-Allow-Headers", "Authorization, Content-Type, X-Retry-Count")
                .putHeader("Access-Control-Max-Age", "600").putHeader("Vary", "Origin").end();
    }

    /**
     * A request from a web page (it has an {@code Origin}) goes on only if the key names that page, and its answer
     * then carries the CORS header that lets the page read it; false when refused (403, answered here).
     */
    private static boolean admit(RoutingContext rc, IngestConfig.WriteKey key) {
        String origin = rc.request().getHeader("Origin");
        if (origin == null) {
            return true;
        }
        if (!key.allowsOrigin(origin)) {
            HttpJson.send(rc, 403, new JsonObject().put("error", "write key '" + key.name() + "' may not be used "
                    + "from " + origin + (key.origins().isEmpty() ? " (it names no origins: it is for servers)"
                    : " (it may be used from " + String.join(", ", new TreeSet<>(key.origins())) + ")")));
            return false;
        }
        // Retry-After is not among the headers a page may read by default: the snippet needs it after a 429
        rc.response().putHeader("Access-Control-Allow-Origin", origin).putHeader("Vary", "Origin")
                .putHeader("Access-Control-Expose-Headers", "Retry-After");
        return true;
    }

    private static void refuse(RoutingContext rc, String error) {
        rc.response().putHeader("WWW-Authenticate", "Basic realm=\"nudge\"");
        HttpJson.send(rc, 401, new JsonObject().put("error", error));
    }

    Verdict check(String authorization) {
        String presented = presented(authorization);
        if (presented == null) {
            return ingest.open() ? new Verdict(null, "a write key is required: HTTP Basic with the key as user name, "
                    + "or Authorization: Bearer <key>") : CLOSED;
        }
        return find(presented);
    }

    private Verdict find(String presented) {
        if (!ingest.open()) {
            return CLOSED;
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
