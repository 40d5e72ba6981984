package dev.nudge.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.config.NudgeConfig;
import dev.nudge.demo.DemoShop;
import dev.nudge.rules.LiveRules;
import dev.nudge.engine.RuleError;
import dev.nudge.engine.RuleSet;
import dev.nudge.explain.DecisionLog;
import dev.nudge.metrics.Metrics;
import dev.nudge.kafka.KafkaProps;
import dev.nudge.send.LocalSmtp;
import dev.nudge.send.UnsubscribeTokens;
import dev.nudge.shadow.ShadowRules;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.kafka.client.producer.KafkaProducer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The HTTP API: {@code POST /events} (and its WebSocket, {@code GET /events/ws}), {@code GET /customers/{id}/decisions},
 * the rules, the unsubscribe links of the mails, the snippet {@code /nudge.js}, the demo outbox and shop, the index
 * page, the login form and the live page ({@code GET /}, {@code /login}, {@code /live}), {@code GET /health},
 * {@code GET /ready} and {@code GET /metrics}.
 */
public final class HttpVerticle extends VerticleBase {

    private static final Logger LOG = LoggerFactory.getLogger(HttpVerticle.class);

    private final NudgeConfig config;
    private final Metrics metrics;
    private final EventIntake intake;
    private final Supplier<Future<JsonObject>> readiness;
    private final DecisionLog decisionLog;
    private final LiveRules rules;
    private final ObjectMapper json;
    private final UnsubscribeTokens unsubscribe;
    private final LocalSmtp outbox;
    private final DemoShop shop;
    private final ShadowRules shadow;
    // the time events are received at: the wall clock, or the demo's in `nudge run`
    private final java.time.Clock receiveClock;
    private KafkaProducer<String, byte[]> producer;
    private HttpServer server;
    private Router router;
    private final AdminSessions sessions = new AdminSessions(java.time.Clock.systemUTC());
    private LiveRoutes live;
    private dev.nudge.send.MailPreview preview;

    public HttpVerticle(NudgeConfig config, Metrics metrics, ObjectMapper json, Supplier<Future<JsonObject>> readiness,
                        DecisionLog decisionLog, LiveRules rules, UnsubscribeTokens unsubscribe, LocalSmtp outbox) {
        this(config, metrics, json, readiness, decisionLog, rules, unsubscribe, outbox, null);
    }

    /** {@code shop}: the demo shop of {@code nudge run}, whose clock events are then received on; null for none. */
    public HttpVerticle(NudgeConfig config, Metrics metrics, ObjectMapper json, Supplier<Future<JsonObject>> readiness,
                        DecisionLog decisionLog, LiveRules rules, UnsubscribeTokens unsubscribe, LocalSmtp outbox,
                        DemoShop shop) {
        this(config, metrics, json, readiness, decisionLog, rules, unsubscribe, outbox, shop, null);
    }

    /** {@code shadow}: the shadow rules the engines of this process run, for {@code /rules/shadow}; null for none. */
    public HttpVerticle(NudgeConfig config, Metrics metrics, ObjectMapper json, Supplier<Future<JsonObject>> readiness,
                        DecisionLog decisionLog, LiveRules rules, UnsubscribeTokens unsubscribe, LocalSmtp outbox,
                        DemoShop shop, ShadowRules shadow) {
        this.shadow = shadow;
        this.shop = shop;
        this.receiveClock = shop != null ? shop.clock() : java.time.Clock.systemUTC();
        this.rules = rules;
        this.unsubscribe = unsubscribe;
        this.outbox = outbox;
        this.config = config;
        this.json = json;
        this.decisionLog = decisionLog;
        this.metrics = metrics;
        this.intake = new EventIntake(json, config.engine().maxClockSkew(), receiveClock);
        this.readiness = readiness;
    }

    @Override
    public Future<?> start() {
        producer = KafkaProducer.create(vertx,
                KafkaProps.producer(config.kafka().bootstrapServers(), config.kafka().producerOverrides()));
        router = Router.router(vertx);
        WriteKeys keys = new WriteKeys(config.ingest());
        if (config.ingest().keysFile() != null) {
            // a key deleted from the keys file is refused within a second or two, without a restart
            vertx.setPeriodic(1000, t -> vertx.executeBlocking(() -> {
                keys.reloadIfChanged();
                return null;
            }));
        }
        EventPublisher publisher = new EventPublisher(producer, config.kafka().topics(), receiveClock);
        new EventRoutes(keys, intake, publisher).mount(router);
        new SegmentRoutes(keys, intake, publisher, receiveClock).mount(router);
        new SnippetRoutes().mount(router);
        new WebSocketRoutes(keys, intake, publisher, metrics, config.ingest().wsMaxInFlight()).mount(router);
        // what a customer had in their cart is personal data: admins only
        new CustomerRoutes(decisionLog, json, config.explain().window(), this::isAdmin, this::admin).mount(router);
        new PreviewRoutes(vertx, decisionLog, this::preview, this::isAdmin, this::admin).mount(router);
        router.get("/rules").handler(this::admin).handler(this::rules);
        router.post("/rules/reload").handler(this::admin).handler(this::reload);
        new BacktestRoutes(vertx, config, json, () -> rules == null ? null : rules.get()).mount(router, this::admin);
        if (shadow != null && rules != null) {
            new ShadowRoutes(vertx, config, json, rules, shadow).mount(router, this::admin);
        }
        new CampaignRoutes(vertx, new dev.nudge.report.CampaignReports(config, json, receiveClock), json)
                .mount(router, this::admin);
        // admin from a browser: a login form, a session cookie, and the live page (it shows customer ids)
        new HomeRoutes(outbox != null, shop != null, config.http().adminEnabled(), this::isAdmin).mount(router);
        new DocsRoutes().mount(router);
        new LoginRoutes(config.http(), sessions).mount(router);
        live = new LiveRoutes(vertx, json, this::isAdmin, this::admin);
        live.mount(router);
        if (config.http().adminEnabled()) {
            live.start(config.kafka().bootstrapServers(), config.kafka().topics());
        }
        // the links of mails sent here or by `nudge send` elsewhere: wherever the secret is known
        if (unsubscribe != null) {
            new UnsubscribeRoutes(unsubscribe, config.send().shopName(), producer, config.kafka().topics().events(),
                    receiveClock).mount(router);
        }
        if (outbox != null) {
            new OutboxRoutes(outbox).mount(router);
        }
        if (shop != null) {
            shop.mount(router);
        }
        Buffer openapi = openapi();
        router.get("/openapi.json").handler(rc -> rc.response().putHeader("content-type", "application/json")
                .end(openapi));
        router.get("/health").handler(rc -> json(rc, 200, new JsonObject().put("status", "UP")));
        router.get("/ready").handler(this::ready);
        router.get("/metrics").handler(rc -> rc.response()
                .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8").end(metrics.scrape()));
        // whatever a handler did not expect is the server's fault, said as JSON, never a stack trace to the client
        router.route().failureHandler(rc -> {
            int status = rc.statusCode() > 0 ? rc.statusCode() : 500;
            if (status >= 500) {
                LOG.error("{} {} failed: {}", rc.request().method(), rc.request().path(), String.valueOf(rc.failure()));
            }
            json(rc, status, new JsonObject().put("error", status >= 500 ? "internal error" : "request refused ("
                    + status + ")"));
        });
        // gzip request bodies, as RudderStack's libraries send them; size limits count the bytes after decompression
        // no h2c upgrade: the JDK's client offers one on every plain-HTTP request, and Vert.x 5.0.7 with body
        // decompression on now and then answered it with HTTP/1.1 bytes on the HTTP/2 stream (OpenApiIT on CI);
        // HTTP/2 belongs behind the TLS proxy in front of Nudge
        return vertx.createHttpServer(new io.vertx.core.http.HttpServerOptions().setDecompressionSupported(true)
                        .setHttp2ClearTextEnabled(false)
                        .setMaxWebSocketFrameSize(WebSocketRoutes.MAX_FRAME_BYTES)
                        .setMaxWebSocketMessageSize(WebSocketRoutes.MAX_FRAME_BYTES))
                .requestHandler(router)
                .listen(config.http().port(), config.http().host())
                .onSuccess(s -> server = s);
    }

    /**
     * Every operation this server answers, as {@code POST /v1/batch}, path parameters in OpenAPI's braces: what
     * {@code /openapi.json} must describe, no more and no less.
     */
    public List<String> operations() {
        Set<String> out = new TreeSet<>();
        for (Route r : router.getRoutes()) {
            if (r.getPath() == null || r.methods() == null) {
                continue;
            }
            String path = r.getPath().replaceAll(":([A-Za-z0-9_]+)", "{$1}");
            r.methods().forEach(m -> out.add(m.name() + " " + path));
        }
        return List.copyOf(out);
    }

    private static Buffer openapi() {
        try (var in = HttpVerticle.class.getResourceAsStream("/openapi.json")) {
            return Buffer.buffer(in.readAllBytes());
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("openapi.json is missing from the build", e);
        }
    }

    /** The port actually bound, for a configured port of 0. */
    public int port() {
        return server.actualPort();
    }

    /** The previews of {@code /preview/{id}}, made on first use: unsubscribe links point at the port actually bound. */
    private synchronized dev.nudge.send.MailPreview preview() {
        if (preview == null) {
            preview = new dev.nudge.send.MailPreview(config.send(), null,
                    "http://" + config.http().host() + ":" + port());
        }
        return preview;
    }

    /**
     * Admin endpoints need {@code Authorization: Bearer <admin.token>}, or the session cookie of a browser that logged
     * in with it ({@code POST /login}); without a configured token they are closed.
     */
    private void admin(RoutingContext rc) {
        if (isAdmin(rc)) {
            rc.next();
        } else {
            rc.response().putHeader("WWW-Authenticate", "Bearer");
            json(rc, 401, new JsonObject().put("error", config.http().adminEnabled()
                    ? "missing or wrong admin token (Authorization: Bearer <admin.token>, or log in at /login)"
                    : "admin endpoints are closed: set admin.token"));
        }
    }

    /**
     * True for the admin token as a bearer header or a live session cookie. The token comparison takes the same time
     * whatever the guess, so the token cannot be found character by character.
     */
    private boolean isAdmin(RoutingContext rc) {
        if (!config.http().adminEnabled()) {
            return false;
        }
        String header = rc.request().getHeader("Authorization");
        if (header != null && header.startsWith("Bearer ")) {
            return AdminSessions.isToken(config.http(), header.substring(7));
        }
        io.vertx.core.http.Cookie session = rc.request().getCookie(AdminSessions.COOKIE);
        return session != null && sessions.valid(session.getValue());
    }

    /** The rules that run: version (content hash and load time), files, and the errors of the last load. */
    private void rules(RoutingContext rc) {
        RuleSet r = rules.get();
        JsonObject body = new JsonObject().put("status", r == null ? "none" : "loaded");
        if (r != null) {
            body.put("version", r.version()).put("contentHash", r.contentHash())
                    .put("loadedAt", r.loadedAt().toString()).put("files", new JsonArray(r.files()));
            if ("true".equals(rc.request().getParam("sources"))) {
                // the text as it was compiled, not as the folder holds it now
                JsonObject sources = new JsonObject();
                r.sources().forEach(sources::put);
                body.put("sources", sources);
            }
        }
        LiveRules.Attempt last = rules.lastAttempt();
        body.put("lastReload", last.at().toString()).put("errors", errors(last.errors()));
        json(rc, 200, body);
    }

    /**
     * Compiles the rules folder again, off the event loop. Rules that do not compile change nothing: 422 with the
     * errors. Rules that compile answer 200 and are taken up by every engine at its next batch, working memory kept.
     */
    private void reload(RoutingContext rc) {
        vertx.executeBlocking(rules::reload, false).onComplete(ar -> {
            if (ar.failed()) {
                json(rc, 500, new JsonObject().put("error", "could not read the rules: " + ar.cause().getMessage()));
            } else if (ar.result().ok()) {
                json(rc, 200, new JsonObject().put("status", "loaded").put("version", ar.result().rules().version())
                        .put("files", new JsonArray(ar.result().rules().files())));
            } else {
                json(rc, 422, new JsonObject().put("status", "rejected: the running rules stay")
                        .put("version", rules.get().version()).put("errors", errors(ar.result().errors())));
            }
        });
    }

    private static JsonArray errors(List<RuleError> errors) {
        JsonArray out = new JsonArray();
        errors.forEach(e -> out.add(new JsonObject().put("file", e.file()).put("line", e.line())
                .put("column", e.column()).put("message", e.message()).put("raw", e.raw())
                .put("text", e.toString())));
        return out;
    }

    private void ready(RoutingContext rc) {
        readiness.get().onComplete(ar -> {
            if (ar.succeeded() && ar.result().getBoolean("ready", false)) {
                json(rc, 200, ar.result());
            } else {
                json(rc, 503, ar.succeeded() ? ar.result()
                        : new JsonObject().put("ready", false).put("error", String.valueOf(ar.cause())));
            }
        });
    }

    private static void json(RoutingContext rc, int status, JsonObject body) {
        HttpJson.send(rc, status, body);
    }

    @Override
    public Future<?> stop() {
        LiveRoutes l = live;
        return vertx.executeBlocking(() -> {
            l.stop();
            return null;
        }).eventually(producer::close);
    }
}
